"""Strings of Django 5.2's admin templates that its own zh_Hans catalogue lacks. Listed here only so
that ``makemessages`` keeps them, with their Chinese, in our catalogue, which Django reads first
(LOCALE_PATHS); nothing imports this module."""

from django.utils.translation import gettext_noop

ADMIN_STRINGS_MISSING_FROM_DJANGO = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
]

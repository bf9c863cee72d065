"""Admin base classes shared by the apps."""

import datetime
from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .forms import add_service_errors
from .http import InvalidParameter, day_parameter


class LongListMixin:
    """For changelists of tens of thousands of rows: pages of 50 rows (such lists are searched and
    filtered, not scrolled; each row costs about half a millisecond to render), one count query
    instead of two, and the row checkbox written directly (the same markup as Django's; rendering a
    widget template for each row was half the page's time)."""

    list_per_page = 50
    show_full_result_count = False

    def action_checkbox(self, obj):
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )


class ServiceFormsetMixin:
    """Saves inline rows through services: ``formset_services`` maps an inline model to the
    service that saves one of its instances (called as ``service(instance)``)."""

    formset_services: dict[type[Model], Callable[[Model], Model]] = {}

    def save_formset(self, request, form, formset, change):
        service = self.formset_services.get(formset.model)
        if service is None:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        for instance in instances:
            service(instance)
        formset.save_m2m()


class ReadOnlyInline(admin.TabularInline):
    """Rows shown beside their parent but written only by services (bill lines, allocations, photos…)."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class MoneyColumnsMixin:
    """Columns of money in a list with thousands separators and two places (70,991.67), whatever
    the language: ``money_columns`` names them among ``list_display``; they still sort. A column
    that is a property of the model, not a field, gives its header and ordering in
    ``money_properties``."""

    money_columns: tuple[str, ...] = ()
    money_properties: dict[str, tuple] = {}

    def get_list_display(self, request):
        return [
            self._money_column(name) if name in self.money_columns else name
            for name in super().get_list_display(request)
        ]

    def _money_column(self, name: str):
        if name in self.money_properties:
            label, ordering = self.money_properties[name]
        else:
            label, ordering = self.model._meta.get_field(name).verbose_name, name

        @admin.display(description=label, ordering=ordering)
        def column(obj):
            value = getattr(obj, name)
            return "" if value is None else number_format(value, 2, force_grouping=True)

        column.__name__ = name
        return column


class WrittenByServicesMixin:
    """For records only services write (fapiao, reminders sent, statement lines, readings, disputes):
    every field read-only and no add or delete here; their own admin pages act through the services."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def requested_day(request, name: str = "on") -> datetime.date:
    """The day asked for in ``?on=YYYY-MM-DD`` (or ``?<name>=``), or today, with a message, when it is
    missing, no date, or outside the dates ParkOps keeps."""
    try:
        return day_parameter(request, name, timezone.localdate())
    except InvalidParameter as refusal:
        messages.error(request, _("%(problem)s Showing today.") % {"problem": refusal})
        return timezone.localdate()


def service_form_view(
    model_admin, request, *, form, title: str, perform, done: str, next_url: str, template: str, original=None, **extra
):
    """An admin page with one form that one service acts on: on a valid POST the service runs with
    the cleaned data and the page moves on with ``done`` (a message, or a function of what the service
    returned); a ValidationError it raises lands on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            model_admin.message_user(request, done(result) if callable(done) else done)
            return HttpResponseRedirect(next_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": original,
        "title": title,
        "form": form,
        **extra,
    }
    return TemplateResponse(request, template, context)

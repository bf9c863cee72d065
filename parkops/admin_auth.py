"""Staff accounts and groups with their permissions in the reader's language. Django writes a
permission's name in English when it migrates ("Can add lease"); the picker names each from its
codename and the model's translated name instead ("租赁与招商 | 租约 | 可添加租约")."""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DEFAULT_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    model = permission.content_type.model_class()
    if model is None:  # a model since removed
        return str(permission)
    opts = model._meta
    recorded = getattr(model, "instance_type", None)  # django-simple-history's historical models
    model_name = _("%(model)s history") % {"model": recorded._meta.verbose_name} if recorded else opts.verbose_name
    action, _separator, codename_model = permission.codename.partition("_")
    if action in DEFAULT_ACTIONS and codename_model == opts.model_name:
        name = DEFAULT_ACTIONS[action] % {"model": model_name}
    else:
        name = gettext(permission.name)  # our own permissions' names are in the catalogue
    return f"{apps.get_app_config(opts.app_label).verbose_name} | {model_name} | {name}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class TranslatedPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class StaffUserAdmin(TranslatedPermissionsMixin, UserAdmin):
    pass


class StaffGroupAdmin(TranslatedPermissionsMixin, GroupAdmin):
    pass


def register_staff_accounts(site: admin.AdminSite) -> None:
    """Put these in place of django.contrib.auth's own admins (called once the admin is discovered)."""
    user_model = get_user_model()
    for model, model_admin in ((user_model, StaffUserAdmin), (Group, StaffGroupAdmin)):
        if site.is_registered(model):
            site.unregister(model)
        site.register(model, model_admin)

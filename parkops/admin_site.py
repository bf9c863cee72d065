from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.utils.translation import gettext_lazy as _

from core.admin_export import export_csv, export_xlsx
from core.auth import ThrottledAuthenticationForm
from core.dashboard import panels_for
from core.speedups.app_list_cache import CachedAppListMixin

# The apps in the order of the work (spaces, leasing, money, utilities, apartments, halls, companies,
# service desk), then notifications, reports and the framework's own; models within an app as listed.
APP_ORDER = [
    "spaces",
    "leases",
    "billing",
    "banking",
    "meters",
    "apartments",
    "events",
    "tenants",
    "servicedesk",
    "filings",
    "incentives",
    "notifications",
    "reports",
    "auth",
    "authtoken",
    "django_celery_beat",
]
MODEL_ORDER = {
    "spaces": ["Building", "Floor", "Unit"],
    "leases": ["Lease", "Prospect"],
    "billing": ["Bill", "Payment", "LedgerEntry"],
}


def ordered_app_list(app_list: list[dict]) -> list[dict]:
    """Django's app list (alphabetical by name) in the order of the work."""

    def app_key(app):
        label = app["app_label"]
        return (APP_ORDER.index(label) if label in APP_ORDER else len(APP_ORDER), app["name"])

    def model_key(label):
        first = MODEL_ORDER.get(label, [])
        return lambda model: (
            first.index(model["object_name"]) if model["object_name"] in first else len(first),
            model["name"],
        )

    return [
        {**app, "models": sorted(app["models"], key=model_key(app["app_label"]))}
        for app in sorted(app_list, key=app_key)
    ]


class OrderedAppListMixin:
    def get_app_list(self, request, app_label=None):
        return ordered_app_list(super().get_app_list(request, app_label))


class AdminLoginForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin's sign-in: staff only, throttled like the portal's."""


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Autocomplete results labelled by the model admin's ``autocomplete_label`` when it has one (a
    unit's floor, area and vacancy), else by ``str``."""

    def serialize_result(self, obj, to_field_name):
        label = getattr(self.model_admin, "autocomplete_label", None)
        return {"id": str(getattr(obj, to_field_name)), "text": label(obj) if label else str(obj)}


class ParkOpsAdminSite(CachedAppListMixin, OrderedAppListMixin, admin.AdminSite):
    site_url = "/reports/dashboard/"  # "view site": the managers' dashboard
    site_header = _("ParkOps · Lingnan Digital Creative Building")
    site_title = _("ParkOps")
    index_title = _("Tower operations")
    index_template = "admin/parkops/index.html"
    login_form = AdminLoginForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_action(export_csv)
        self.add_action(export_xlsx)

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)

    def index(self, request, extra_context=None):
        return super().index(request, {**(extra_context or {}), "dashboard_panels": panels_for(request)})

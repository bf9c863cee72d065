"""The staff roles of the operator, as Django groups with model permissions."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

OPERATIONS = "operations"
MANAGERS = "managers"

# Operations staff run the tower day to day; managers read everything and download reports.
_OPERATIONS_APPS = [
    "tenants",
    "spaces",
    "leases",
    "billing",
    "banking",
    "meters",
    "apartments",
    "servicedesk",
    "events",
    "filings",
    "incentives",
]
_MANAGER_APPS = [*_OPERATIONS_APPS, "reports"]


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    operations, _ = Group.objects.get_or_create(name=OPERATIONS)
    operations.permissions.set(
        Permission.objects.filter(content_type__app_label__in=_OPERATIONS_APPS).exclude(codename__startswith="delete_")
    )
    managers, _ = Group.objects.get_or_create(name=MANAGERS)
    managers.permissions.set(
        Permission.objects.filter(content_type__app_label__in=_MANAGER_APPS, codename__startswith="view_")
        | Permission.objects.filter(content_type__app_label="reports", codename="download_report")
    )
    return {OPERATIONS: operations, MANAGERS: managers}

"""The operator's groups on duty by default: operations for what needs handling, managers for reports
and leases ending. Staff change them in Admin → Staff on duty."""

from django.db import migrations

OPERATIONS_EVENTS = [
    "booking_requested",
    "booking_cancelled",
    "request_filed",
    "request_commented",
    "reading_flagged",
    "charge_disputed",
    "milestone_due",
    "lease_expiring",
]
MANAGERS_EVENTS = ["lease_expiring"]


def add_duties(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    StaffDuty = apps.get_model("notifications", "StaffDuty")
    for name, events in (("operations", OPERATIONS_EVENTS), ("managers", MANAGERS_EVENTS)):
        group, _created = Group.objects.get_or_create(name=name)
        for event in events:
            StaffDuty.objects.get_or_create(group=group, event=event)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(add_duties, migrations.RunPython.noop)]

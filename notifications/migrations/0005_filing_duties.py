"""Statistics filings submitted go to operations; an incentive whose condition failed to operations
and managers (they decide on a claw-back)."""

from django.db import migrations

DUTIES = {"operations": ["filing_submitted", "incentive_flagged"], "managers": ["incentive_flagged"]}


def add_duties(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    StaffDuty = apps.get_model("notifications", "StaffDuty")
    for name, events in DUTIES.items():
        group, _created = Group.objects.get_or_create(name=name)
        for event in events:
            StaffDuty.objects.get_or_create(group=group, event=event)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_filings_support")]
    operations = [migrations.RunPython(add_duties, migrations.RunPython.noop)]

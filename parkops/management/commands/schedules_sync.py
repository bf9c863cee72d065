from django.core.management.base import BaseCommand

from parkops.schedules import schedules_sync


class Command(BaseCommand):
    help = "Write the periodic jobs declared in parkops/schedules.py into django-celery-beat (safe to run again)."

    def handle(self, *args, **options):
        counts = schedules_sync()
        self.stdout.write(
            self.style.SUCCESS(
                "Periodic jobs: {created} created, {updated} updated, {removed} removed.".format(**counts)
            )
        )

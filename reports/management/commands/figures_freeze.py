from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.dashboard import TREND_MONTHS, figures_freeze


class Command(BaseCommand):
    help = "Freeze the dashboard's monthly figures not frozen yet and refresh the current month's (the nightly job)."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=TREND_MONTHS, help="how many ended months to cover")

    def handle(self, *args, months, **options):
        computed = figures_freeze(on=timezone.localdate(), months=months)
        self.stdout.write(f"{computed} months computed")

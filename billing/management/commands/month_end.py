import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from billing.selectors import arrears_by_company
from billing.services import month_end_run


class Command(BaseCommand):
    help = (
        "The month-end run: issue the bills falling due, mark overdue ones, charge late fees through "
        "the day, and age the arrears as of it (default: the last day of last month)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", help="The day to run for, YYYY-MM-DD.")

    def handle(self, *args, on=None, **options):
        if on:
            try:
                day = datetime.date.fromisoformat(on)
            except ValueError as error:
                raise CommandError(f"--on: {error}") from error
        else:
            day = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        result = month_end_run(on=day)
        arrears = arrears_by_company(on=day)
        self.stdout.write(
            f"{day}: {result.bills_issued} bills issued, {result.bills_overdue} marked overdue, "
            f"{result.late_fee_entries} late fee entries ({result.late_fees}), "
            f"{len(arrears)} companies in arrears owing {sum(row.total for row in arrears)}"
        )

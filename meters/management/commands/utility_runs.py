"""Open and calculate the utility run of a period for every building (or one)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from meters.models import UtilityRun
from meters.services import run_calculate
from spaces.models import Building


class Command(BaseCommand):
    help = "Calculate the utility runs of a period (opened where missing); prints charges and their total."

    def add_arguments(self, parser):
        parser.add_argument("--start", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--end", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--building", help="a building's code; all buildings when left out")

    def handle(self, *args, start, end, building=None, **options):
        buildings = Building.objects.filter(code=building) if building else Building.objects.all()
        charges, total = 0, 0
        for each in buildings.order_by("code"):
            run, _created = UtilityRun.objects.get_or_create(
                building=each, period_start=start, defaults={"period_end": end}
            )
            try:
                run = run_calculate(run=run)
            except ValidationError as error:
                raise CommandError(f"{each.code}: {' '.join(error.messages)}") from error
            charges += run.charges.count()
            total += sum(run.charges.values_list("amount", flat=True))
        self.stdout.write(f"{buildings.count()} runs, {charges} charges, {total:.2f} CNY")

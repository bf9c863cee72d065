import shutil

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reports.models import ReportRun
from reports.services import period_parse, report_render
from spaces.models import Building


class Command(BaseCommand):
    help = "Render a report now, in this process, with the same service as the worker."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ReportRun.Kind.values)
        parser.add_argument("--period", required=True, help="YYYY-MM (a month) or YYYY-Q1…Q4 (a quarter)")
        parser.add_argument("--building", help="building code; the whole portfolio when omitted")
        parser.add_argument(
            "--language", default=settings.LANGUAGE_CODE, choices=[code for code, _ in settings.LANGUAGES]
        )
        parser.add_argument("--output", help="also copy the PDF to this file")
        parser.add_argument("--xlsx", help="also copy the XLSX of its tables to this file")

    def handle(self, *args, kind, period, building, language, output, xlsx, **options):
        try:
            period_type, period_start = period_parse(period)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        scope = None
        if building:
            scope = Building.objects.filter(code=building).first()
            if scope is None:
                raise CommandError(f"No building has the code {building!r}.")
        with transaction.atomic():
            run = ReportRun(
                kind=kind, period_type=period_type, period_start=period_start, building=scope, language=language
            )
            try:
                run.full_clean()
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            run.save()
        run = report_render(run_id=run.pk)
        if run.status != ReportRun.Status.DONE:
            raise CommandError(f"Run {run.pk} failed: {run.error}")
        for field, path in ((run.file, output), (run.xlsx, xlsx)):
            if path:
                with field.open("rb") as source, open(path, "wb") as target:
                    shutil.copyfileobj(source, target)
        self.stdout.write(
            f"Run {run.pk} done: {run.file.name} ({run.size} bytes, sha256 {run.sha256}), {run.xlsx.name}, "
            f"snapshot sha256 {run.snapshot_sha256}"
        )

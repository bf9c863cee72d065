"""Import a bank statement file from the command line (a nightly fetch from the bank, or the bench)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from banking.models import StatementLayout, StatementLine
from banking.services import statement_import


class Command(BaseCommand):
    help = "Import a bank statement (CSV or XLSX) with a saved layout; prints what was read and matched."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--layout", required=True, help="The layout's name, or the start of it.")

    def handle(self, *args, file: Path, layout: str, **options):
        chosen = StatementLayout.objects.filter(name__startswith=layout).first()
        if chosen is None:
            raise CommandError(f"No statement layout is named {layout!r}.")
        try:
            statement = statement_import(layout=chosen, content=file.read_bytes(), filename=file.name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        counts = {status: statement.lines.filter(status=status).count() for status in StatementLine.Status.values}
        self.stdout.write(
            f"rows {statement.rows}, already imported {statement.duplicates}, "
            + ", ".join(f"{status} {count}" for status, count in counts.items())
        )

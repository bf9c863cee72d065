"""Import meter readings from a file (a metering system's nightly export, or the bench)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from meters.services import readings_import


class Command(BaseCommand):
    help = (
        "Import meter readings (CSV or XLSX: 表号, 抄表日期, 时段, 读数, 翻转); prints how many and how many flagged."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            readings = readings_import(content=file.read_bytes())
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        flagged = sum(1 for reading in readings if reading.flag)
        self.stdout.write(f"{len(readings)} readings imported, {flagged} flagged")

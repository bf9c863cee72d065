"""Time and peak memory of a month of utility billing for a portfolio: importing every meter's reading
and calculating every building's run.

Usage (from the project root, with the venv's Python):

    .venv/bin/python bench/meter_runs.py [--scale 50] [--no-seed] [--database-url postgres://postgres@127.0.0.1:5432/parkops_bench]

It seeds a fresh database with ``seed_demo --scale N`` (unless --no-seed reuses the one there, migrated
first), then, untimed, gives every unit an electricity and a water meter with last month's opening
reading (a tenth of the electricity meters with a CT ratio of 40, a few registers about to roll over)
and writes this month's readings file. Timed, each in a child process: ``import_readings`` (every
reading checked against the one before and flagged if far from usual) and ``utility_runs`` (every
building's run calculated: each let unit's meters priced, the lobby and main-meter loss shared out).
"""

import argparse
import os
import subprocess
import sys
import time

from common import ROOT, reset_database, seed

from reports import MEASURED

SETUP = """
import datetime, sys
from decimal import Decimal
import django
django.setup()
from core.db import bulk_insert
from meters.models import Meter, MeterReading, Tariff, TariffPrice
from spaces.models import Unit
path = sys.argv[1]
opening, reading = datetime.date(2026, 10, 25), datetime.date(2026, 11, 25)
for kind, price in (("electricity", "0.95"), ("water", "5.60")):
    tariff, created = Tariff.objects.get_or_create(kind=kind, effective_from=datetime.date(2025, 1, 1))
    if created:
        TariffPrice.objects.create(tariff=tariff, price=Decimal(price))
if not Meter.objects.filter(serial__startswith="BENCH-").exists():
    units = list(Unit.objects.values_list("pk", "building_id", "code", "leasable_area"))
    meters = [
        Meter(kind=kind, serial=f"BENCH-{kind[0]}-{pk}", building_id=building, unit_id=pk,
              multiplier=Decimal("40") if kind == "electricity" and pk % 10 == 0 else Decimal("1"),
              digits=5, installed_on=datetime.date(2025, 1, 1))
        for pk, building, code, area in units for kind in ("electricity", "water")
    ]
    Meter.objects.bulk_create(meters, batch_size=5000)
    meters = list(Meter.objects.filter(serial__startswith="BENCH-"))
    bulk_insert(MeterReading, [
        MeterReading(meter=m, read_on=opening, value=Decimal("99990") if m.pk % 97 == 0 else Decimal(1000 + m.pk % 500))
        for m in meters
    ])
meters = Meter.objects.filter(serial__startswith="BENCH-").select_related("unit")
opened = MeterReading.objects.filter(meter__serial__startswith="BENCH-", read_on=opening)
last = dict(opened.values_list("meter_id", "value"))
rows = ["表号,抄表日期,读数,翻转"]
for m in meters:
    rate = Decimal("8") if m.kind == "electricity" else Decimal("0.06")
    used = (m.unit.leasable_area * rate / m.multiplier).quantize(Decimal("0.01"))
    value, rolled = last[m.pk] + used, ""
    if value >= m.rollover:
        value, rolled = value - m.rollover, "是"
    rows.append(f"{m.serial},{reading},{value},{rolled}")
open(path, "w", encoding="utf-8").write("\\r\\n".join(rows))
print(len(rows) - 1, "readings written")
"""


def timed(args: list[str], env: dict) -> tuple[float, float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    peak_kb = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KB"))
    return time.perf_counter() - started, peak_kb / 1024, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    options = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "parkops.settings.base",
    }
    env.pop("REDIS_URL", None)
    if options.no_seed:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    else:
        reset_database(options.database_url, env)
        seed(options.scale, env)
    path = ROOT / "var" / "bench-readings.csv"
    setup = subprocess.run(
        [sys.executable, "-c", SETUP, str(path)],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
        text=True,
    )
    if options.database_url.startswith("postgres"):
        # the steady state: autovacuum has seen the meters and last month's readings
        subprocess.run(["psql", options.database_url, "-qc", "VACUUM ANALYZE"], check=True)
    print(f"scale {options.scale}: {setup.stdout.strip()}")
    print(f"{'step':<10} {'seconds':>8} {'peak MB':>8}  what it did")
    for step, args in (
        ("import", ["import_readings", str(path)]),
        ("calculate", ["utility_runs", "--start", "2026-10-26", "--end", "2026-11-25"]),
    ):
        seconds, peak, said = timed(args, env)
        print(f"{step:<10} {seconds:>8.2f} {peak:>8.0f}  {said}", flush=True)


if __name__ == "__main__":
    main()

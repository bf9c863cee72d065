"""Time and peak memory of the month-end run, for the demo tower and for larger portfolios.

Usage (from the project root, with the venv's Python):

    .venv/bin/python bench/month_end.py [--scales 1,10,50] [--on 2026-12-31] [--database-url postgres://postgres@127.0.0.1:5432/parkops_bench]

For each scale it seeds a fresh database with ``seed_demo --scale N`` (the database named by
--database-url is dropped and recreated), then runs ``manage.py month_end --on DAY`` in a child
process: issue every bill falling due, mark the overdue ones, charge late fees through the day,
and age the arrears as of it. It prints wall time, the child's peak resident memory and what the
run did, then runs it again (the second run finds nothing to do: it measures the idempotent path).
"""

import argparse
import os
import subprocess
import sys
import time

from common import ROOT, reset_database, seed

from reports import MEASURED


def month_end(day: str, env: dict) -> tuple[float, float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, "manage.py", "month_end", "--on", day],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    peak_kb = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KB"))
    return elapsed, peak_kb / 1024, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,50")
    parser.add_argument("--on", default="2026-12-31")
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    options = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "parkops.settings.base",
    }
    env.pop("REDIS_URL", None)
    print(f"{'scale':>5} {'run':<6} {'seconds':>8} {'peak MB':>8}  what it did")
    for scale in [int(s) for s in options.scales.split(",")]:
        reset_database(options.database_url, env)
        seed(scale, env)
        for run in ("first", "second"):
            seconds, peak, said = month_end(options.on, env)
            print(f"{scale:>5} {run:<6} {seconds:>8.2f} {peak:>8.0f}  {said}", flush=True)


if __name__ == "__main__":
    main()

"""Time and peak memory of both PDF reports, for the demo tower and for a larger portfolio.

Usage (from the project root, with the venv's Python):

    .venv/bin/python bench/reports.py [--scales 1,10,50] [--database-url postgres://postgres@127.0.0.1:5432/parkops_bench]

For each scale it seeds a fresh database with ``seed_demo --scale N``, then renders each report
for the whole portfolio in a child process (``generate_report``) and prints wall time and the
child's peak resident memory. The database named by --database-url is dropped and recreated.
"""

import argparse
import os
import subprocess
import sys
import time

from common import ROOT, reset_database, seed

PERIODS = {"occupancy": "2026-10", "clusters": "2026-Q3"}


MEASURED = (
    "import resource, runpy, sys\n"
    "sys.argv = sys.argv[1:]\n"
    "try:\n"
    "    runpy.run_path('manage.py', run_name='__main__')\n"
    "finally:\n"
    "    print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def run(args: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of ``manage.py *args`` in a child process of its own."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - started
    peak_kb = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KB"))
    return elapsed, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,50")
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    options = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "parkops.settings.base",
        "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
    }
    env.pop("REDIS_URL", None)
    print(f"{'scale':>5} {'report':<10} {'seconds':>8} {'peak MB':>8}")
    for scale in [int(s) for s in options.scales.split(",")]:
        reset_database(options.database_url, env)
        seed(scale, env)
        for kind, period in PERIODS.items():
            seconds, peak = run(["generate_report", kind, "--period", period], env)
            print(f"{scale:>5} {kind:<10} {seconds:>8.2f} {peak:>8.0f}", flush=True)


if __name__ == "__main__":
    main()

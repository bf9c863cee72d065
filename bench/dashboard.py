"""The managers' dashboard at scale: the nightly freeze of 24 months, a cold first view, and the
latency people see with 16 of them at work.

Usage (from the project root, with the venv's Python; wrk and nginx as for ``bench/load.py``):

    .venv/bin/python bench/dashboard.py \
        --database-url postgres://postgres@127.0.0.1:5432/parkops_bench [--seed-scale 50]

1. ``figures_freeze`` over 24 months from nothing when nothing is frozen yet (the first night after a
   deployment), then the nightly run (this month's provisional figures again).
2. Cold view: Django's cache emptied and a new database connection before the request (in-process,
   through Django's test client); three times. The page never computes a month itself: a missing
   or stale current month is handed to a worker (``figures_refresh_current``).
3. Warm: the page's median time in-process and its number of queries.
4. Under load: gunicorn behind nginx, wrk with 16 clients each pausing 1 s (±50 %) after every
   response, like people; p50 / p95 / p99 over three rounds of 10 s.
"""

import argparse
import os
import statistics
import time

from common import collect_static, reset_database, seed
from load import ENV, buffering_proxy, check, gunicorn, prepare_django, wrk

PATH = "/reports/dashboard/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database (dropped when seeding)")
    parser.add_argument("--seed-scale", type=int, help="seed_demo --scale N into a fresh database first")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--think-ms", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    options = parser.parse_args()
    env = {**os.environ, **ENV, "DATABASE_URL": options.database_url}
    env.pop("REDIS_URL", None)
    if options.seed_scale:
        reset_database(options.database_url, env)
        seed(options.seed_scale, env)
    collect_static(env)
    auth = prepare_django(options.database_url)

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reports.dashboard import figures_freeze
    from reports.models import MonthlyFigures
    from spaces.models import Building, Unit

    today = timezone.localdate()
    print(
        f"Portfolio: {Building.objects.count()} buildings, {Unit.objects.count():,} units; today {today}; "
        f"{os.cpu_count()} cores."
    )
    if not MonthlyFigures.objects.filter(final=True).exists():
        started = time.perf_counter()
        months = figures_freeze(on=today)
        print(f"figures_freeze from nothing: {months} months in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    months = figures_freeze(on=today)
    print(f"nightly figures_freeze (this month again): {months} month in {time.perf_counter() - started:.1f} s")

    cold = []
    for _ in range(3):
        cache.clear()
        connection.close()
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = auth["staff_session"]
        started = time.perf_counter()
        response = client.get(PATH)
        cold.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    print(f"cold view (cache emptied, new database connection): {', '.join(f'{ms:.0f}' for ms in cold)} ms")

    warm = []
    for _ in range(30):
        started = time.perf_counter()
        client.get(PATH)
        warm.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(PATH)
    print(f"warm, in-process: median {statistics.median(warm):.1f} ms, {len(queries)} queries")

    headers = {"Cookie": f"sessionid={auth['staff_session']}"}
    with gunicorn(env, workers=options.workers) as direct, buffering_proxy(direct) as base:
        size = check(base, PATH, headers)
        rounds = []
        for _ in range(options.rounds):
            wrk(base, PATH, headers, connections=options.connections, seconds=3, think_ms=options.think_ms)
            rounds.append(
                wrk(
                    base,
                    PATH,
                    headers,
                    connections=options.connections,
                    seconds=options.seconds,
                    think_ms=options.think_ms,
                )
            )
    median = {key: statistics.median(run[key] for run in rounds) for key in ("rps", "p50_ms", "p95_ms", "p99_ms")}
    print(
        f"\n{options.connections} clients pausing {options.think_ms / 1000:g} s (±50 %), through nginx, "
        f"gunicorn {options.workers} sync workers, {options.rounds} rounds of {options.seconds} s:"
    )
    print("| page | response bytes | requests/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    print(
        f"| managers' dashboard | {size:,} | {median['rps']:.0f} | {median['p50_ms']:.1f} | {median['p95_ms']:.1f} "
        f"| {median['p99_ms']:.1f} | {sum(run['errors'] for run in rounds)} |"
    )


if __name__ == "__main__":
    main()

"""Where each load target's time goes, in one process: milliseconds per request, its SQL queries and
their share of the time. The load benchmark says how fast; this says why.

Usage (from the project root, with the venv's Python, on a database seeded as for ``bench/load.py``):

    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/parkops_bench [--only portal]
"""

import argparse
import os
import statistics
import time

from common import collect_static
from load import ENV, prepare_django, targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", help="measure only the targets whose name contains this text")
    parser.add_argument("--cold", action="store_true", help="empty the cache before every request (cache misses)")
    options = parser.parse_args()
    collect_static({**os.environ, **ENV, "DATABASE_URL": options.database_url})
    auth = prepare_django(options.database_url)

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", HTTP_HOST="127.0.0.1")
    print("| target | ms per request (median) | queries | ms in SQL |")
    print("|---|--:|--:|--:|")
    for name, path, headers in targets(auth):
        if options.only and options.only not in name:
            continue
        extra = {f"HTTP_{key.upper().replace('-', '_')}": value for key, value in headers.items()}
        if "Cookie" in headers:
            client.cookies.load(headers["Cookie"])
        client.get(path, **extra)  # warm-up: template loading, first connection
        timings = []
        for _ in range(options.repeat):
            if options.cold:
                cache.clear()
            started = time.perf_counter()
            response = client.get(path, **extra)
            timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        if options.cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(path, **extra)
        sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
        print(f"| {name} | {statistics.median(timings) * 1000:.1f} | {len(queries)} | {sql_ms:.1f} |", flush=True)
        client.cookies.clear()


if __name__ == "__main__":
    main()

"""Throughput and latency of the busiest pages under load, beside a framework floor and data ceilings.

Usage (from the project root, with the venv's Python; ``make bench`` installs wrk and runs both benchmarks):

    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/parkops_bench [--seed-scale 50]

With --seed-scale the database is dropped, migrated and seeded with ``seed_demo --scale N`` first;
without it the database must already hold a seeded portfolio. The app is served by gunicorn with
production settings (``bench.settings``: DEBUG off, plus the ceiling views of ``bench/urls.py``)
and driven by wrk on loopback, every target for the same time with the same number of connections,
in one pass per ``--think-ms`` value: flat out (0, straight to gunicorn) and with each client
pausing between requests like a person (through nginx, as deployed).
"""

import argparse
import contextlib
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, collect_static, reset_database, seed

ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
    "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
    "API_USER_RATE": "100000000/minute",  # the benchmark measures the app, not the throttle
}
LEASE_FILTERS = "status=active&building=LDC-17&ends_before=2028-12-31"
CEILINGS = [
    ("API unit list", "raw-SQL unit list (ceiling)"),
    ("API lease list, filtered", "raw-SQL lease list, filtered (ceiling)"),
]


def prepare_django(database_url: str) -> dict:
    """A staff superuser with a token and a session, and a session of a tenant company's admin."""
    os.environ.update(ENV, DATABASE_URL=database_url)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from rest_framework.authtoken.models import Token

    from spaces.models import Building

    def session_of(user) -> str:
        store = SessionStore()
        store[SESSION_KEY], store[HASH_SESSION_KEY] = str(user.pk), user.get_session_auth_hash()
        store[BACKEND_SESSION_KEY] = "core.auth.EmailOrUsernameBackend"
        store.create()
        return store.session_key

    staff, _created = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True, "email": "bench@example.com"}
    )
    tenant = get_user_model().objects.get(username="kugou")
    return {
        "token": Token.objects.get_or_create(user=staff)[0].key,
        "staff_session": session_of(staff),
        "tenant_session": session_of(tenant),
        "tower": Building.objects.get(code="LDC").pk,
        "large_building": Building.objects.get(code="LDC-02").pk,
    }


def targets(auth: dict) -> list[tuple[str, str, dict]]:
    api = {"Authorization": f"Token {auth['token']}"}
    staff = {"Cookie": f"sessionid={auth['staff_session']}"}
    return [
        ("bare Django JSON view (floor)", "/bench/bare/", {}),
        ("API unit list", "/api/v1/units/", api),
        ("raw-SQL unit list (ceiling)", "/bench/raw/units/", {}),
        ("API lease list, filtered", f"/api/v1/leases/?{LEASE_FILTERS}", api),
        ("raw-SQL lease list, filtered (ceiling)", f"/bench/raw/leases/?{LEASE_FILTERS}", {}),
        ("portal dashboard (酷狗音乐)", "/portal/", {"Cookie": f"sessionid={auth['tenant_session']}"}),
        ("admin lease list", "/admin/leases/lease/", staff),
        ("stacking plan, the tower (310 units)", f"/admin/spaces/building/{auth['tower']}/stacking-plan/", staff),
        (
            "stacking plan, LDC-02 (1,200 units)",
            f"/admin/spaces/building/{auth['large_building']}/stacking-plan/",
            staff,
        ),
    ]


def check(base: str, path: str, headers: dict) -> int:
    request = urllib.request.Request(base + path, headers={**headers, "Accept-Language": "zh-hans"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
        return len(body)


def wrk(base: str, path: str, headers: dict, *, connections: int, seconds: int, think_ms: int) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "percentiles.lua"),
        "-H",
        "Accept-Language: zh-hans",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, base + path, "--", str(think_ms)], check=True, capture_output=True, text=True
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database (dropped when seeding)")
    parser.add_argument("--seed-scale", type=int, help="seed_demo --scale N into a fresh database first")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="times each target is measured, taking turns")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--only", help="measure only the targets whose name contains this text")
    parser.add_argument(
        "--think-ms",
        default="0,1000",
        help="passes to run, each a think time in ms that every client pauses (±50 %%) after "
        "each response: 0 drives the server flat out (throughput), 1000 is people at work",
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make bench` installs it (Debian package wrk).")
    env = {**os.environ, **ENV, "DATABASE_URL": options.database_url}
    env.pop("REDIS_URL", None)
    if options.seed_scale:
        reset_database(options.database_url, env)
        seed(options.seed_scale, env)
    collect_static(env)
    auth = prepare_django(options.database_url)
    passes = [int(value) for value in options.think_ms.split(",")]
    chosen = [target for target in targets(auth) if not options.only or options.only in target[0]]
    with (
        gunicorn(env, workers=options.workers) as direct,
        buffering_proxy(direct) if any(passes) else contextlib.nullcontext() as proxied,
    ):
        print(
            f"Machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"gunicorn {options.workers} sync workers; wrk 2 threads, {options.connections} connections, "
            f"{options.seconds} s per target after a 3 s warm-up, {options.rounds} rounds."
        )
        for think_ms in passes:
            # Flat out, wrk talks to gunicorn itself. With pauses it goes through nginx, as in
            # production: wrk opens its next connection at once and writes the request after the
            # pause, and a sync worker would sit blocked on that silent connection.
            base = proxied if think_ms else direct
            print(
                "\n"
                + (
                    f"Each client pauses {think_ms / 1000:g} s (±50 %) after every response; through nginx."
                    if think_ms
                    else "Flat out: each client sends its next request as soon as it has "
                    "the response; straight to gunicorn."
                )
                + "\n",
                flush=True,
            )
            sizes = {name: check(base, path, headers) for name, path, headers in chosen}
            rounds = []  # the targets take turns, so that a slower minute of the machine hits them all
            for _ in range(options.rounds):
                measured = {}
                for name, path, headers in chosen:
                    wrk(base, path, headers, connections=options.connections, seconds=3, think_ms=think_ms)
                    measured[name] = wrk(
                        base, path, headers, connections=options.connections, seconds=options.seconds, think_ms=think_ms
                    )
                rounds.append(measured)
            print("| target | response bytes | requests/s | p50 ms | p95 ms | p99 ms | errors |")
            print("|---|--:|--:|--:|--:|--:|--:|")
            for name, _path, _headers in chosen:
                runs = [measured[name] for measured in rounds]
                median = {
                    key: statistics.median(run[key] for run in runs) for key in ("rps", "p50_ms", "p95_ms", "p99_ms")
                }
                print(
                    f"| {name} | {sizes[name]:,} | {median['rps']:.0f} | {median['p50_ms']:.1f} "
                    f"| {median['p95_ms']:.1f} | {median['p99_ms']:.1f} | {sum(run['errors'] for run in runs)} |"
                )
            if not think_ms:
                print()
                for api, ceiling in CEILINGS:
                    if api in rounds[0] and ceiling in rounds[0]:
                        shares = [measured[api]["rps"] / measured[ceiling]["rps"] for measured in rounds]
                        print(
                            f"{api}: {statistics.median(shares):.0%} of its raw-SQL ceiling's throughput "
                            f"(target ≥ 50 %; rounds: {', '.join(f'{share:.0%}' for share in shares)})"
                        )
        print(f"\nMedians over {options.rounds} rounds; errors summed.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base: str) -> None:
    for _ in range(100):
        try:
            check(base, "/bench/bare/", {})
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{base} did not answer")


@contextlib.contextmanager
def serving(command: list[str], port: int, **popen):
    """A server started with ``command``, listening on ``port`` of loopback, for the length of the
    block; yields its base URL."""
    process = subprocess.Popen(command, **popen)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def gunicorn(env: dict, *, workers: int):
    """The app under gunicorn's sync workers on a free port of loopback."""
    port = free_port()
    return serving(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "parkops.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        port,
        cwd=ROOT,
        env=env,
    )


NGINX_CONF = """
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass {upstream};
            proxy_set_header Host $http_host;
        }}
    }}
}}
"""


@contextlib.contextmanager
def buffering_proxy(upstream: str):
    """nginx on a free port in front of ``upstream``: it holds idle client connections and hands
    gunicorn whole requests, as a production deployment does. Yields its base URL."""
    if not shutil.which("nginx"):
        raise SystemExit("nginx is missing: `make bench` installs it (Debian package nginx-light).")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="parkops-bench-nginx-") as tmp:
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, upstream=upstream))
        with serving(["nginx", "-c", str(conf), "-p", tmp], port) as base:
            yield base


if __name__ == "__main__":
    main()

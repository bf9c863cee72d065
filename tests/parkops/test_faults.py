"""Fault checks against the real services: Redis stopped, a worker killed mid-report, PostgreSQL
restarted. The application runs as in production (gunicorn, production settings, DEBUG off) in
subprocesses; the services are stopped and started with the machine's own commands."""

import datetime
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from parkops.roles import MANAGERS, roles_ensure
from reports.models import ReportRun
from tenants.models import TenantMembership
from tests.conftest import ROOT, database_url_for_subprocess, requires_postgres, requires_redis, wait_for
from tests.factories import TenantCompanyFactory, UnitFactory

# serial: stopping Redis and restarting PostgreSQL would break tests running beside these (make test
# runs the rest in parallel first, then these alone).
pytestmark = [
    requires_postgres,
    requires_redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.real_clock,
    pytest.mark.serial,
]

# The commands that start the machine's services (env's machine page), overridable for other hosts.
REDIS_START = os.environ.get(
    "REDIS_START_COMMAND",
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis '
    "--logfile /var/log/redis/ci.log",
)
POSTGRES_RESTART = os.environ.get(
    "POSTGRES_RESTART_COMMAND", "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main restart -m fast"
)
FAULT_REDIS_DB = 15  # the subprocesses' queue and cache, apart from everything else on this Redis
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "parkops.settings.production",
    "DEBUG": "0",
    "SECRET_KEY": "fault-checks-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
}


def redis_url() -> str:
    parts = urlsplit(os.environ["REDIS_URL"])
    return f"{parts.scheme}://{parts.netloc}/{FAULT_REDIS_DB}"


def redis_answers() -> bool:
    return (
        subprocess.run(["redis-cli", "-u", redis_url(), "ping"], capture_output=True, text=True).stdout.strip()
        == "PONG"
    )


def stop_redis() -> None:
    subprocess.run(["redis-cli", "-u", redis_url(), "shutdown", "nosave"], capture_output=True)
    wait_for(lambda: not redis_answers(), timeout=10, what="Redis to stop")


def start_redis() -> None:
    if not redis_answers():
        subprocess.run(REDIS_START, shell=True, check=True)
    wait_for(redis_answers, timeout=10, what="Redis to start")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """Production settings serve hashed static files: collect them once, as a deployment does."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        check=True,
        env={**os.environ, **PRODUCTION, "STATIC_ROOT": str(root)},
    )
    return root


@pytest.fixture
def production_env(static_root, tmp_path) -> dict:
    """Environment of the production processes: the test database, Redis database 15, a media folder,
    and a broker that hands back a dead worker's message after 3 s instead of an hour."""
    subprocess.run(["redis-cli", "-u", redis_url(), "flushdb"], check=True, capture_output=True)
    return {
        **os.environ,
        **PRODUCTION,
        "DATABASE_URL": database_url_for_subprocess(),
        "REDIS_URL": redis_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }


@pytest.fixture
def server(production_env):
    """gunicorn with two workers, as deployed; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "parkops.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=production_env,
    )
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return requests.get(f"{base}/healthz/", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_for(up, timeout=30, what="gunicorn to answer")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def start_worker(production_env):
    """Starts a Celery worker (prefork, one child) in a process group of its own; all are stopped at the end."""
    workers = []

    def start() -> subprocess.Popen:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "parkops",
                "worker",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=warning",
                "--hostname",
                f"fault{len(workers)}@%h",
            ],
            cwd=ROOT,
            env=production_env,
            start_new_session=True,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)


@pytest.fixture
def people():
    """A manager with an API token and a tenant company admin with a password, in the committed database."""
    manager = get_user_model().objects.create_user("fault-manager", is_staff=True)
    manager.groups.add(roles_ensure()[MANAGERS])
    # Hashed as production checks it (the test settings hash with MD5, which production does not accept).
    hasher = PBKDF2PasswordHasher()
    tenant_user = get_user_model().objects.create_user("fault-tenant")
    tenant_user.password = hasher.encode("fault-tenant-password", hasher.salt(), iterations=1000)
    tenant_user.save(update_fields=["password"])
    company = TenantCompanyFactory()
    TenantMembership.objects.create(user=tenant_user, company=company, role=TenantMembership.Role.ADMIN)
    UnitFactory.create_batch(3)
    return {"token": Token.objects.create(user=manager).key, "tenant": ("fault-tenant", "fault-tenant-password")}


def api(base: str, token: str, path: str, **kwargs) -> requests.Response:
    method = "post" if "json" in kwargs else "get"
    return getattr(requests, method)(
        f"{base}/api/v1/{path}",
        headers={"Authorization": f"Token {token}", "Accept-Language": "en"},
        timeout=15,
        **kwargs,
    )


def portal_session(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/portal/login/", timeout=15)
    response = session.post(
        f"{base}/portal/login/",
        timeout=15,
        headers={"Referer": f"{base}/portal/login/"},
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
    )
    assert response.status_code == 200 and response.url == f"{base}/portal/", response.text[-1500:]
    return session


def request_report(base: str, token: str) -> ReportRun:
    response = api(base, token, "report-runs/", json={"kind": "occupancy", "period": "2026-10", "language": "en"})
    assert response.status_code == 202, response.text
    return ReportRun.objects.get(pk=response.json()["id"])


def files_of(run: ReportRun, env: dict) -> list[Path]:
    return sorted((Path(env["MEDIA_ROOT"]) / "reports" / str(run.pk)).iterdir())


def test_with_redis_stopped_pages_and_api_work_and_reports_wait_until_it_returns(
    server, start_worker, production_env, people
):
    try:
        stop_redis()
        # Sign-in (its failure counter lives in the cache), a portal page and the API all still answer.
        session = portal_session(server, *people["tenant"])
        assert session.get(f"{server}/portal/", timeout=15).status_code == 200
        assert api(server, people["token"], "units/").json()["count"] == 3
        started = time.monotonic()
        run = request_report(server, people["token"])
        assert time.monotonic() - started < 10  # the request does not hang on the missing broker
        assert requests.get(f"{server}/healthz/", timeout=5).json()["status"] == "degraded"
        time.sleep(2)
        run.refresh_from_db()
        assert run.status == ReportRun.Status.QUEUED and run.attempts == 0
    finally:
        start_redis()

    start_worker()
    # The five-minute sweep finds the run queued for longer than five minutes and hands it over.
    ReportRun.objects.filter(pk=run.pk).update(queued_at=timezone.now() - datetime.timedelta(minutes=6))
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from reports.tasks import reports_requeue_stale; print(reports_requeue_stale.delay().get(timeout=60))",
        ],
        cwd=ROOT,
        env=production_env,
        check=True,
        capture_output=True,
    )
    run = wait_for(
        lambda: ReportRun.objects.filter(pk=run.pk, status=ReportRun.Status.DONE).first(),
        timeout=120,
        what="the queued report to be rendered",
    )
    media = Path(production_env["MEDIA_ROOT"])
    assert files_of(run, production_env) == sorted([media / run.file.name, media / run.xlsx.name])


def test_a_worker_killed_mid_report_leaves_the_run_to_the_next_worker_with_exactly_one_file(
    server, start_worker, production_env, people
):
    first = start_worker()
    run = request_report(server, people["token"])
    wait_for(
        lambda: ReportRun.objects.filter(pk=run.pk, status=ReportRun.Status.RUNNING).exists(),
        timeout=60,
        interval=0.02,
        what="the first worker to start rendering",
    )
    os.killpg(first.pid, signal.SIGKILL)  # the whole worker, as an out-of-memory kill or a power cut would
    first.wait(timeout=10)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.RUNNING and run.attempts == 1  # killed before it finished

    start_worker()  # the broker hands the unacknowledged message back once its visibility timeout is over
    run = wait_for(
        lambda: ReportRun.objects.filter(pk=run.pk, status=ReportRun.Status.DONE).first(),
        timeout=120,
        what="the second worker to finish the run",
    )
    assert run.attempts == 2
    media = Path(production_env["MEDIA_ROOT"])
    assert files_of(run, production_env) == sorted([media / run.file.name, media / run.xlsx.name])  # no leftovers
    pdf = media / run.file.name
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size == run.size


def test_after_a_postgresql_restart_the_running_app_answers_without_being_restarted(server, people):
    session = portal_session(server, *people["tenant"])
    for _ in range(4):  # both gunicorn workers now hold open database connections
        assert api(server, people["token"], "units/").status_code == 200
    try:
        subprocess.run(POSTGRES_RESTART, shell=True, check=True, capture_output=True)
    finally:
        connection.close()  # this test's own connection died with the server
    for _ in range(4):
        assert api(server, people["token"], "units/").json()["count"] == 3
        assert session.get(f"{server}/portal/", timeout=15).status_code == 200
    assert requests.get(f"{server}/healthz/", timeout=5).json()["status"] == "ok"

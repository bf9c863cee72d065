import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent

requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="needs PostgreSQL: DATABASE_URL is not set to a postgres:// URL (.ci/run sets it)",
)
requires_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis: REDIS_URL is not set (.ci/run sets it)"
)


@pytest.fixture(autouse=True)
def english():
    """Tests read their messages in English; the Chinese texts are tested where the language is the point."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="x", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def database_url_for_subprocess() -> str:
    """The URL of the database this test runs against (the test database, not the configured one)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def celery_worker_queue():
    """A real Celery worker in a subprocess, consuming a queue of its own on the configured Redis.

    Yields the queue's name; the test sends tasks there with ``apply_async(queue=...)``.
    """
    from parkops.celery import app

    queue = f"parkops-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "parkops.settings.test", "DATABASE_URL": database_url_for_subprocess()}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "parkops", "worker", "--pool=solo", "--queues", queue,
         "--without-gossip", "--without-mingle", "--loglevel=warning", "--hostname", f"{queue}@%h"],
        cwd=ROOT,
        env=env,
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = eager
        worker.terminate()
        worker.wait(timeout=30)

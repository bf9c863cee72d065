import pytest
from django.db import OperationalError

from parkops import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_and_eager_mode(client, settings):
    settings.REDIS_URL = None
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["redis"] == {"ok": True, "configured": False, "detail": "not configured: Celery runs tasks eagerly"}


def test_healthz_is_degraded_but_up_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["redis"]["ok"] is False and body["redis"]["configured"] is True


def test_healthz_answers_503_when_the_database_is_down(client, settings, monkeypatch):
    settings.REDIS_URL = None

    class BrokenCursor:
        def __enter__(self):
            raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: BrokenCursor())
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert "Connection refused" in response.json()["database"]["error"]

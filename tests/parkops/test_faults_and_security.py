import datetime
import os
import subprocess
import uuid

import psycopg
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from reports import services as report_services
from reports import tasks as report_tasks
from reports.models import ReportRun
from tenants.models import IndustryCluster
from tests.conftest import ROOT, database_url_for_subprocess, requires_postgres
from tests.factories import ReportRunFactory, TenantCompanyFactory


@pytest.mark.django_db
def test_with_the_broker_down_a_report_request_succeeds_and_the_run_waits(
    client, django_user_model, monkeypatch, django_capture_on_commit_callbacks
):
    from parkops.roles import MANAGERS, roles_ensure

    manager = django_user_model.objects.create_user("manager", is_staff=True)
    manager.groups.add(roles_ensure()[MANAGERS])
    client.force_login(manager)

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(report_tasks.report_render, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:list"), {"kind": "occupancy", "period": "2026-10", "language": "en"})
    run = ReportRun.objects.get()
    assert response.status_code == 302 and run.status == ReportRun.Status.QUEUED
    assert client.get(reverse("healthz")).status_code == 200  # pages keep working
    assert report_services.reports_requeue_stale() == 0  # not stale yet
    monkeypatch.undo()
    ReportRun.objects.filter(pk=run.pk).update(queued_at=timezone.now() - datetime.timedelta(minutes=10))
    assert report_services.reports_requeue_stale() == 1  # the broker is back: eager here, rendered at once
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE


@pytest.mark.django_db
def test_the_sweep_hands_over_a_run_whose_worker_died_mid_render(monkeypatch):
    run = ReportRunFactory()
    sent = []
    monkeypatch.setattr(report_tasks.report_render, "delay", sent.append)
    limit = datetime.timedelta(seconds=report_tasks.report_render.time_limit)
    ReportRun.objects.filter(pk=run.pk).update(status="running", attempts=1, started_at=timezone.now() - limit)
    assert report_services.reports_requeue_stale() == 0  # it may still be rendering
    ReportRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - limit - datetime.timedelta(minutes=6))
    assert report_services.reports_requeue_stale() == 1 and sent == [run.pk]


@pytest.mark.django_db
def test_every_response_carries_a_content_security_policy(client):
    policy = client.get(reverse("portal:login"))["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "'unsafe-inline'" in client.get("/api/docs/")["Content-Security-Policy"]
    assert client.get(reverse("portal:login"))["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_admin_sign_in_is_throttled_too(client, django_user_model, settings):
    settings.PARKOPS_LOGIN_MAX_FAILURES = 2
    django_user_model.objects.create_user("boss", password="Right-Password-1", is_staff=True, is_superuser=True)
    for _ in range(2):
        client.post(reverse("admin:login"), {"username": "boss", "password": "wrong"})
    locked = client.post(reverse("admin:login"), {"username": "boss", "password": "Right-Password-1"})
    assert "Too many failed sign-in attempts" in locked.content.decode()


def test_no_secrets_are_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert not [name for name in tracked if name.endswith((".env", ".pem", ".key", ".sqlite3", ".dump"))]
    leaks = subprocess.run(
        ["git", "grep", "-nIE", r"(BEGIN (RSA|EC|OPENSSH) PRIVATE KEY|AKIA[0-9A-Z]{16})"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    assert leaks == ""


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path):
    IndustryCluster.objects.create(code="backup", name_zh="备份测试", name_en="Backup", colour="#000000")
    TenantCompanyFactory.create_batch(3)
    source = database_url_for_subprocess()
    env = {**os.environ, "DATABASE_URL": source, "MEDIA_ROOT": str(tmp_path / "media")}
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "file.txt").write_text("媒体文件")
    made = subprocess.run(
        ["bash", "scripts/backup.sh", str(tmp_path / "backups")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    dump, media = made
    target_name = f"parkops_restore_{uuid.uuid4().hex[:8]}"
    admin_url = source.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{target_name}"')
    try:
        target = source.rsplit("/", 1)[0] + "/" + target_name
        restored_media = tmp_path / "restored-media"
        subprocess.run(
            ["bash", "scripts/restore.sh", dump, media],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={**env, "DATABASE_URL": target, "MEDIA_ROOT": str(restored_media)},
        )
        with psycopg.connect(target) as restored:
            companies = restored.execute("SELECT count(*) FROM tenants_tenantcompany").fetchone()[0]
            cluster = restored.execute("SELECT name_zh FROM tenants_industrycluster WHERE code = 'backup'").fetchone()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tenants_tenantcompany")
            assert companies == cursor.fetchone()[0] == 3
        assert cluster == ("备份测试",) and (restored_media / "file.txt").read_text() == "媒体文件"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target_name}"')

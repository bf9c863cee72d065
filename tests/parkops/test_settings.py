import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from parkops.settings.env import env_bool, env_int, env_list
from tests.conftest import ROOT

PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'],"
    " 'name': str(settings.DATABASES['default']['NAME']),"
    " 'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'broker': settings.CELERY_BROKER_URL, 'debug': settings.DEBUG,"
    " 'hosts': settings.ALLOWED_HOSTS, 'tz': settings.TIME_ZONE, 'lang': settings.LANGUAGE_CODE,"
    " 'media': str(settings.MEDIA_ROOT), 'email_host': settings.EMAIL_HOST}))"
)
ENV_NAMES = [
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "MEDIA_ROOT",
    "EMAIL_HOST",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
]  # the browser tests set the last one for live_server


def run_with_env(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    clean["DJANGO_SETTINGS_MODULE"] = env.pop("settings", "parkops.settings.base")
    return subprocess.run(args, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120)


def settings_with_env(**env) -> dict:
    result = run_with_env([sys.executable, "-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_for_a_newcomer_are_sqlite_under_var_and_eager_celery():
    values = settings_with_env(DEBUG="1")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "var" / "parkops.sqlite3")
    assert values["eager"] is True and values["broker"] == "memory://"
    assert values["tz"] == "Asia/Shanghai" and values["lang"] == "zh-hans"
    assert values["media"] == str(ROOT / "var" / "media")


def test_urls_from_the_environment_select_postgresql_and_redis():
    values = settings_with_env(
        DEBUG="0",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="parkops.example, www.parkops.example",
        DATABASE_URL="postgres://ops@db.internal:5433/parkops",
        REDIS_URL="redis://cache.internal:6379/2",
        MEDIA_ROOT="/srv/parkops/media",
        EMAIL_HOST="smtp.internal",
    )
    assert values["engine"] == "django.db.backends.postgresql" and values["name"] == "parkops"
    assert values["eager"] is False and values["broker"] == "redis://cache.internal:6379/2"
    assert values["debug"] is False and values["hosts"] == ["parkops.example", "www.parkops.example"]
    assert values["media"] == "/srv/parkops/media" and values["email_host"] == "smtp.internal"


def test_without_debug_a_secret_key_is_required():
    result = run_with_env([sys.executable, "-c", PROBE], DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_with_env(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        settings="parkops.settings.production",
        DEBUG="0",
        SECRET_KEY="k3y-" + "9f8e7d6c5b4a" * 5,
        ALLOWED_HOSTS="parkops.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_debug():
    result = run_with_env([sys.executable, "-c", PROBE], settings="parkops.settings.production", DEBUG="1")
    assert "must not run with DEBUG on" in result.stderr


def test_env_readers_reject_nonsense(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
        env_bool("FLAG", False)
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="is not a whole number"):
        env_int("COUNT", 1)
    monkeypatch.setenv("HOSTS", " a.example ,, b.example ")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("FLAG", "Off")
    assert env_bool("FLAG", True) is False

"""Settings for the test suite: base settings with fast hashing and in-memory side effects."""

import os

os.environ.setdefault("SECRET_KEY", "parkops-test-suite-only-not-a-secret-0123456789abcdefghij")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# pytest-django runs with DEBUG=False; the manifest storage would demand collectstatic.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Each pytest-xdist worker writes its files apart from the others'.
MEDIA_ROOT = VAR_DIR / "test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Tests enqueue eagerly; the integration tests start a real worker and switch this off themselves.
CELERY_TASK_ALWAYS_EAGER = True
# A replica alias mirroring the test database, used only where a test turns PARKOPS_READ_REPLICA on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405

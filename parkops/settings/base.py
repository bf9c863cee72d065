"""Settings shared by every environment; everything that varies comes from the environment."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from .env import env_bool, env_int, env_json, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(env_str("PARKOPS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-parkops-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "parkops.admin_config.ParkOpsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_celery_beat",
    "simple_history",
    "import_export",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "notifications",
    "tenants",
    "spaces",
    "billing",
    "leases",
    "apartments",
    "servicedesk",
    "banking",
    "meters",
    "events",
    "filings",
    "incentives",
    "reports",
    "portal",
    "api",
    "parkops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "parkops.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "parkops.urls"
WSGI_APPLICATION = "parkops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: PostgreSQL in production and CI, a SQLite file for a newcomer with nothing running.
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'parkops.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A streaming replica for the reports' reads (core.db_routers); unset: everything on the primary.
REPLICA_DATABASE_URL = env_str("REPLICA_DATABASE_URL", "")
PARKOPS_READ_REPLICA = bool(REPLICA_DATABASE_URL)
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(REPLICA_DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.db_routers.ReplicaReadRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis carries the Celery queue and the cache; without it tasks run eagerly in-process.
REDIS_URL = env_str("REDIS_URL") or None

if REDIS_URL:
    # Fail-soft: while Redis is down the cache acts empty, so pages and the API keep working.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# When Redis is down, publishing gives up within seconds so that pages never hang; the work stays
# recorded in the database (a queued report run) and is queued again once Redis is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A message taken by a worker that then died goes back to the queue after the visibility timeout;
# it must outlast the longest task (the report task's 900 s limit).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
# Queues per kind of work, so each can have workers (and hosts) of its own: deploy/systemd starts one
# worker per queue set. A worker started without -Q consumes them all (the demo, the tests).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue(name) for name in ("default", "reports", "notifications", "billing")]
CELERY_TASK_ROUTES = {
    "reports.*": {"queue": "reports"},
    "notifications.*": {"queue": "notifications"},
    "billing.*": {"queue": "billing"},
    "banking.*": {"queue": "billing"},
    "meters.*": {"queue": "billing"},
    "incentives.*": {"queue": "billing"},
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_RESULT_EXPIRES = 24 * 3600
# Periodic jobs live in the database, editable in the admin (django-celery-beat). One beat only: a
# second one started by mistake finds the lock held in Redis and sends nothing (parkops.beat).
CELERY_BEAT_SCHEDULER = "parkops.beat:SingleBeatScheduler"
PARKOPS_BEAT_LOCK_SECONDS = env_int("PARKOPS_BEAT_LOCK_SECONDS", 60)

# Internationalisation: Simplified Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["parkops.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
CELERY_TIMEZONE = TIME_ZONE
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"  # never routed: files are served by /files/<name> after a check (core.files)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Behind nginx: the internal location serving MEDIA_ROOT to X-Accel-Redirect; empty: Django sends files.
PARKOPS_MEDIA_ACCEL_PREFIX = env_str("PARKOPS_MEDIA_ACCEL_PREFIX", "")
STORAGES = {
    "default": {"BACKEND": "core.files.PrivateStorage"},  # object storage below when a bucket is set
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}

# Media on S3-compatible object storage (MinIO, OSS, COS, S3), shared by every web host and worker.
PARKOPS_S3_BUCKET = env_str("PARKOPS_S3_BUCKET", "")
if PARKOPS_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "core.files.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": PARKOPS_S3_BUCKET,
            "endpoint_url": env_str("PARKOPS_S3_ENDPOINT_URL") or None,
            "access_key": env_str("PARKOPS_S3_ACCESS_KEY", ""),
            "secret_key": env_str("PARKOPS_S3_SECRET_KEY", ""),
            "region_name": env_str("PARKOPS_S3_REGION", "cn-south-1"),
            "default_acl": "private",
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Email
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ParkOps <parkops@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
OPERATIONS_EMAILS = env_list("OPERATIONS_EMAILS", [])

# Notifications (README "Notifications"). SMS by Alibaba Cloud's SMS API (dysmsapi): an approved
# signature and, per event, an approved template code and its text with ${title} (to count segments).
PARKOPS_SMS = {
    "endpoint": env_str("PARKOPS_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"),
    "access_key_id": env_str("PARKOPS_SMS_ACCESS_KEY_ID", ""),
    "access_key_secret": env_str("PARKOPS_SMS_ACCESS_KEY_SECRET", ""),
    "sign_name": env_str("PARKOPS_SMS_SIGN_NAME", ""),
    "templates": env_json("PARKOPS_SMS_TEMPLATES", {}),
}
# Group robots by name: {"ops": {"kind": "wecom" | "dingtalk" | "feishu", "url": webhook, "secret": signing
# secret (DingTalk, Feishu), "per_minute": limit}}; staff route events to them in the admin.
PARKOPS_ROBOTS = env_json("PARKOPS_ROBOTS", {})
PARKOPS_NOTIFY_MAX_ATTEMPTS = env_int("PARKOPS_NOTIFY_MAX_ATTEMPTS", 5)
PARKOPS_NOTIFY_LOG_DAYS = env_int("PARKOPS_NOTIFY_LOG_DAYS", 180)
PARKOPS_HTTP_TIMEOUT = env_int("PARKOPS_HTTP_TIMEOUT", 10)

# Security: strict unless DEBUG; each switch can still be set from the environment.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Scripts and styles come from our own static files only; inline styles stay allowed for the
# admin's and the PDFs' markup, inline scripts are not.
PARKOPS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)
PARKOPS_CSP_RELAXED = ["/api/docs/"]
PARKOPS_CSP_RELAXED_POLICY = PARKOPS_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every render; pygal's charts repeat SVG anchor ids, which
    # WeasyPrint reports but which do not matter in a PDF.
    "loggers": {name: {"level": "ERROR"} for name in ("weasyprint", "fontTools")},
}

# Imports run in one transaction: a file with a bad row imports nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:login"
AUTHENTICATION_BACKENDS = ["core.auth.EmailOrUsernameBackend"]
PARKOPS_LOGIN_MAX_FAILURES = env_int("PARKOPS_LOGIN_MAX_FAILURES", 5)
PARKOPS_LOGIN_LOCKOUT_SECONDS = env_int("PARKOPS_LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Failed sign-ins from one address across all accounts before that address is locked out too.
PARKOPS_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("PARKOPS_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
# How many reverse proxies in front of the app append to X-Forwarded-For (nginx: 1). The client's
# address for sign-in lockouts and API throttles is read that many hops from the right; 0 means the
# connection's own address, and whatever a client writes in the header is never trusted.
PARKOPS_TRUSTED_PROXIES = env_int("PARKOPS_TRUSTED_PROXIES", 0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "core.speedups.token_cache.CachedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.StaffOrTenant"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.UserThrottle", "core.api.throttling.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_USER_RATE", "1200/minute"),
        "anon": env_str("API_ANON_RATE", "30/minute"),
    },
}
# JSON bodies of the API: the largest accepted (bytes) and the deepest nesting of arrays and objects.
API_MAX_JSON_BYTES = env_int("API_MAX_JSON_BYTES", 1024 * 1024)
API_MAX_JSON_DEPTH = env_int("API_MAX_JSON_DEPTH", 20)
# How long the API remembers whose a token is (core/speedups/token_cache.py); changes forget it at once.
API_TOKEN_CACHE_SECONDS = env_int("API_TOKEN_CACHE_SECONDS", 60)
# Stacking plans are cached until something they show changes (spaces/plan_cache.py), at most this long.
STACKING_PLAN_CACHE_SECONDS = env_int("STACKING_PLAN_CACHE_SECONDS", 3600)

SPECTACULAR_SETTINGS = {
    "TITLE": "ParkOps API",
    "DESCRIPTION": "Tenant and operations management of the Lingnan Digital Creative Building (岭南数字创意大厦).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "HallKindEnum": "events.models.Hall.Kind",
        "ReportKindEnum": "reports.models.ReportRun.Kind",
        "RoomLayoutEnum": "apartments.models.ApartmentRoom.Layout",
        "RoomRentBasisEnum": "apartments.models.ApartmentRoom.RentBasis",
        "BookingLayoutEnum": "events.models.Booking.Layout",
        "LeaseRentBasisEnum": "leases.models.Lease.RentBasis",
        "MeterKindEnum": "meters.models.Kind",
        "TariffMethodEnum": "meters.models.Tariff.Method",
        "TaxMethodEnum": "billing.models.TaxRate.Method",
        "PaymentMethodEnum": "billing.models.Payment.Method",
        "PeriodKindEnum": "reports.models.ReportRun.PeriodType",  # a month or a quarter, reports and filings alike
        "IncentiveKindEnum": "incentives.models.IncentivePolicy.Kind",
    },
}

# ParkOps
# Links in emails (a report is ready) point here.
PARKOPS_BASE_URL = env_str("PARKOPS_BASE_URL", "http://127.0.0.1:8000")
# A rent quoted per day becomes a monthly rate by this factor (days in a month); "365/12" or "30".
PARKOPS_DAYS_PER_MONTH = env_str("PARKOPS_DAYS_PER_MONTH", "365/12")
# Scheduled bills are issued this many days before they fall due.
PARKOPS_BILL_ISSUE_DAYS = env_int("PARKOPS_BILL_ISSUE_DAYS", 15)
PARKOPS_OPERATOR_NAME = _("Yangcheng Evening News Group")
# The code version written into report snapshots; empty: the checkout's git commit.
PARKOPS_VERSION = env_str("PARKOPS_VERSION", "")
# Where tenants pay, printed on bills and receipts (the defaults are demo values: set the real account).
PARKOPS_PAYEE_NAME = env_str("PARKOPS_PAYEE_NAME", "")
PARKOPS_PAYEE_BANK = env_str("PARKOPS_PAYEE_BANK", "招商银行广州分行营业部（演示）")
PARKOPS_PAYEE_ACCOUNT = env_str("PARKOPS_PAYEE_ACCOUNT", "1209 0000 0000 0000（演示账号）")
# When fapiao are requested without the tenant asking: on_request (never), on_issue, on_payment.
PARKOPS_FAPIAO_POLICY = env_str("PARKOPS_FAPIAO_POLICY", "on_request")
# A reading whose consumption a day is this many times above (or below) the meter's usual is flagged.
PARKOPS_METER_SPIKE_FACTOR = env_str("PARKOPS_METER_SPIKE_FACTOR", "3")
# Days after a utility run is posted during which a tenant may dispute a charge.
PARKOPS_DISPUTE_DAYS = env_int("PARKOPS_DISPUTE_DAYS", 15)
PARKOPS_MAX_UPLOAD_BYTES = env_int("PARKOPS_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# A deal without activity for this many days, or past its next-action date, is stale.
PARKOPS_STALE_DEAL_DAYS = env_int("PARKOPS_STALE_DEAL_DAYS", 30)

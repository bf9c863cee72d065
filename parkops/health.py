"""Liveness of the parts the application depends on, for load balancers and monitoring."""

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "vendor": connection.vendor, "error": str(error).strip().splitlines()[0]}
    return {"ok": True, "vendor": connection.vendor}


def redis_state() -> dict:
    """Redis is optional: without REDIS_URL the tasks run eagerly and that is not an error."""
    if not settings.REDIS_URL:
        return {"ok": True, "configured": False, "detail": "not configured: Celery runs tasks eagerly"}
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        return {"ok": False, "configured": True, "error": str(error)}
    finally:
        client.close()
    return {"ok": True, "configured": True}


@never_cache
@require_GET
def healthz(request):
    database = database_state()
    broker = redis_state()
    if not database["ok"]:
        status = "down"
    elif not broker["ok"]:
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, "database": database, "redis": broker}, status=503 if status == "down" else 200
    )

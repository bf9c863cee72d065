"""API throttling: fixed windows counted with one atomic increment (core/api/throttling.py)."""

import threading
import types

import pytest
from django.core.cache import caches
from django.urls import reverse

from core.api.throttling import AnonThrottle, UserThrottle
from tests.conftest import requires_redis

RATES = {"user": "3/minute", "anon": "2/minute"}


@pytest.fixture
def clock(monkeypatch):
    """A settable clock for the throttles, starting at the beginning of a minute, and low rates."""
    now = {"time": 1_800_000_000.0}
    for throttle in (UserThrottle, AnonThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", RATES)
        monkeypatch.setattr(throttle, "timer", lambda self=None: now["time"])
    caches["default"].clear()
    return now


def test_a_user_over_the_rate_is_refused_with_a_clear_message_until_the_window_ends(api, world, clock):
    api.force_authenticate(world["a"]["user"])
    url = reverse("api:lease-list")
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    clock["time"] += 20
    refused = api.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert refused.json()["code"] == "throttled" and "40 seconds" in refused.json()["message"]
    assert "秒" in api.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["message"]

    api.force_authenticate(world["b"]["user"])  # another user has a count of its own
    assert api.get(url).status_code == 200

    api.force_authenticate(world["a"]["user"])
    clock["time"] += 40  # the next window
    assert api.get(url).status_code == 200


def test_anonymous_clients_are_counted_per_address_on_the_token_endpoint_too(api, world, clock):
    url = reverse("api:token")
    for _ in range(2):
        assert api.post(url, {"username": "nobody", "password": "wrong"}).status_code == 400
    assert api.post(url, {"username": "nobody", "password": "wrong"}).status_code == 429
    assert api.post(url, {"username": "nobody", "password": "wrong"}, REMOTE_ADDR="10.0.0.9").status_code == 400


def test_the_token_endpoint_locks_an_account_after_repeated_failures_like_the_portal(api, client, world, settings):
    settings.PARKOPS_LOGIN_MAX_FAILURES, settings.PARKOPS_LOGIN_LOCKOUT_SECONDS = 3, 900
    caches["default"].clear()
    url = reverse("api:token")
    for _ in range(3):
        assert api.post(url, {"username": "tenant-a", "password": "wrong"}).status_code == 400
    locked = api.post(url, {"username": "tenant-a", "password": "pw-123456789"})
    assert locked.status_code == 400 and "token" not in locked.json()
    assert "Too many failed sign-in attempts. Please wait 15 minutes" in locked.json()["message"]
    assert (
        "登录失败次数过多"
        in api.post(url, {"username": "tenant-a", "password": "pw-123456789"}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()[
            "message"
        ]
    )
    portal = client.post(
        reverse("portal:login"), {"username": "tenant-a", "password": "pw-123456789"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Too many failed sign-in attempts" in portal.content.decode()  # one count for both
    other_address = api.post(url, {"username": "tenant-a", "password": "pw-123456789"}, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200 and other_address.json()["token"]


def concurrent_passes(throttle_class, *, clients: int) -> int:
    """How many of ``clients`` simultaneous requests of one user the throttle lets through."""
    user = types.SimpleNamespace(is_authenticated=True, pk=42)
    request = types.SimpleNamespace(user=user, META={"REMOTE_ADDR": "127.0.0.1"})
    barrier, passed = threading.Barrier(clients), []

    def attempt():
        throttle = throttle_class()
        barrier.wait()
        if throttle.allow_request(request, None):
            passed.append(1)

    threads = [threading.Thread(target=attempt) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(passed)


def test_simultaneous_requests_never_pass_beyond_the_rate(clock):
    assert concurrent_passes(UserThrottle, clients=24) == 3


@requires_redis
def test_simultaneous_requests_never_pass_beyond_the_rate_with_redis(clock, monkeypatch, settings):
    import os

    from core.cache import FailSoftRedisCache

    cache = FailSoftRedisCache(os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/15", {})
    cache.clear()
    monkeypatch.setattr(UserThrottle, "cache", cache)
    assert concurrent_passes(UserThrottle, clients=24) == 3
    cache.clear()


@pytest.mark.django_db
def test_a_blank_username_takes_nothing_back_from_the_address_count(settings):
    from django.test import RequestFactory

    from core.auth import sign_in_begin, sign_in_succeeded

    settings.PARKOPS_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    request = RequestFactory().post("/portal/login/", REMOTE_ADDR="203.0.113.9")
    for name in ("a", "b", "c"):
        assert sign_in_begin(request, name) is None  # three failed guesses on three accounts
        sign_in_succeeded(request, "")  # a blank post between guesses
    assert sign_in_begin(request, "d") == {"minutes": settings.PARKOPS_LOGIN_LOCKOUT_SECONDS // 60}

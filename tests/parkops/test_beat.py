"""One beat at a time: a second beat finds the lock held in Redis and sends nothing until the first
stops."""

import uuid

import pytest
from celery import current_app
from django_celery_beat.schedulers import DatabaseScheduler

from parkops.beat import SingleBeatScheduler
from tests.conftest import requires_redis


@requires_redis
@pytest.mark.django_db
def test_a_second_beat_sends_nothing_while_the_first_holds_the_lock(monkeypatch):
    monkeypatch.setattr(SingleBeatScheduler, "lock_key", f"parkops:test:beat:{uuid.uuid4().hex}")
    ticks = []
    monkeypatch.setattr(DatabaseScheduler, "tick", lambda self, *args, **kwargs: ticks.append(self) or 1.0)
    first = SingleBeatScheduler(app=current_app, lazy=True)
    second = SingleBeatScheduler(app=current_app, lazy=True)
    try:
        assert first.tick() == 1.0 and first.tick() == 1.0  # holds, then renews
        assert second.tick() == second.max_interval  # held by the first: nothing sent
        assert ticks == [first, first]
        assert 0 < first.redis.pttl(first.lock_key) <= 60_000
        first.redis.eval("return redis.call('del', KEYS[1])", 1, first.lock_key)  # the first beat stopped
        assert second.tick() == 1.0 and ticks[-1] is second
        assert first.tick() == first.max_interval  # now it is the second's
    finally:
        first.redis.delete(first.lock_key)

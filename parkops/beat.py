"""The beat scheduler: django-celery-beat's schedule from the database, sent by one beat at a time.

Each tick the beat holds (or renews) a lock in Redis for ``PARKOPS_BEAT_LOCK_SECONDS``; a second
beat started by mistake on another host finds it held and sends nothing, and takes over only when
the first has stopped renewing it. Without Redis (the demo) there is one process and no lock."""

import os
import socket
import uuid

import redis
from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler
from redis.exceptions import RedisError

# Renew or release the lock only while it is ours (compare and act in one step, in Redis).
RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class SingleBeatScheduler(DatabaseScheduler):
    lock_key = "parkops:beat:lock"

    def __init__(self, *args, **kwargs):
        self.lock_owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.redis = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2) if settings.REDIS_URL else None
        super().__init__(*args, **kwargs)

    def holds_lock(self) -> bool:
        if self.redis is None:
            return True
        ttl = settings.PARKOPS_BEAT_LOCK_SECONDS * 1000
        try:
            if self.redis.set(self.lock_key, self.lock_owner, nx=True, px=ttl):
                return True
            return bool(self.redis.eval(RENEW, 1, self.lock_key, self.lock_owner, ttl))
        except RedisError:
            return False  # no broker: nothing could be sent anyway

    def tick(self, *args, **kwargs):
        if not self.holds_lock():
            return self.max_interval
        return super().tick(*args, **kwargs)

    def close(self):
        if self.redis is not None:
            try:
                self.redis.eval(RELEASE, 1, self.lock_key, self.lock_owner)
            except RedisError:
                pass  # it expires on its own
        super().close()

"""A Redis cache that stands in as an empty cache while Redis is unreachable.

The cache only holds what can be lost (sign-in failure counts and API throttle counters), so an
outage of Redis must not take pages down with it: reads miss, writes are dropped, and a warning is
logged once when the outage starts and once when it ends, not on every request.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class _Missing(ValueError):
    """What ``incr`` raises for a key that is not there: while Redis is down, no key is."""


class FailSoftRedisCache(RedisCache):
    _outage = False

    def _guard(self, fallback, operation, *args):
        try:
            result = operation(*args)
        except RedisError as error:
            if not FailSoftRedisCache._outage:
                logger.warning("Redis cache unreachable, serving without it: %s", error)
                FailSoftRedisCache._outage = True
            if isinstance(fallback, Exception):
                raise fallback from error
            return fallback
        if FailSoftRedisCache._outage:
            logger.warning("Redis cache reachable again.")
            FailSoftRedisCache._outage = False
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guard(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guard({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._guard(_Missing(f"Key '{key}' not found"), super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guard(None, super().delete_many, keys, version)

    def clear(self):
        return self._guard(False, super().clear)

"""A Redis cache that treats Redis being down as an empty cache instead of an error page."""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

DOWN = (RedisConnectionError, RedisTimeoutError)
# After a failure, calls skip Redis for this long: a page making twenty cache calls to an unreachable host
# would otherwise wait for twenty connection timeouts. One warning per period keeps the log readable.
RETRY_AFTER = 5.0
# Location → when to try it again; per location so that one unreachable server does not silence another.
_down_until: dict[str, float] = {}


class _Unreachable(Exception):
    pass


class ResilientRedisCache(RedisCache):
    """Reads miss and writes are dropped while Redis is unreachable: pages are slower, counters (the login rate
    limits) start from zero, and nothing answers 500. Errors other than a lost connection still raise."""

    def _call(self, method, *args, **kwargs):
        location = ",".join(self._servers)
        if time.monotonic() < _down_until.get(location, 0.0):
            raise _Unreachable
        try:
            return method(*args, **kwargs)
        except DOWN as exc:
            _down_until[location] = time.monotonic() + RETRY_AFTER
            logger.warning("Redis cache unreachable; working without it for %ss: %s", RETRY_AFTER, exc)
            raise _Unreachable from exc

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call(super().add, key, value, timeout, version=version)
        except _Unreachable:
            return True  # as if stored: a lock taken with add() must not spin forever on a dead cache

    def get(self, key, default=None, version=None):
        try:
            return self._call(super().get, key, default, version=version)
        except _Unreachable:
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            self._call(super().set, key, value, timeout, version=version)
        except _Unreachable:
            pass

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call(super().touch, key, timeout, version=version)
        except _Unreachable:
            return False

    def delete(self, key, version=None):
        try:
            return self._call(super().delete, key, version=version)
        except _Unreachable:
            return False

    def get_many(self, keys, version=None):
        try:
            return self._call(super().get_many, keys, version=version)
        except _Unreachable:
            return {}

    def has_key(self, key, version=None):
        try:
            return self._call(super().has_key, key, version=version)
        except _Unreachable:
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return self._call(super().incr, key, delta, version=version)
        except _Unreachable as exc:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)") from exc  # as for a missing key

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call(super().set_many, data, timeout, version=version)
        except _Unreachable:
            return list(data)  # the keys that were not stored

    def delete_many(self, keys, version=None):
        try:
            self._call(super().delete_many, keys, version=version)
        except _Unreachable:
            pass

    def clear(self):
        try:
            return self._call(super().clear)
        except _Unreachable:
            return False

"""A Redis cache that treats Redis being down as an empty cache instead of an error page."""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

DOWN = (RedisConnectionError, RedisTimeoutError)
# One warning per this many seconds while Redis is down; every failed call would flood the log.
WARN_EVERY = 60.0


class ResilientRedisCache(RedisCache):
    """Reads miss and writes are dropped while Redis is unreachable: pages are slower, counters (the login rate
    limits) start from zero, and nothing answers 500. Errors other than a lost connection still raise."""

    _warned_at = 0.0

    def _down(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._warned_at >= WARN_EVERY:
            ResilientRedisCache._warned_at = now
            logger.warning("Redis cache unreachable, working without it: %s", exc)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version=version)
        except DOWN as exc:
            self._down(exc)
            return True  # as if stored: a lock taken with add() must not spin forever

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version=version)
        except DOWN as exc:
            self._down(exc)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version=version)
        except DOWN as exc:
            self._down(exc)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version=version)
        except DOWN as exc:
            self._down(exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version=version)
        except DOWN as exc:
            self._down(exc)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version=version)
        except DOWN as exc:
            self._down(exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version=version)
        except DOWN as exc:
            self._down(exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version=version)
        except DOWN as exc:
            self._down(exc)
            raise ValueError(f"Key '{key}' not found (cache unreachable)") from exc  # as for a missing key

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version=version)
        except DOWN as exc:
            self._down(exc)
            return list(data)  # the keys that were not stored

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version=version)
        except DOWN as exc:
            self._down(exc)

    def clear(self):
        try:
            return super().clear()
        except DOWN as exc:
            self._down(exc)
            return False


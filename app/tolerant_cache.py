"""Flask-Caching's Redis backend, answering a miss when Redis cannot be reached.

Everything in the cache can be computed again from the database, and a report's checks (the code,
its CARC and RARC lookups) read through it before the report is committed: a Redis outage must
slow requests down, not fail them. Connection errors become misses and failed writes, logged
without the key (keys may name a code a biller looked up, never more, but logs stay plain).
"""
import logging

from flask_caching.backends.rediscache import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
# Redis answers in well under a millisecond; past this, the database is the faster source.
REDIS_SECONDS = 0.5


class TolerantRedisCache(RedisCache):
    @classmethod
    def factory(cls, app, config, args, kwargs):
        config["CACHE_OPTIONS"] = {"socket_connect_timeout": REDIS_SECONDS, "socket_timeout": REDIS_SECONDS} | (
            config.get("CACHE_OPTIONS") or {})
        return super().factory(app, config, args, kwargs)

    def get(self, key):
        return self._tolerated(super().get, (key,), None, "reading the database instead")

    def set(self, key, value, timeout=None):
        return self._tolerated(super().set, (key, value, timeout), False, "value not kept")

    def add(self, key, value, timeout=None):
        return self._tolerated(super().add, (key, value, timeout), False, "value not kept")

    @staticmethod
    def _tolerated(call, arguments: tuple, fallback, consequence: str):
        try:
            return call(*arguments)
        except RedisError as error:
            log.warning("cache unreachable, %s (%s)", consequence, type(error).__name__)
            return fallback

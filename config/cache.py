"""Django's Redis cache, kept serving while Redis is down (``CACHE_URL=redis://...``).

Nothing the site must keep lives only in the cache (sessions are written through to the
database, pages and facts are rebuilt from it), so when Redis stops answering the site goes on
*uncached*, the cache behaving as an empty one that forgets what is written: a read finds
nothing, a write is dropped, ``add`` succeeds (the key was absent) and ``incr`` behaves as for a
missing key. A warning is logged on the ``config.cache`` logger at most once a
``LOG_INTERVAL`` (with how many operations failed since), and for ``RETRY_INTERVAL`` seconds
after a failure Redis is not asked at all, so no request waits on a dead server.

Writes dropped during the outage must not leave older values behind: a session deleted at
sign-out, a content version bumped after a publish. Each process remembers the keys it failed
to write or delete (up to ``MAX_UNSETTLED``; past that, the whole cache is cleared) and, at its
first operation after Redis answers again, deletes them before anything else, so the next read
rebuilds them from the database. (A process that ends during the outage takes its list with it:
after an outage during which app servers were restarted, flush the cache, ``redis-cli FLUSHDB``,
which loses nothing but cached copies and throttle counts.)

Throttles (sign-in, page passwords, onboarding requests) count in the cache: while it is down
they count nothing, so they let attempts through rather than lock everybody out (README). That
is why ``add`` succeeds: allauth's rate limits take a lock with ``add`` and refuse the sign-in
when they cannot get it, which would refuse every sign-in during an outage. No lock taken with
``add`` in this project guards more than those counts.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("config.cache")

LOG_INTERVAL = 60
RETRY_INTERVAL = 2
MAX_UNSETTLED = 10_000


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one ``redis.Redis`` per connection pool for the process.

    Django's makes a new ``redis.Redis`` for every operation, and building one (its table of
    about 170 reply callbacks) cost more than the round trip itself: about 0.25 ms of CPU a
    call, four calls for a signed-in person's cached page. A ``redis.Redis`` is safe to share
    between threads: each command borrows a connection from the pool.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        # A dead or unreachable server must cost a request milliseconds, not the OS's timeouts.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient
        import redis

        self._errors = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._logged_at = None
        self._failures = 0
        self._unsettled: set[str] = set()
        self._overflowed = False

    # Bookkeeping ---------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """False while Redis is taken to be down (since a failure less than RETRY_INTERVAL ago)."""
        return time.monotonic() >= self._down_until

    def _failed(self, error, keys=()):
        now = time.monotonic()
        with self._lock:
            self._down_until = now + RETRY_INTERVAL
            self._failures += 1
            self._remember(keys)
            if self._logged_at is None or now - self._logged_at >= LOG_INTERVAL:
                self._logged_at = now
                failures, self._failures = self._failures, 0
                logger.warning(
                    "The cache (Redis) is not answering: serving uncached (%s failed operation%s "
                    "in this process since the last warning): %s",
                    failures,
                    "" if failures == 1 else "s",
                    error,
                )

    def _remember(self, keys):
        if self._overflowed:
            return
        self._unsettled.update(keys)
        if len(self._unsettled) > MAX_UNSETTLED:
            self._unsettled.clear()
            self._overflowed = True

    def _settle(self):
        """Delete what this process failed to write during an outage (Redis answers again)."""
        with self._lock:
            keys, overflowed = list(self._unsettled), self._overflowed
        if overflowed:
            super().clear()
        elif keys:
            for start in range(0, len(keys), 1000):
                self._cache.delete_many(keys[start : start + 1000])
        with self._lock:
            self._unsettled.difference_update(keys)
            if overflowed:
                self._overflowed = False
            self._logged_at = None
        logger.warning(
            "The cache (Redis) answers again: %s",
            "cleared it (too many writes were lost)" if overflowed else f"removed {len(keys)} stale key(s)",
        )

    def _call(self, operation, fallback, written=()):
        """``operation()``, or ``fallback()`` while Redis does not answer; ``written``: the
        (full) keys it writes or deletes, remembered when it fails."""
        if not self.available:
            if written:
                # Remembered, but the wait is not made longer: a busy process writes all the
                # time, and would otherwise never ask Redis again once it is back.
                with self._lock:
                    self._failures += 1
                    self._remember(written)
            return fallback()
        try:
            if self._unsettled or self._overflowed:
                self._settle()
            return operation()
        except self._errors as error:
            self._failed(error, written)
            return fallback()

    def _key(self, key, version):
        return [self.make_and_validate_key(key, version=version)]

    # The cache's operations ----------------------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._call(
            lambda: super(ResilientRedisCache, self).get(key, default, version), lambda: default
        )

    def get_many(self, keys, version=None):
        return self._call(lambda: super(ResilientRedisCache, self).get_many(keys, version), dict)

    def has_key(self, key, version=None):
        return self._call(lambda: super(ResilientRedisCache, self).has_key(key, version), lambda: False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            lambda: None,
            self._key(key, version),
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            lambda: True,  # as into an empty cache (see the module's docstring)
            self._key(key, version),
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            lambda: False,
            self._key(key, version),
        )

    def delete(self, key, version=None):
        return self._call(
            lambda: super(ResilientRedisCache, self).delete(key, version),
            lambda: False,
            self._key(key, version),
        )

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is not answering).")

        return self._call(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            missing,
            self._key(key, version),
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        written = [self.make_and_validate_key(key, version=version) for key in data]
        return self._call(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            lambda: list(data),
            written,
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        written = [self.make_and_validate_key(key, version=version) for key in keys]
        self._call(lambda: super(ResilientRedisCache, self).delete_many(keys, version), lambda: None, written)

    def clear(self):
        def failed():
            with self._lock:
                self._overflowed = True  # cleared once Redis answers again
            return False

        return self._call(lambda: super(ResilientRedisCache, self).clear(), failed)


class FileCache(FileBasedCache):
    """Django's file cache (the single-machine default), without listing the whole folder on
    every write.

    Django's ``FileBasedCache`` checks ``MAX_ENTRIES`` by listing every file of the folder on
    each ``set`` and ``add``: about a millisecond per thousand entries, so at the 20,000 entries
    a busy site keeps, every kept page, search and session write paid far more for the check
    than for the write. Here each process checks at most once every ``CULL_EVERY`` writes (and
    at its first): the folder may then exceed ``MAX_ENTRIES`` by at most ``CULL_EVERY`` writes
    per process before the usual cull removes a third of it.
    """

    CULL_EVERY = 100

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes = 0
        self._writes_lock = threading.Lock()

    def _cull(self):
        with self._writes_lock:
            due = self._writes % self.CULL_EVERY == 0
            self._writes += 1
        if due:
            super()._cull()

"""The content version: one number that every cached page, site and chrome entry keys on.

Anything that may change what a cached entry shows bumps the version (``serving.retirement``),
always after the commit that made the change (``transaction.on_commit``), so no request can
store, under the new version, what it read before the change was visible.
"""

import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "site-chrome:version"


class VersionedMemo:
    """A per-process copy of cache entries whose keys carry the version number.

    Such an entry never changes under its key (a change makes a new version, hence a new key),
    so each worker can keep what it has read from the shared cache and skip reading (and
    unpickling) it again; only the version itself is read from the shared cache per request.
    Only for immutable values (frozen dataclasses, tuples), as requests share them.
    """

    def __init__(self, size: int = 512):
        self.size = size
        self.entries: dict = {}

    def peek(self, key: str):
        """The entry under ``key`` if this process or the shared cache has it, else None."""
        value = self.entries.get(key)
        if value is None:
            value = cache.get(key)
            if value is not None:
                self._remember(key, value)
        return value

    def _remember(self, key: str, value) -> None:
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[key] = value

    def get_or_set(self, key: str, build, timeout: int):
        value = self.entries.get(key)
        if value is not None:
            self._asked_again(key, value, timeout)
            return value
        value = cache.get(key)
        if value is None:
            value = build()
            if value is None:
                return None
            self._remember(key, value)
            self._built(key, value, timeout)
            return value
        self._remember(key, value)
        return value

    def _built(self, key: str, value, timeout: int) -> None:
        """An entry this process built: shared at once."""
        cache.set(key, value, timeout)

    def _asked_again(self, key: str, value, timeout: int) -> None:
        """An entry this process keeps was asked for again."""


class SharedWhenAskedAgain(VersionedMemo):
    """A ``VersionedMemo`` whose entries this process built are written to the shared cache
    only when they are asked for again here.

    For entries most of which are asked for once (a page of results of a search nobody made
    before): writing each to the shared cache cost more than anything else a new search did
    after its results (a file written, or a round trip to Redis), for the benefit of another
    app server asking for the same entry, which is rare. An entry asked for twice here is
    written then, and other processes find it from then on; until then another process may
    build the same entry once more (its own copy, under the same key: the entries never
    change under a key)."""

    def __init__(self, size: int = 512):
        super().__init__(size)
        self.unshared: set[str] = set()

    def _remember(self, key: str, value) -> None:
        if len(self.entries) >= self.size:
            self.unshared.clear()
        super()._remember(key, value)

    def _built(self, key: str, value, timeout: int) -> None:
        self.unshared.add(key)

    def _asked_again(self, key: str, value, timeout: int) -> None:
        if key in self.unshared:
            self.unshared.discard(key)
            cache.set(key, value, timeout)


memo = VersionedMemo()


def _set_new_version() -> None:
    # A fresh clock reading rather than an increment: if the cache ever drops the key, the
    # next version is still one no earlier entry was stored under.
    cache.set(VERSION_KEY, time.time_ns(), None)


def bump_version() -> None:
    """Retire every cached page, site and chrome, once the current transaction commits.

    Bumped now as well when inside a transaction: a request reading the old rows during the
    transaction then stores under a version that the commit retires in turn.
    """
    if transaction.get_connection().in_atomic_block:
        _set_new_version()
    transaction.on_commit(_set_new_version)


def current_version(key: str = VERSION_KEY) -> int:
    """The version under ``key`` (the content version unless another is named), made on first
    use."""
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), None)
        version = cache.get(key)
    if version is None:
        # The shared cache is not answering (Redis down: config.cache logs it). A version no
        # entry was kept under, so that this request uses nothing kept, in the cache or in any
        # process's memo: another app server's change cannot be seen until the cache is back.
        return time.time_ns()
    return version


def version_for(request) -> int:
    """The current version, read once per request (kept by the request's viewer)."""
    from .viewer import viewer_for

    return viewer_for(request).content_version

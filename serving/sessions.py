"""Sessions as Django's ``cached_db`` keeps them, read in one round trip with what the viewer needs.

A signed-in person's request reads their session from the shared cache, then the content
version and the groups kept for them (``serving.viewer``). With Redis each read is a round trip
to another process, and on a page kept for the person's audience they were most of the cost.
Where the cache reads many keys in one round trip, this store asks for all of them at once
(``kept_with_session``) and leaves what it found, with the keys it asked for, on
``kept_alongside``; the viewer takes them from there instead of asking again. Everything else,
the database write-through above all, is Django's.
"""

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.core.cache.backends.base import BaseCache

from .viewer import kept_with_session


def reads_many_at_once(cache) -> bool:
    """Whether the cache answers ``get_many`` in one round trip (Redis's MGET) rather than with
    one ``get`` a key, as Django's base class does (the file and local-memory caches)."""
    return type(cache).get_many is not BaseCache.get_many


class SessionStore(CachedDBStore):
    kept_alongside: dict | None = None

    def load(self):
        if settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS or not reads_many_at_once(self._cache):
            # The viewer's entries are in the default cache, not this one; or the cache reads
            # each key on its own (files, memory), where asking for more here only moves the
            # reads, and costs them on requests that never ask (the forum's live poll).
            return super().load()
        cache_key = self.cache_key
        extra = kept_with_session(self.session_key)
        try:
            found = self._cache.get_many([cache_key, *extra])
        except Exception:  # as Django's: a key the cache refuses resets the session
            found = {}
        self.kept_alongside = {key: found.get(key) for key in extra}
        data = found.get(cache_key)
        if data is None:
            stored = self._get_session_from_db()
            if stored:
                data = self.decode(stored.session_data)
                self._cache.set(cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
            else:
                data = {}
        return data

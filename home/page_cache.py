"""A whole-page cache for anonymous visitors, safe by construction.

Only responses that a Wagtail page view marked as the same for every anonymous visitor (an
unrestricted page, rendered for a request with no session or messages cookie) are stored,
and only if they set no cookie and are not marked private. A request carrying a session
cookie never reads the cache, so nobody signed in is ever served a stored page, and no page
rendered for one person is ever stored. Publishing or changing content retires every entry
(the site chrome's version number, bumped by home.signals).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_vary_headers

from .chrome import current_version

MARK = "_anonymous_page_cache"
HEADER = "X-Page-Cache"


def mark_cacheable(response) -> None:
    setattr(response, MARK, True)


def _eligible(request) -> bool:
    if request.method not in ("GET", "HEAD") or "HX-Request" in request.headers:
        # htmx asks the same address for a fragment of the page: never mix the two.
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request) -> str:
    # Hashed: addresses can be long and hold any character, which some cache backends refuse.
    address = hashlib.sha256(f"{request.get_host()}|{request.get_full_path()}".encode()).hexdigest()
    return f"page-cache:{current_version()}:{address}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "ANONYMOUS_PAGE_CACHE_SECONDS", 300)

    def __call__(self, request):
        if not self.timeout or not _eligible(request):
            return self.get_response(request)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            cached[HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if self._storable(response):
            patch_vary_headers(response, ["Cookie"])
            response[HEADER] = "miss"
            cache.set(key, response, self.timeout)
        return response

    @staticmethod
    def _storable(response) -> bool:
        if not getattr(response, MARK, False) or response.status_code != 200:
            return False
        if response.streaming or response.cookies:
            return False
        cache_control = response.get("Cache-Control", "")
        return not any(word in cache_control for word in ("private", "no-store", "no-cache"))

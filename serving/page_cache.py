"""Whole-page caches, safe by construction: one for anonymous visitors, one per audience.

Both key on the address, the content version (``serving.version``) and, for signed-in people,
the viewer's ``audience_key`` (``serving.viewer``): nothing else decides what a shareable page
shows. (The anonymous cache keeps the version inside the entry, read in the same round trip as
the current version, and serves it only when they are equal.) Both store only what a Wagtail page view offered (``mark_cacheable`` /
``mark_audience_cacheable``, from ``serving.wagtail_hooks``), and only when the response:

- answered 200, is not streaming and set no cookie;
- is not marked ``private``, ``no-cache`` or ``no-store`` (so ``never_cache`` and every
  restricted page Wagtail marks opt out; any view can opt out the same way), except that a
  view may say, deliberately, that a page is for its audience only (``mark_audience_only``:
  a members-only document's page): the audience cache keeps it, the anonymous cache never
  does, and browsers and proxies are told to store nothing;
- asked for no CSRF token while rendering (``token_asked``): a stored page never holds
  anyone's token. Signing out goes through allauth's confirmation
  page, so shared pages carry no form.

**Anonymous visitors** are answered before the session is even read, when they carry no
session or messages cookie. **Signed-in people** are answered once the address is known to be
Wagtail's page view, when their viewer has an audience key (never for superusers, editors or
anyone with a permission granted directly), for GET requests that are not htmx and have no
messages to show.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from wagtail.views import serve as wagtail_serve

from .viewer import viewer_for

MARK = "_anonymous_page_cache"
HEADER = "X-Page-Cache"
AUDIENCE_MARK = "_audience_page_cache"
AUDIENCE_HEADER = "X-Audience-Cache"
AUDIENCE_ONLY = "_audience_only"
REFUSED = ("private", "no-store", "no-cache")


def mark_cacheable(response) -> None:
    setattr(response, MARK, True)


def mark_audience_cacheable(response) -> None:
    setattr(response, AUDIENCE_MARK, True)


def mark_audience_only(response):
    """For a page that only its audience may see (a restricted document's page): shared by the
    audience cache, never kept by the anonymous cache, a browser or a proxy."""
    setattr(response, AUDIENCE_ONLY, True)
    patch_cache_control(response, private=True)
    return response


def _keep_out_of_browsers(response) -> None:
    patch_cache_control(response, private=True, no_cache=True, no_store=True, max_age=0)


def page_key(request, prefix: str, audience: str = "") -> str:
    return f"{prefix}:{viewer_for(request).content_version}:{_address(request, audience)}"


def _address(request, audience: str = "") -> str:
    # Hashed: addresses can be long and hold any character, which some cache backends refuse.
    return hashlib.sha256(f"{request.get_host()}|{request.get_full_path()}|{audience}".encode()).hexdigest()


def token_asked(request) -> bool:
    """Whether rendering asked for the CSRF token (``get_token``). Django 5 sets
    ``CSRF_COOKIE_NEEDS_UPDATE`` (older versions ``CSRF_COOKIE_USED``) until the CSRF
    middleware, outside the audience cache, sets the cookie; outside it, the anonymous cache
    sees the cookie instead (``response.cookies``)."""
    return bool(request.META.get("CSRF_COOKIE_USED") or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def storable(request, response, mark: str) -> bool:
    """Whether a response may be kept for others: the rules of the module's notes."""
    if not getattr(response, mark, False) or response.status_code != 200:
        return False
    if response.streaming or response.cookies:
        return False
    if token_asked(request):
        return False
    refused = REFUSED
    if mark == AUDIENCE_MARK and getattr(response, AUDIENCE_ONLY, False):
        refused = tuple(word for word in REFUSED if word != "private")
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in refused)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @property
    def timeout(self) -> int:
        return getattr(settings, "ANONYMOUS_PAGE_CACHE_SECONDS", 300)

    def __call__(self, request):
        if not self.timeout or not self._eligible(request):
            return self.get_response(request)
        # Kept under the address with the content version it was made under, read in one
        # round trip with the current version (two with Redis otherwise, for a page that costs
        # less than they do): a page of another version is a miss, as a versioned key would be.
        key = "page-cache:" + _address(request)
        version, found = viewer_for(request).read_content_version_with(key)
        kept = found.get(key)
        if kept is not None and kept[0] == version:
            response = kept[1]
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if storable(request, response, MARK):
            patch_vary_headers(response, ["Cookie"])
            response[HEADER] = "miss"
            cache.set(key, (version, response), self.timeout)
        return response

    @staticmethod
    def _eligible(request) -> bool:
        if request.method not in ("GET", "HEAD") or "HX-Request" in request.headers:
            # htmx asks the same address for a fragment of the page: never mix the two.
            return False
        cookies = request.COOKIES
        return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


class AudiencePageCacheMiddleware:
    """Serves signed-in people the page rendered for their audience (see the module's notes).

    Sits after the authentication and messages middleware: it needs the person. It decides
    once the address has been resolved, so that only Wagtail's page view (and no other view)
    pays for looking up the audience.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @property
    def timeout(self) -> int:
        return getattr(settings, "AUDIENCE_PAGE_CACHE_SECONDS", 300)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve or not self.timeout or not self._eligible(request):
            return None
        viewer = viewer_for(request)
        if not viewer.is_authenticated or viewer.audience_key is None:
            return None
        key = page_key(request, "audience-page", viewer.audience_key)
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[AUDIENCE_HEADER] = "hit"
            return response
        # Decided here, stored (or not) on the way out: the viewer holds where.
        viewer.audience_page_key = key
        return None

    def __call__(self, request):
        response = self.get_response(request)
        audience_only = getattr(response, AUDIENCE_ONLY, False)
        if getattr(response, AUDIENCE_MARK, False):
            # A page rendered for a signed-in person is for them (and their audience) only.
            patch_vary_headers(response, ["Cookie"])
            key = getattr(getattr(request, "viewer", None), "audience_page_key", None)
            if key is not None and storable(request, response, AUDIENCE_MARK):
                patch_cache_control(response, private=True)
                if audience_only:
                    _keep_out_of_browsers(response)
                headers = [
                    (name, value) for name, value in response.items() if name.lower() != "content-length"
                ]
                cache.set(key, (response.status_code, headers, response.content), self.timeout)
                response[AUDIENCE_HEADER] = "miss"
            patch_cache_control(response, private=True)
        if audience_only:
            _keep_out_of_browsers(response)
        return response

    @staticmethod
    def _eligible(request) -> bool:
        if request.method != "GET" or "HX-Request" in request.headers or "messages" in request.COOKIES:
            return False
        return "_messages" not in request.session

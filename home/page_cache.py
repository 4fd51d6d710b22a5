"""Whole-page caches, safe by construction: one for anonymous visitors, one per audience.

**Anonymous visitors.** Only responses that a Wagtail page view marked as the same for every
anonymous visitor (an unrestricted page, rendered for a request with no session or messages
cookie) are stored, and only if they set no cookie and are not marked private. A request carrying a session
cookie never reads the cache, so nobody signed in is ever served a stored page, and no page
rendered for one person is ever stored. Publishing or changing content retires every entry
(the site chrome's version number, bumped by home.signals).

**Signed-in people, by audience.** What a signed-in person sees on the page types that say so
(``cache_per_audience = True``) is decided by their *audience* alone: whether they are
approved, their groups, the password restrictions they have passed in this session, and the
language. Two people with the same audience get the same page, except for the CSRF token of
the sign-out form, which is rendered as a placeholder and filled in per request. People whose
pages may hold more (superusers, editors who see the user bar and drafts, anyone with a
permission granted to them directly) never use this cache, nor does a request with messages
to show, an htmx request or anything but GET. A page is stored only if rendering it asked
for no CSRF token other than through the placeholder, set no cookie and answered 200.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control, patch_vary_headers
from wagtail.models import CollectionViewRestriction, PageViewRestriction
from wagtail.views import serve as wagtail_serve

from .chrome import DIRECT_PERMISSIONS, audience_ids, chrome_for, version_for
from .sites import cached_site_for

MARK = "_anonymous_page_cache"
HEADER = "X-Page-Cache"
AUDIENCE_MARK = "_audience_page_cache"
AUDIENCE_HEADER = "X-Audience-Cache"
# Rendered instead of the CSRF token while a page may be stored (home.context_processors).
CSRF_PLACEHOLDER = "csrftokenplaceholder0audiencepagecache0000000000000000000000000000"
CANDIDATE = "_audience_cache_candidate"


def mark_cacheable(response) -> None:
    setattr(response, MARK, True)


def mark_audience_cacheable(response) -> None:
    setattr(response, AUDIENCE_MARK, True)


def rendering_for_audience_cache(request) -> bool:
    return getattr(request, CANDIDATE, False)


def _eligible(request) -> bool:
    if request.method not in ("GET", "HEAD") or "HX-Request" in request.headers:
        # htmx asks the same address for a fragment of the page: never mix the two.
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request, prefix: str = "page-cache", viewer: str = "") -> str:
    # Hashed: addresses can be long and hold any character, which some cache backends refuse.
    address = hashlib.sha256(f"{request.get_host()}|{request.get_full_path()}|{viewer}".encode()).hexdigest()
    return f"{prefix}:{version_for(request)}:{address}"


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


def signed_in_audience(request) -> str | None:
    """What decides a signed-in person's view of a shareable page, or None if nothing may be shared."""
    user = request.user
    if not user.is_authenticated or user.is_superuser:
        return None
    ids = audience_ids(user)
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = cached_site_for(request)  # as home.sites does for page views
    if DIRECT_PERMISSIONS in ids or chrome_for(request).can_edit:
        return None
    session = request.session
    passed_pages = sorted(session.get(PageViewRestriction.passed_view_restrictions_session_key, []))
    passed_collections = sorted(
        session.get(CollectionViewRestriction.passed_view_restrictions_session_key, [])
    )
    return "|".join(
        [
            "approved" if getattr(user, "is_approved", False) else "pending",
            ",".join(map(str, sorted(ids))),
            ",".join(map(str, passed_pages)),
            ",".join(map(str, passed_collections)),
            getattr(request, "LANGUAGE_CODE", ""),
        ]
    )


class AudiencePageCacheMiddleware:
    """Serves signed-in people the page rendered for their audience (see the module's notes).

    Sits after the authentication, messages and CSRF middleware: it needs the person, and the
    CSRF middleware sets the token's cookie on the way out when the token is filled in. It
    decides once the address has been resolved, so that only Wagtail's page view (and no other
    view) pays for looking up the audience.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @property
    def timeout(self) -> int:
        return getattr(settings, "AUDIENCE_PAGE_CACHE_SECONDS", 300)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve or not self.timeout or not self._eligible(request):
            return None
        viewer = signed_in_audience(request)
        if viewer is None:
            return None
        key = _key(request, "audience-page", viewer)
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(status=status)
            for name, value in headers:
                response[name] = value
            response.content = content
            response[AUDIENCE_HEADER] = "hit"
            return self._fill_token(request, response)
        request._audience_cache_key = key
        setattr(request, CANDIDATE, True)
        return None

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_audience_cache_key", None)
        if key is None or response.streaming:
            return response
        setattr(request, CANDIDATE, False)
        # Asking for the real token (rather than the placeholder) sets this flag: such a page
        # holds this person's token and is never stored.
        token_asked = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
        if (
            getattr(response, AUDIENCE_MARK, False)
            and response.status_code == 200
            and not (response.cookies or token_asked)
        ):
            patch_vary_headers(response, ["Cookie"])
            patch_cache_control(response, private=True)
            headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
            cache.set(key, (response.status_code, headers, response.content), self.timeout)
            response[AUDIENCE_HEADER] = "miss"
        return self._fill_token(request, response)

    @staticmethod
    def _eligible(request) -> bool:
        if request.method != "GET" or "HX-Request" in request.headers or "messages" in request.COOKIES:
            return False
        return "_messages" not in request.session

    @staticmethod
    def _fill_token(request, response):
        placeholder = CSRF_PLACEHOLDER.encode()
        if placeholder in response.content:
            response.content = response.content.replace(placeholder, get_token(request).encode())
        return response

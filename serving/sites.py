"""Find the request's Wagtail site (and its root page) from the cache, not the database.

Wagtail looks the site up, then loads its root page as its specific class, on every page
request: two queries that answer the same thing until an editor changes a site or publishes
the home page, both of which retire the cached copy (the content version).
"""

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.views import serve as wagtail_serve

from .viewer import viewer_for

TIMEOUT = 60 * 60


def without_site(view):
    """Mark a view that never needs the site (the health check), so it stays trivial."""
    view.needs_site = False
    return view


class CachedSiteMiddleware:
    """Hands Wagtail the cached site for the request, through Wagtail's own per-request memo
    (``Site.find_for_request`` reads ``request._wagtail_site``): the only place we fill it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A page that went while it was routed or served (deleted meanwhile) is not found."""
        match = getattr(request, "resolver_match", None)
        if isinstance(exception, ObjectDoesNotExist) and match is not None and match.func is wagtail_serve:
            raise Http404 from exception
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "needs_site", True) and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = cached_site_for(request)


def cached_site_for(request):
    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"wagtail-site:{viewer_for(request).content_version}:{hostname}:{request.get_port()}"
    # Each request gets its own copy from the shared cache (not a per-process one): the root
    # page is served and routed from, and must not be shared between requests.
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is not None:
            # Load the root page as Wagtail's router will ask for it, so the copy carries it.
            site.root_page = site.root_page.localized.specific
            cache.set(key, site, TIMEOUT)
    return site

from django.utils.functional import SimpleLazyObject

from .chrome import chrome_for
from .page_cache import CSRF_PLACEHOLDER, rendering_for_audience_cache


def site_chrome(request):
    """Navigation and footer links, computed only if a template uses them."""
    return {"chrome": SimpleLazyObject(lambda: chrome_for(request))}


def csrf_placeholder(request):
    """While a page may be stored for an audience, ``{% csrf_token %}`` renders a placeholder
    that home.page_cache fills in for each request (Django's own ``csrf`` processor runs first;
    this one replaces its value only then)."""
    if rendering_for_audience_cache(request):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}

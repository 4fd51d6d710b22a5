from django.utils.functional import SimpleLazyObject

from .chrome import chrome_for


def site_chrome(request):
    """Navigation and footer links, computed only if a template uses them."""
    return {"chrome": SimpleLazyObject(lambda: chrome_for(request))}

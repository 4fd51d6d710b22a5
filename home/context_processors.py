from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .chrome import chrome_for


def site_chrome(request):
    """Navigation and footer links, computed only if a template uses them."""
    return {"chrome": SimpleLazyObject(lambda: chrome_for(request))}


def phase_banner(request):
    """The phase banner's feedback address (``FEEDBACK_URL``): the same for everyone."""
    return {"feedback_url": settings.FEEDBACK_URL}

"""Settings for ``bench/alternatives.py`` only: the site on production settings with its own
page caches replaced by one conventional alternative, chosen by ``BENCH_ALTERNATIVE``:

``django-cache``  Django's whole-site cache middleware (``UpdateCacheMiddleware`` first,
                  ``FetchFromCacheMiddleware`` last), keyed by URL and the ``Vary`` headers.
``fragments``     no whole-page cache: each page's main content is a ``{% wagtailpagecache %}``
                  fragment keyed by the page, the site, the address and the viewer's audience
                  (the template is made from ``templates/base.html`` in ``BENCH_TEMPLATE_DIR``).
``front-proxy``   our per-audience cache for signed-in people; anonymous visitors are answered by
                  Varnish in front, purged by ``wagtail.contrib.frontend_cache`` on publishing.
"""

import os

from config.settings.production import *  # noqa: F403
from config.settings.production import INSTALLED_APPS, MIDDLEWARE, TEMPLATES

ALTERNATIVE = os.environ["BENCH_ALTERNATIVE"]
OURS = {"serving.page_cache.AnonymousPageCacheMiddleware", "serving.page_cache.AudiencePageCacheMiddleware"}

if ALTERNATIVE == "django-cache":
    ANONYMOUS_PAGE_CACHE_SECONDS = 0
    AUDIENCE_PAGE_CACHE_SECONDS = 0
    MIDDLEWARE = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *(name for name in MIDDLEWARE if name not in OURS),
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]
    CACHE_MIDDLEWARE_SECONDS = 300
    CACHE_MIDDLEWARE_KEY_PREFIX = "bench"
elif ALTERNATIVE == "fragments":
    ANONYMOUS_PAGE_CACHE_SECONDS = 0
    AUDIENCE_PAGE_CACHE_SECONDS = 0
    TEMPLATES = [{**TEMPLATES[0], "DIRS": [os.environ["BENCH_TEMPLATE_DIR"], *TEMPLATES[0]["DIRS"]]}]
elif ALTERNATIVE == "front-proxy":
    ANONYMOUS_PAGE_CACHE_SECONDS = 0
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["BENCH_PROXY_URL"],
        }
    }
else:
    raise ValueError(f"unknown BENCH_ALTERNATIVE {ALTERNATIVE!r}")

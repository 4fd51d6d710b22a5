"""Every page, for every role, renders in at most 12 SQL queries (DESIGN.md section 7).

Measured on a page rendered for its viewer (the page caches off), once the site-wide facts
(site, restrictions, chrome) are in the shared cache, as they are on a running site.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import ROLES

pytestmark = pytest.mark.django_db

LIMIT = 12


@pytest.fixture
def demo(demo_once):
    """Every test here takes the demo site: loaded once for the module (conftest.py)."""
    return demo_once


@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_at_most_12_queries(settings, addresses, client_for, role):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = settings.AUDIENCE_PAGE_CACHE_SECONDS = 0
    client = client_for(role)
    for address in addresses.values():
        client.get(address)  # warms what every viewer shares
    counts = {}
    for name, address in addresses.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code in (200, 302, 403, 404), (role, name)
        counts[name] = len(queries)
    assert max(counts.values()) <= LIMIT, (role, counts)


@pytest.mark.parametrize("role", ["member", "national editor", "moderator"])
def test_one_request_warms_what_the_next_needs(
    settings, addresses, client_for, role, django_assert_max_num_queries
):
    """From nothing cached at all (a new worker, an emptied cache), the first request fills
    the shared facts and the next fits, for the roles that used to cost the most."""
    from django.core.cache import cache

    from serving.version import memo

    settings.ANONYMOUS_PAGE_CACHE_SECONDS = settings.AUDIENCE_PAGE_CACHE_SECONDS = 0
    client = client_for(role)
    for name in ("library", "scheme page"):
        cache.clear()
        memo.entries.clear()
        client.get(addresses[name])
        with django_assert_max_num_queries(LIMIT):
            client.get(addresses[name])

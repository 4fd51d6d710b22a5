import io

import pytest

from home.demo import load_pages
from home.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_pages(db):
    return load_pages(stdout=io.StringIO())


def test_anonymous_visitors_share_a_cached_page(client, site_pages, django_assert_num_queries):
    first = client.get("/about/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/about/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Cookie" in second["Vary"]


def test_signed_in_people_never_read_or_fill_the_cache(client, site_pages, member):
    client.get("/")  # an anonymous copy exists
    client.force_login(member)
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert 'href="/members/"' in response.content.decode()
    client.logout()
    client.cookies.clear()
    assert 'href="/members/"' not in client.get("/").content.decode()


def test_restricted_pages_are_never_cached(client, site_pages, member):
    client.force_login(member)
    client.get("/members/")
    client.logout()
    client.cookies.clear()
    response = client.get("/members/")
    assert response.status_code == 302
    assert "X-Page-Cache" not in response


def test_publishing_retires_cached_pages(client, site_pages):
    client.get("/about/")
    about = StandardPage.objects.get(slug="about")
    about.title = "About us"
    about.save_revision().publish()
    response = client.get("/about/")
    assert response["X-Page-Cache"] == "miss"
    assert "About us" in response.content.decode()


def test_other_responses_are_not_cached(client, site_pages):
    assert "X-Page-Cache" not in client.get("/accounts/login/")
    assert "X-Page-Cache" not in client.get("/no-such-page/")
    assert "X-Page-Cache" not in client.get("/search/?q=about")


def test_cache_can_be_turned_off(client, site_pages, settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    client.get("/about/")
    assert "X-Page-Cache" not in client.get("/about/")


def test_htmx_requests_bypass_the_cache(client, site_pages):
    client.get("/about/")
    response = client.get("/about/", HTTP_HX_REQUEST="true")
    assert "X-Page-Cache" not in response


def test_taxonomy_changes_retire_cached_pages(client, site_pages, organisation):
    client.get("/about/")
    assert client.get("/about/")["X-Page-Cache"] == "hit"
    organisation.website = "https://www.sussex.police.uk"
    organisation.save()
    assert client.get("/about/")["X-Page-Cache"] == "miss"

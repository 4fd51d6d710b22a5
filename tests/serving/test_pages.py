"""What every page type shares (``serving.pages``) and the kept route walk (``serving.routing``)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from home.demo import load_pages
from home.models import StandardPage
from serving.pages import ServedPage, project_page_models
from serving.version import current_version, memo

pytestmark = pytest.mark.django_db

LOGIN, PASSWORD = PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD


@pytest.fixture
def site_pages(db):
    return load_pages(stdout=io.StringIO())


def _page(parent, title, slug):
    page = StandardPage(title=title, slug=slug)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk)


def test_every_page_model_of_the_project_is_a_served_page():
    models = project_page_models()
    assert len(models) >= 8
    assert [model.__name__ for model in models if not issubclass(model, ServedPage)] == []


def test_restrictions_cost_no_query_where_none_apply_and_equal_wagtails_and_stricter_for_aliases(
    client, site_pages, django_assert_num_queries
):
    home = Site.objects.get(is_default_site=True).root_page
    open_page = _page(home, "Open", "open")
    members = _page(home, "Members area", "members-area")
    inside = _page(members, "Inside", "inside")
    deeper = _page(inside, "Deeper", "deeper")
    locked = _page(open_page, "Locked", "locked")
    PageViewRestriction.objects.create(page=members, restriction_type=LOGIN)
    PageViewRestriction.objects.create(page=inside, restriction_type=PASSWORD, password="s3cret")
    PageViewRestriction.objects.create(page=locked, restriction_type=LOGIN)
    list(home.specific.get_view_restrictions())  # the site-wide facts, kept from now on
    for page in [home, open_page, members, inside, deeper, locked]:
        expected = sorted(Page.get_view_restrictions(page).values_list("pk", flat=True))
        specific = page.specific
        # No query where nothing applies; the rows (for the password form) where some do.
        with django_assert_num_queries(1 if expected else 0):
            ours = sorted(restriction.pk for restriction in specific.get_view_restrictions())
        assert ours == expected, page.title

    # An alias counts its source's restrictions and its source's ancestors' (Wagtail: only the
    # source's own), as well as its own ancestors'.
    alias_of_deeper = deeper.specific.create_alias(parent=open_page, update_slug="deeper-alias")
    alias_under_locked = open_page.specific.create_alias(parent=locked, update_slug="open-alias")
    assert list(Page.get_view_restrictions(alias_of_deeper)) == []  # Wagtail's answer
    types = sorted(alias_of_deeper.get_view_restrictions().values_list("restriction_type", flat=True))
    assert types == [LOGIN, PASSWORD]
    assert [r.page_id for r in alias_under_locked.get_view_restrictions()] == [locked.pk]
    response = client.get("/open/deeper-alias/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_page_under_an_alias_created_after_the_facts_were_kept_counts_the_source(site_pages):
    """A page below an alias of a restricted page is restricted as Wagtail restricts it, though
    the alias was created after the site-wide facts (where the aliases are) were kept."""
    home = Site.objects.get(is_default_site=True).root_page
    members = _page(home, "Members area", "members-area")
    restriction = PageViewRestriction.objects.create(page=members, restriction_type=LOGIN)
    open_page = _page(home, "Open", "open")
    assert list(open_page.specific.get_view_restrictions()) == []  # facts kept
    alias = members.specific.create_alias(parent=open_page, update_slug="members-alias", recursive=False)
    below = _page(Page.objects.get(pk=alias.pk), "Below", "below")
    assert [r.pk for r in Page.get_view_restrictions(below)] == [restriction.pk]  # Wagtail's
    assert [r.pk for r in below.specific.get_view_restrictions()] == [restriction.pk]


@pytest.fixture
def no_page_caches(settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    settings.AUDIENCE_PAGE_CACHE_SECONDS = 0


def _route_keys():
    return [key for key in memo.entries if key.startswith("route:")]


def test_the_walk_to_a_page_is_kept_and_the_page_itself_read_every_time(
    client, site_pages, member, no_page_caches
):
    memo.entries.clear()
    client.force_login(member)
    assert client.get("/about/").status_code == 200
    assert len(_route_keys()) == 1
    with CaptureQueriesContext(connection) as second:
        assert client.get("/about/").status_code == 200
    assert not [q for q in second.captured_queries if "url_path" in q["sql"] and " IN (" in q["sql"]]
    # Unpublished behind the caches' back (no signal, same content version): the kept walk
    # still leads there, but the page, read afresh, answers 404.
    Page.objects.filter(url_path="/home/about/").update(live=False)
    assert client.get("/about/").status_code == 404
    client.logout()
    assert client.get("/about/").status_code == 404
    Page.objects.filter(url_path="/home/about/").delete()
    assert client.get("/about/").status_code == 404


def test_addresses_that_lead_nowhere_are_not_kept(client, site_pages, no_page_caches):
    memo.entries.clear()
    for address in ("/nowhere/", "/about/nowhere/", "/about/a/b/c/"):
        assert client.get(address).status_code == 404
    assert _route_keys() == []


def test_the_breadcrumb_trail_follows_a_renamed_ancestor(client, site_pages, member):
    home = Site.objects.get(is_default_site=True).root_page
    parent = _page(home, "Toolkit", "toolkit")
    _page(parent, "Chairing a steering group", "chairing")
    client.force_login(member)
    body = client.get("/toolkit/chairing/").content.decode()
    assert '<a href="/">Home</a>' in body and '<a href="/toolkit/">Toolkit</a>' in body
    revision = parent.specific.save_revision()
    revision.content["title"] = "Start-up toolkit"
    revision.save()
    revision.publish()
    body = client.get("/toolkit/chairing/").content.decode()
    assert '<a href="/toolkit/">Start-up toolkit</a>' in body


def test_creating_an_alias_retires_the_site_wide_facts(site_pages):
    home = Site.objects.get(is_default_site=True).root_page
    members = _page(home, "Members area", "members-area")
    before = current_version()
    members.specific.create_alias(parent=home, update_slug="members-alias", recursive=False)
    assert current_version() != before

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


# Signed-in people: one page per audience ---------------------------------------------------

AUDIENCE = "X-Audience-Cache"


def test_people_of_one_audience_share_a_page_that_holds_no_token(
    client, site_pages, make_user, django_assert_max_num_queries
):
    from django.core.cache import cache

    first_person = make_user("first@sussex.police.uk", first_name="Ffion")
    client.force_login(first_person)
    first = client.get("/about/")
    assert first.status_code == 200 and first[AUDIENCE] == "miss"
    assert "private" in first["Cache-Control"] and "Cookie" in first["Vary"]
    # Signing out is a link to allauth's confirmation page: a shared page holds no form.
    assert b"csrfmiddlewaretoken" not in first.content
    assert b'href="/accounts/logout/"' in first.content

    second_person = make_user("second@sussex.police.uk", first_name="Gwen")
    client.force_login(second_person)
    with django_assert_max_num_queries(3):  # the session, its user, their groups
        second = client.get("/about/")
    assert second[AUDIENCE] == "hit"
    assert second.content == first.content
    stored = list(cache._cache.values())  # locmem: pickled entries
    assert not any(b"Ffion" in entry or b"Gwen" in entry for entry in stored)


def test_a_page_asking_for_a_token_is_not_stored(client, site_pages, member, monkeypatch):
    from django.middleware.csrf import get_token

    from home.models import StandardPage as Model

    original = Model.serve

    def serve_with_token(self, request, *args, **kwargs):
        get_token(request)
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(Model, "serve", serve_with_token)
    client.force_login(member)
    assert AUDIENCE not in client.get("/about/")
    assert AUDIENCE not in client.get("/about/")
    client.logout()
    client.cookies.clear()
    assert "X-Page-Cache" not in client.get("/about/")


def test_audiences_never_share(client, site_pages, make_user):
    member = make_user("member@sussex.police.uk")
    pending = make_user("pending@sussex.police.uk", approved=False)
    client.force_login(member)
    assert client.get("/about/")[AUDIENCE] == "miss"
    assert 'href="/members/"' in client.get("/about/").content.decode()

    client.force_login(pending)
    response = client.get("/about/")
    assert response[AUDIENCE] == "miss"
    assert 'href="/members/"' not in response.content.decode()
    # The home page is per person: never from an audience's copy.
    response = client.get("/")
    assert AUDIENCE not in response and "private" in response["Cache-Control"]
    html = response.content.decode()
    assert 'href="/members/"' not in html and "awaiting approval" in html
    # A members-only page: the explanation for the pending person, never the members' copy.
    client.force_login(member)
    client.get("/members/")
    client.force_login(pending)
    response = client.get("/members/")
    assert response.status_code == 403 and AUDIENCE not in response

    # Joining a group makes a new audience.
    from django.contrib.auth.models import Group

    from accounts import roles

    member.groups.add(Group.objects.get(name=roles.SUPPLIER_STAFF))
    client.force_login(member)
    assert client.get("/about/")[AUDIENCE] == "miss"


def test_editors_and_direct_permissions_never_use_the_audience_cache(client, site_pages, make_user):
    from django.contrib.auth.models import Permission

    from accounts import roles

    editor = make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS)
    client.force_login(editor)
    client.get("/about/")
    assert AUDIENCE not in client.get("/about/")

    granted = make_user("granted@sussex.police.uk")
    granted.user_permissions.add(Permission.objects.get(codename="change_governancedocument"))
    client.force_login(granted)
    client.get("/about/")
    assert AUDIENCE not in client.get("/about/")


def test_password_restrictions_are_part_of_the_audience_and_restricted_pages_never_stored(
    client, site_pages, make_user
):
    from wagtail.models import PageViewRestriction

    page = StandardPage.objects.get(slug="about")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="plover"
    )
    insider = make_user("insider@sussex.police.uk")
    client.force_login(insider)
    response = client.get("/about/")
    assert "password" in response.content.decode().lower() and AUDIENCE not in response
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "plover", "return_url": "/about/"},
    )
    # Wagtail marks a restricted page's response never-cache: neither cache keeps it.
    response = client.get("/about/")
    assert response.status_code == 200 and "Why it exists" in response.content.decode()
    assert AUDIENCE not in response and AUDIENCE not in client.get("/about/")
    # A shareable page is stored under an audience that names the password passed.
    assert client.get("/accessibility-statement/")[AUDIENCE] == "miss"

    outsider = make_user("outsider@sussex.police.uk")
    client.force_login(outsider)
    response = client.get("/about/")
    assert AUDIENCE not in response and "plover" not in response.content.decode()
    assert 'name="password"' in response.content.decode()
    assert client.get("/accessibility-statement/")[AUDIENCE] == "miss"  # not the insider's copy


def test_messages_htmx_and_changes_bypass_or_retire_the_audience_cache(client, site_pages, member):
    from django.contrib.auth.models import Group, Permission

    from accounts import roles

    client.force_login(member)
    client.get("/about/")
    assert client.get("/about/")[AUDIENCE] == "hit"
    assert AUDIENCE not in client.get("/about/", HTTP_HX_REQUEST="true")
    session = client.session
    session["_messages"] = "[]"
    session.save()
    assert AUDIENCE not in client.get("/about/")
    session = client.session
    del session["_messages"]
    session.save()

    about = StandardPage.objects.get(slug="about")
    about.title = "About the forum"
    about.save_revision().publish()
    response = client.get("/about/")
    assert response[AUDIENCE] == "miss" and "About the forum" in response.content.decode()

    # A group's permissions changing retires every page (it may now edit, say).
    Group.objects.get(name=roles.MEMBERS).permissions.add(Permission.objects.get(codename="view_user"))
    assert client.get("/about/")[AUDIENCE] == "miss"


def test_other_views_and_the_setting(client, site_pages, member, settings):
    client.force_login(member)
    client.get("/search/?q=about")
    assert AUDIENCE not in client.get("/search/?q=about")
    assert AUDIENCE not in client.get("/accounts/profile/")
    settings.AUDIENCE_PAGE_CACHE_SECONDS = 0
    client.get("/about/")
    assert AUDIENCE not in client.get("/about/")

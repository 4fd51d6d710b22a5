"""Guards for the page caches: what may be shared is the same for everyone of an audience,
holds nobody's name, e-mail or token, and is retired by the commit that changes it."""

import pickle

import pytest
from django.core.cache import cache
from django.db import transaction
from wagtail.models import PageViewRestriction

from accounts import roles
from home.models import StandardPage
from schemes.models import Organisation, OrganisationKind, Region
from serving.version import current_version
from tests.cluster.conftest import redis_server  # noqa: F401 - a Redis server of the test's own

pytestmark = pytest.mark.django_db

AUDIENCES = ["anonymous", "member", "pending", roles.SUPPLIER_STAFF]


@pytest.fixture
def demo(demo_once):
    """Every test here takes the demo site: loaded once for the module (conftest.py)."""
    return demo_once


@pytest.fixture
def elsewhere(db):
    return Organisation.objects.create(
        name="Test Unitary Council", kind=OrganisationKind.UNITARY_AUTHORITY, region=Region.SOUTH_EAST
    )


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_shareable_page_is_the_same_for_two_people_of_an_audience(
    settings, addresses, client_for, elsewhere, audience
):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = settings.AUDIENCE_PAGE_CACHE_SECONDS = 0
    first = client_for(audience, 1)
    second = (
        client_for(audience, 2, organisation_=elsewhere)
        if audience != "anonymous"
        else client_for(audience, 2)
    )
    for name, address in addresses.items():
        one, two = first.get(address), second.get(address)
        assert one.status_code == two.status_code, name
        if name == "home" and audience != "anonymous":
            # A signed-in person's home page is theirs (their schemes, what changed): never shared.
            assert "private" in one["Cache-Control"] and "private" in two["Cache-Control"]
            continue
        assert one.content == two.content, (audience, name)
        for person in (1, 2):
            for mark in (f"{audience.replace(' ', '')}{person}@", f"Pendry{person}", f"Lastname{person}"):
                assert mark.encode() not in one.content + two.content, (audience, name)
        assert b"csrfmiddlewaretoken" not in one.content, (audience, name)


def _stored() -> list[bytes]:
    return [entry if isinstance(entry, bytes) else pickle.dumps(entry) for entry in cache._cache.values()]


def test_no_stored_entry_holds_a_name_an_e_mail_or_a_token(addresses, client_for, elsewhere):
    clients = [client_for(audience, n) for audience in AUDIENCES for n in (1, 2)]
    shared = 0
    for client in clients:
        for address in addresses.values():
            for _ in range(2):
                response = client.get(address)
                shared += response.get("X-Audience-Cache") == "hit" or response.get("X-Page-Cache") == "hit"
    assert shared  # the caches were used
    tokens = [c.cookies["csrftoken"].value.encode() for c in clients if "csrftoken" in c.cookies]
    from accounts.models import User

    marks = [u.email.encode() for u in User.objects.all()]
    marks += [u.last_name.encode() for u in User.objects.all()] + tokens
    for entry in _stored():
        assert not any(mark in entry for mark in marks)


def test_a_restriction_added_in_a_transaction_retires_both_caches_after_the_commit(
    client_for, demo, monkeypatch, django_capture_on_commit_callbacks
):
    import serving.viewer

    anonymous, member = client_for("anonymous"), client_for("pending")  # pending: shareable
    assert anonymous.get("/about/")["X-Page-Cache"] == "miss"
    assert member.get("/about/")["X-Audience-Cache"] == "miss"
    before = current_version()
    stale_facts = serving.viewer.build_site_facts()

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            about = StandardPage.objects.get(slug="about")
            PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
            during = current_version()
            assert during != before  # nothing stored before the change is served meanwhile
            # A request served by another connection meanwhile cannot see the uncommitted
            # restriction: it reads the new version but the old facts, and stores the page.
            with monkeypatch.context() as patch:
                patch.setattr(serving.viewer, "build_site_facts", lambda: stale_facts)
                patch.setattr(
                    StandardPage, "get_view_restrictions", lambda self: PageViewRestriction.objects.none()
                )
                patch.setattr(serving.viewer.memo, "entries", {})
                cache.delete(f"serving:site-facts:{during}")
                assert anonymous.get("/about/")["X-Page-Cache"] == "miss"
                assert member.get("/about/")["X-Audience-Cache"] == "miss"
            cache.delete(f"serving:site-facts:{during}")
            serving.viewer.memo.entries.clear()

    after = current_version()
    assert after not in (before, during)  # the commit retired what was stored meanwhile
    response = anonymous.get("/about/")
    assert response.status_code == 302 and "X-Page-Cache" not in response
    response = member.get("/about/")
    assert response.status_code == 403 and "X-Audience-Cache" not in response
    # The stale copies written meanwhile are still in the cache, under a version nothing reads.
    stale = [key for key in cache._cache if f":{during}:" in key and "audience-page:" in key]
    assert len(stale) == 1
    # The anonymous cache keeps the version in the entry: the page stored meanwhile says so.
    from django.test import RequestFactory

    from serving.page_cache import _address

    kept_version, _page = cache.get("page-cache:" + _address(RequestFactory().get("/about/")))
    assert kept_version == during
    member = client_for("member")
    response = member.get("/about/")
    assert response.status_code == 200 and "X-Audience-Cache" not in response


def test_never_cache_and_private_responses_are_not_stored(client_for, demo, monkeypatch):
    from django.utils.cache import add_never_cache_headers, patch_cache_control

    original = StandardPage.serve

    def private(self, request, *args, **kwargs):
        response = original(self, request, *args, **kwargs)
        patch_cache_control(response, private=True)
        return response

    def never(self, request, *args, **kwargs):
        response = original(self, request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    clients = (client_for("anonymous"), client_for("member"))
    for opt_out in (private, never):
        monkeypatch.setattr(StandardPage, "serve", opt_out)
        for client in clients:
            for _ in range(2):
                response = client.get("/about/")
                assert "X-Page-Cache" not in response and "X-Audience-Cache" not in response


def test_a_members_only_document_page_is_shared_by_its_audience_and_kept_from_browsers(
    addresses, client_for, elsewhere
):
    first, second = client_for("member", 1), client_for("member", 2, organisation_=elsewhere)
    anonymous, pending = client_for("anonymous"), client_for("pending")
    for name in ("members' document", "members' comparison"):
        address = addresses[name]
        miss, hit = first.get(address), second.get(address)
        assert (miss.status_code, hit.status_code) == (200, 200), name
        assert (miss["X-Audience-Cache"], hit["X-Audience-Cache"]) == ("miss", "hit"), name
        assert miss.content == hit.content
        for response in (miss, hit):
            for word in ("private", "no-store", "no-cache", "max-age=0"):
                assert word in response["Cache-Control"], (name, word)
        # Never to anybody outside the audience, from any cache.
        for _ in range(2):
            refused = anonymous.get(address)
            assert refused.status_code == 302 and "X-Page-Cache" not in refused
            refused = pending.get(address)
            assert refused.status_code == 403 and "X-Audience-Cache" not in refused


def _count_cache_calls(monkeypatch, target=None) -> list[str]:
    """The shared cache's operations from now on, each once (the local-memory cache's
    ``get_many`` calls ``get``: one call all the same)."""
    calls, inside = [], []

    def counted(name, original):
        def call(*args, **kwargs):
            if not inside:
                calls.append(name)
            inside.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        return call

    target = cache if target is None else target
    for name in ("get", "get_many", "set", "add", "delete", "delete_many", "incr", "touch"):
        monkeypatch.setattr(target, name, counted(name, getattr(target, name)))
    return calls


def test_an_anonymous_visitor_is_answered_in_one_round_trip_to_the_cache(client_for, demo, monkeypatch):
    anonymous = client_for("anonymous")
    assert anonymous.get("/about/")["X-Page-Cache"] == "miss"
    calls = _count_cache_calls(monkeypatch)
    assert anonymous.get("/about/")["X-Page-Cache"] == "hit"
    assert calls == ["get_many"]  # the content version and the page together


def test_a_member_is_answered_in_two_round_trips_to_redis(
    settings,
    redis_server,  # noqa: F811 - the fixture imported above
    client_for,
    demo,
    monkeypatch,
):
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": redis_server.url}
    }
    from django.core.cache import caches

    redis_cache = caches["default"]  # the object itself: the settings change back before the patch
    redis_cache.clear()
    member = client_for("member", 1)
    assert member.get("/about/")["X-Audience-Cache"] == "miss"
    calls = _count_cache_calls(monkeypatch, redis_cache)
    assert member.get("/about/")["X-Audience-Cache"] == "hit"
    # The session with the content version, the membership version and the person's kept
    # groups (serving/sessions.py); the page.
    assert calls == ["get_many", "get"]


def test_a_member_is_answered_in_three_reads_of_a_cache_that_reads_keys_one_by_one(
    client_for, demo, monkeypatch
):
    member = client_for("member", 1)
    assert member.get("/about/")["X-Audience-Cache"] == "miss"
    calls = _count_cache_calls(monkeypatch)
    assert member.get("/about/")["X-Audience-Cache"] == "hit"
    assert calls == ["get", "get_many", "get"]  # the session; the versions and groups; the page

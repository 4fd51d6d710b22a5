"""Issue 8: page and collection passwords are throttled like sign-ins."""

import io
import time

import pytest
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from home.demo import load_pages

pytestmark = pytest.mark.django_db
SECRET = "steering group only"


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved on by hand: ``clock.now += 60``."""

    class Clock:
        now = time.time()

    monkeypatch.setattr("accounts.password_throttle._now", lambda: Clock.now)
    return Clock


@pytest.fixture
def protected_page(db):
    load_pages(stdout=io.StringIO())
    page = Page.objects.get(url_path="/home/about/")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=SECRET
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    return page, url


@pytest.fixture
def protected_collection(db):
    collection = Collection.get_first_root_node().add_child(name="Steering group papers")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password=SECRET
    )
    return reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])


def attempt(client, url, password, address="203.0.113.9"):
    return client.post(url, {"password": password, "return_url": "/about/"}, REMOTE_ADDR=address)


def assert_locked(response, minutes):
    assert response.status_code == 429
    body = response.content.decode()
    assert f"Too many attempts, try again in {minutes} minutes" in body
    assert 'class="error-summary"' in body


def test_wagtails_addresses_are_ours(protected_page, protected_collection):
    _page, url = protected_page
    assert url.startswith("/_util/authenticate_with_password/")
    assert protected_collection.startswith("/documents/authenticate_with_password/")


def test_right_password_opens_the_page(client, protected_page):
    page, url = protected_page
    assert client.get("/about/").status_code == 200  # the password form
    assert "password" in client.get("/about/").content.decode()
    response = attempt(client, url, SECRET)
    assert response.status_code == 302 and response["Location"] == "/about/"


def test_a_hundred_page_password_guesses_then_the_right_one_is_refused_until_the_window_passes(
    client, protected_page, clock, caplog
):
    _page, url = protected_page
    statuses = [attempt(client, url, f"guess {i}").status_code for i in range(100)]
    assert statuses[:10] == [200] * 10  # the form again, saying the password is wrong
    assert set(statuses[10:]) == {429}

    assert_locked(attempt(client, url, SECRET), 15)
    clock.now += 10 * 60
    assert_locked(attempt(client, url, SECRET), 5)
    assert any("Password form page-" in r.getMessage() for r in caplog.records)

    clock.now += 5 * 60 + 1
    response = attempt(client, url, SECRET)
    assert response.status_code == 302
    assert client.get("/about/").status_code == 200


def test_the_lockout_is_per_address_and_restriction(client, protected_page, protected_collection, clock):
    _page, url = protected_page
    for i in range(10):
        attempt(client, url, f"guess {i}")
    assert attempt(client, url, SECRET).status_code == 429
    assert attempt(client, url, SECRET, address="198.51.100.7").status_code == 302
    assert attempt(client, protected_collection, SECRET).status_code == 302


def test_guesses_from_many_addresses_are_limited_per_restriction(client, protected_page, clock):
    _page, url = protected_page
    for i in range(50):
        attempt(client, url, "guess", address=f"203.0.113.{i + 1}")
    assert attempt(client, url, SECRET, address="198.51.100.7").status_code == 429


def test_the_address_behind_the_trusted_proxy_is_counted(client, protected_page, clock, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    _page, url = protected_page
    for _ in range(10):
        client.post(url, {"password": "guess", "return_url": "/"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    locked = client.post(url, {"password": SECRET, "return_url": "/"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert locked.status_code == 429
    other = client.post(url, {"password": SECRET, "return_url": "/"}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other.status_code == 302


def test_ipv6_clients_count_per_network(client, protected_page, clock):
    _page, url = protected_page
    for i in range(10):
        attempt(client, url, "guess", address=f"2001:db8:1:2::{i + 1:x}")
    assert attempt(client, url, SECRET, address="2001:db8:1:2::ffff").status_code == 429
    assert attempt(client, url, SECRET, address="2001:db8:1:3::1").status_code == 302


def test_an_attempt_is_counted_before_the_password_is_checked(
    client, protected_page, clock, monkeypatch, settings
):
    """Simultaneous guesses cannot all pass the check before any of them is counted."""
    from accounts import password_throttle

    settings.ACCOUNTS_PASSWORD_ATTEMPTS_PER_ADDRESS = 1
    _page, url = protected_page
    wagtail_view = password_throttle.wagtail_views.authenticate_with_password
    seen = []

    def view_meanwhile(request, *args):
        seen.append(attempt(client, url, "a second guess at the same moment").status_code)
        return wagtail_view(request, *args)

    monkeypatch.setattr(password_throttle.wagtail_views, "authenticate_with_password", view_meanwhile)
    assert attempt(client, url, "first guess").status_code == 200
    assert seen == [429]


def test_right_passwords_are_not_counted(client, protected_page, clock):
    _page, url = protected_page
    for _ in range(30):
        assert attempt(client, url, SECRET).status_code == 302


def test_collection_password_guesses_are_throttled(client, protected_collection, clock):
    for i in range(10):
        assert attempt(client, protected_collection, f"guess {i}").status_code == 200
    assert_locked(attempt(client, protected_collection, SECRET), 15)
    clock.now += 15 * 60 + 1
    assert attempt(client, protected_collection, SECRET).status_code == 302


def test_limits_follow_the_settings(client, protected_page, clock, settings):
    settings.ACCOUNTS_PASSWORD_ATTEMPTS_PER_ADDRESS = 3
    settings.ACCOUNTS_PASSWORD_WINDOW = 120
    _page, url = protected_page
    for i in range(3):
        attempt(client, url, f"guess {i}")
    response = attempt(client, url, SECRET)
    assert response.status_code == 429
    assert "try again in 2 minutes" in response.content.decode()
    assert response["Retry-After"] == "120"

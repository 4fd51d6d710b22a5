"""The search page kept as a frame around what each search fills in (``search.page``): the
same page as rendered whole, the query escaped wherever it is shown, messages shown once, and
no frame shared between people whose header differs."""

import pytest
from django.urls import reverse

from search import page

from .test_site_search import Content

# The frame is the same whatever the engine: Whoosh only (the engines are compared elsewhere).
pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("search_backend", ["whoosh"], indirect=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def content(search_backend, organisation, django_capture_on_commit_callbacks):
    return Content(django_capture_on_commit_callbacks, organisation)


@pytest.fixture
def whole(monkeypatch):
    """Render the page whole, as before the frame was kept."""

    def render_whole():
        monkeypatch.setattr(page, "_frame", lambda request, context: None)

    return render_whole


SEARCHES = [
    {"q": "retention"},
    {"q": 'retention "><script>alert(1)</script> & <b>'},
    {"q": "retention", "type": "document", "sort": "newest", "page": "1"},
    {"q": "retention " + "x" * 300},  # shortened: the notice
    {"q": "nothingmatchesthis"},
    {"q": ""},
]


@pytest.mark.parametrize("viewer", ["anonymous", "member", "editor"])
def test_the_kept_frame_gives_the_page_a_whole_render_gives(content, as_viewer, client, whole, viewer):
    person = client if viewer == "anonymous" else as_viewer(viewer)
    kept = [person.get(reverse("search"), params).content.decode() for params in SEARCHES]
    whole()
    rendered = [person.get(reverse("search"), params).content.decode() for params in SEARCHES]
    assert kept == rendered
    unsafe = kept[1]
    assert "<script>alert(1)" not in unsafe and unsafe.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3
    assert 'name="type" value="document"' in kept[2] and 'name="sort" value="newest"' in kept[2]
    assert "Your search was shortened" in kept[3]
    assert not any(marker in html for html in kept for marker in page.SLOTS.values())


def test_a_message_is_shown_once_on_a_kept_frame(content, client, make_user):
    make_user("kim@sussex.police.uk", password=PASSWORD)
    client.get(reverse("search"), {"q": "retention"})  # the frame kept, before the sign-in
    client.post(reverse("account_login"), {"login": "kim@sussex.police.uk", "password": PASSWORD})
    first = client.get(reverse("search"), {"q": "retention"}).content.decode()
    assert "notification__text" in first and "Successfully signed in" in first
    second = client.get(reverse("search"), {"q": "retention"}).content.decode()
    assert "Successfully signed in" not in second
    # The page with no search is rendered whole: its messages too.
    client.logout()
    client.post(reverse("account_login"), {"login": "kim@sussex.police.uk", "password": PASSWORD})
    assert "Successfully signed in" in client.get(reverse("search")).content.decode()


def test_people_whose_header_differs_never_share_a_frame(content, as_viewer, client):
    anonymous = client.get(reverse("search"), {"q": "retention"}).content.decode()
    editor = as_viewer("editor").get(reverse("search"), {"q": "retention"}).content.decode()
    assert "Sign out" not in anonymous and "Sign in" in anonymous
    assert "Sign out" in editor

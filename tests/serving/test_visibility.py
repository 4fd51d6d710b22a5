"""Work kept per visibility (serving.visibility): shared by exactly the viewers who may see the
same things, never built from anything personal, retired by a new content version."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore
from wagtail.models import Page, PageViewRestriction

from serving.version import bump_version
from serving.visibility import Visibility, kept, kept_fragment

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_section():
    root = Page.objects.get(depth=1)
    section = root.add_child(instance=Page(title="Members' section", slug="members-section"))
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    return section


def _request(rf, user):
    request = rf.get("/")
    request.user = user
    request.session = SessionStore()
    return request


def test_viewers_who_may_see_the_same_things_share_and_others_do_not(
    rf, make_user, members_section, django_capture_on_commit_callbacks
):
    calls = []

    def build(visibility):
        calls.append(visibility)
        return tuple(
            visibility.visible_pages(Page.objects.filter(depth__gt=1)).values_list("title", flat=True)
        )

    anonymous = kept(_request(rf, AnonymousUser()), "titles", 1, build)
    first_member = kept(_request(rf, make_user("one@sussex.police.uk")), "titles", 1, build)
    second_member = kept(_request(rf, make_user("two@sussex.police.uk")), "titles", 1, build)

    assert "Members' section" not in anonymous
    assert "Members' section" in first_member
    assert first_member == second_member
    assert len(calls) == 2  # one build for visitors, one for members
    assert (
        kept(_request(rf, AnonymousUser()), "titles", 2, build) == anonymous and len(calls) == 3
    )  # other params

    with django_capture_on_commit_callbacks(execute=True):
        bump_version()
    kept(_request(rf, AnonymousUser()), "titles", 1, build)
    assert len(calls) == 4  # a new content version retires what was kept


def test_the_build_sees_nothing_but_the_visibility(rf, make_user):
    seen = []
    kept(_request(rf, make_user("one@sussex.police.uk")), "probe", None, seen.append)
    (visibility,) = seen
    assert type(visibility) is Visibility
    assert {name for name in vars(visibility)} == {
        "hidden_page_paths",
        "hidden_collection_paths",
        "restricted_collection_paths",
        "key",
    }


def test_a_fragment_is_rendered_without_the_request(rf, make_user, tmp_path, settings):
    """No user, no CSRF token, no request: what a fragment's template could reach is only the
    context its build returned."""
    (tmp_path / "probe.html").write_text(
        "[{{ request.user.email }}|{{ user.email }}|{% csrf_token %}|{{ n }}]"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path), *settings.TEMPLATES[0]["DIRS"]]}]
    request = _request(rf, make_user("secret.person@sussex.police.uk"))
    fragment = kept_fragment(
        request, "probe", None, "probe.html", lambda visibility: ({"n": 3}, {"total": 3})
    )
    assert fragment.html == "[|||3]"
    assert fragment.facts == {"total": 3}


def test_a_preview_is_never_kept(rf, make_user):
    calls = []
    request = _request(rf, make_user("editor@sussex.police.uk"))
    request.is_preview = True
    for _ in range(2):
        kept(request, "draft", 1, lambda visibility: calls.append(1) or len(calls))
    assert len(calls) == 2

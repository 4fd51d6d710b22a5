"""A page of search results is kept per content version, scope and search (search.views):
shared by one audience, never across audiences, never with another person's parameters, never
when the search was incomplete, and retired by any change."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from search import views

from .test_site_search import Content, add_page, rebuild, search, titles


@pytest.fixture
def content(search_backend, organisation, django_capture_on_commit_callbacks):
    return Content(django_capture_on_commit_callbacks, organisation)


@pytest.fixture
def computed(monkeypatch):
    """How many times results were worked out rather than taken from what was kept."""
    calls = []
    original = views._results

    def counting(*args, **kwargs):
        calls.append(args[2])
        return original(*args, **kwargs)

    monkeypatch.setattr(views, "_results", counting)
    return calls


def test_one_audience_shares_results_and_other_audiences_never_get_them(
    content, client, make_user, computed, monkeypatch
):
    # The forum's discussions join the groups each person may read to the scope: these two
    # read the same groups (none private), so they share.
    first, second = make_user("first@sussex.police.uk"), make_user("second@sussex.police.uk")
    editor = make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS)
    client.force_login(editor)
    assert titles(search(client, "zebulonic")) == ["Harbour protocol draft"]
    client.force_login(first)
    assert "Harbour protocol draft" not in search(client, "zebulonic")  # not the editor's page
    assert len(computed) == 2
    found = titles(search(client, "retention"))
    client.force_login(second)
    assert titles(search(client, "retention")) == found  # kept for their audience
    assert len(computed) == 3
    # Anonymous visitors and pending people are other scopes: members-only results never reach them.
    client.logout()
    html = search(client, "retention")
    assert "Pan-Sussex Memorandum of Understanding" not in html
    client.force_login(make_user("pending@sussex.police.uk", approved=False))
    assert "Pan-Sussex Memorandum of Understanding" not in search(client, "retention")
    assert len(computed) == 5


def test_a_source_answering_per_person_keeps_results_per_person(
    content, client, make_user, computed, monkeypatch
):
    sources = views.get_sources()
    monkeypatch.setattr(type(sources[0]), "personal", True, raising=False)
    for email in ("first@sussex.police.uk", "second@sussex.police.uk"):
        client.force_login(make_user(email))
        search(client, "retention")
    assert len(computed) == 2


def test_kept_links_carry_only_the_search_own_parameters(content, client, make_user):
    client.force_login(make_user("first@sussex.police.uk"))
    html = client.get(
        reverse("search"), {"q": "retention", "tracking": "first-person-secret"}
    ).content.decode()
    assert "first-person-secret" not in html
    client.logout()
    html = client.get(reverse("search"), {"q": "qwxzv", "utm": "visitor-secret"}).content.decode()
    assert "visitor-secret" not in html
    assert "next=/search/%3Fq%3Dqwxzv" in html  # the sign-in link returns to this search


def test_a_change_retires_kept_results(content, client, make_user, computed):
    client.force_login(make_user("first@sussex.police.uk"))
    assert "Glossopteris retention notes" not in search(client, "retention")
    add_page(content.home, "Glossopteris retention notes", summary="Retention notes.")
    rebuild()
    assert "Glossopteris retention notes" in titles(search(client, "retention"))
    # A group's people changing retires them too (the audience's facts change).
    Group.objects.get(name=roles.MEMBERS).user_set.clear()
    assert "Pan-Sussex Memorandum of Understanding" not in search(client, "retention")


def test_an_incomplete_search_is_never_kept(content, client, computed, monkeypatch):
    real = views._search
    monkeypatch.setattr(views, "_search", lambda request, sources, parsed: ([], True, False))
    assert "results may be incomplete" in search(client, "retention")
    monkeypatch.setattr(views, "_search", real)
    html = search(client, "retention")
    assert "results may be incomplete" not in html and "Retention guidance" in titles(html)
    assert len(computed) == 2

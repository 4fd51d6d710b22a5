"""The site search answers bad input with results or "no results" in bounded time, never an
error page, on both backends; and a missing or damaged index says results may be incomplete."""

import shutil
import time
from pathlib import Path

import pytest
from django.urls import reverse

from . import test_site_search as site_search

# The same content as test_site_search.py; the two backends come from tests/conftest.py.
content = site_search.content
count = site_search.count

BAD_QUERIES = {
    "unbalanced double quote": '"retention',
    "unbalanced single quote": "retention'",
    "unbalanced brackets": "((retention",
    "closing brackets": "retention))]",
    "bare operator": "AND",
    "bare operators": "OR NOT AND",
    "trailing operator": "retention AND",
    "field syntax": "title:retention",
    "empty field": "title:",
    "wildcard": "reten*",
    "lone wildcard": "*",
    "question wildcard": "?etention",
    "fuzzy syntax": "retention~2",
    "boost syntax": "retention^10",
    "ranges": "[a TO z]",
    "control characters": "reten\x00tion\x07\x1b[31m",
    "other scripts": "Безопасность 社区安全 الأمان",
    "emoji": "🚓🏠 retention 👍🏽",
    "right to left mark": "\u200fretention\u202e",
    "sql": "'; DROP TABLE wagtailcore_page; --",
    "html": "<script>alert(1)</script>",
    "backslashes": "\\\\retention\\",
    "many words": " ".join(["retention"] * 300),
    "long word": "r" * 5000,
}


def test_bad_input_is_answered_quickly(content, client, subtests):
    # One test with a check per query: the content (pages, documents, an index) is built once.
    for name, query in BAD_QUERIES.items():
        with subtests.test(name):
            started = time.monotonic()
            response = client.get(reverse("search"), {"q": query})
            assert response.status_code == 200
            assert time.monotonic() - started < 5
            html = response.content.decode()
            assert "<script>alert(1)</script>" not in html
            assert ("No results for" in html) or count(html) > 0
            assert client.get(reverse("search_suggest"), {"q": query}).status_code == 200


def test_a_10000_character_query_is_shortened_with_a_message(content, client):
    started = time.monotonic()
    html = client.get(reverse("search"), {"q": "retention " * 1000}).content.decode()
    assert time.monotonic() - started < 5
    assert "Your search was shortened to its first 200 characters." in html
    assert count(html) == 2


def test_control_characters_are_dropped(content, client):
    html = client.get(reverse("search"), {"q": "reten\x00tion"}).content.decode()
    assert count(html) == 2
    assert "\x00" not in html


def test_bad_filters_and_pages_are_ignored(content, client):
    response = client.get(
        reverse("search"),
        {"q": "retention", "page": "-1", "sort": "<b>", "type": ["x" * 1000, "'; --"], "year": "🚓"},
    )
    assert response.status_code == 200
    assert count(response.content.decode()) == 2


def test_a_missing_index_says_results_may_be_incomplete(content, client, settings, search_backend):
    if search_backend != "whoosh":
        pytest.skip("only the Whoosh index lives in a folder that can go missing")
    from search.backends.whoosh.storage import IndexLocation

    shutil.rmtree(Path(settings.WAGTAILSEARCH_BACKENDS["default"]["PATH"]))
    IndexLocation.forget_searchers()
    response = client.get(reverse("search"), {"q": "retention"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "results may be incomplete" in html
    assert "Did you mean" not in html
    assert client.get(reverse("search_suggest"), {"q": "reten"}).status_code == 200


def test_a_broken_backend_says_results_may_be_incomplete(content, client, monkeypatch):
    from modelsearch.queryset import SearchableQuerySetMixin

    def broken(*args, **kwargs):
        raise RuntimeError("index unreadable")

    monkeypatch.setattr(SearchableQuerySetMixin, "search", broken)
    monkeypatch.setattr(SearchableQuerySetMixin, "autocomplete", broken)
    response = client.get(reverse("search"), {"q": "retention"})
    assert response.status_code == 200
    assert "results may be incomplete" in response.content.decode()
    assert client.get(reverse("search_suggest"), {"q": "reten"}).status_code == 200

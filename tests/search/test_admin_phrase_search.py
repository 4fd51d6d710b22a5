"""The Wagtail admin's page and document searches go through our backend; a quoted phrase
("pan sussex") must find what it names without an error in the log (issue 8)."""

import logging

import pytest
from django.core.management import call_command
from modelsearch.query import Phrase
from modelsearch.test.testapp.models import Book

from search.backends.whoosh import WhooshAutocompleteQueryCompiler
from tests.documents.conftest import home, make_document, scheme  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("admin@sussex.police.uk", is_superuser=True, is_staff=True))
    return client


def admin_search(client, path, q, caplog) -> str:
    """The admin's answer to ``q`` (after a rebuild), checking it logged no error."""
    call_command("rebuild_modelsearch_index", verbosity=0)
    with caplog.at_level(logging.INFO):
        response = client.get(path, {"q": q})
    assert response.status_code == 200
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
    return response.content.decode()


def test_admin_page_search_finds_a_quoted_phrase(admin_client, scheme, caplog):  # noqa: F811
    assert "Pan-Sussex" in admin_search(admin_client, "/admin/pages/search/", '"pan sussex"', caplog)


def test_admin_page_search_phrase_respects_word_order(admin_client, scheme, caplog):  # noqa: F811
    assert "Pan-Sussex" not in admin_search(admin_client, "/admin/pages/search/", '"sussex pan"', caplog)


def test_admin_document_search_finds_a_quoted_phrase(admin_client, make_document, caplog):  # noqa: F811
    make_document("Pan-Sussex information sharing agreement")
    body = admin_search(admin_client, "/admin/documents/", '"pan sussex"', caplog)
    assert "Pan-Sussex information sharing agreement" in body


# The backend itself: a phrase given to ``autocomplete`` (as the admin does).


def test_autocomplete_phrase_is_looked_for_in_full_text_fields(indexed_library, caplog):
    results = indexed_library.autocomplete(Phrase("rust programming"), Book)
    assert [book.title for book in results] == ["The Rust Programming Language"]
    assert not results.incomplete
    assert indexed_library.autocomplete(Phrase("programming rust"), Book).count() == 1
    assert indexed_library.autocomplete(Phrase("rust language"), Book).count() == 0
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_autocomplete_phrase_of_one_word_is_a_prefix_search(indexed_library):
    titles = {book.title for book in indexed_library.autocomplete(Phrase("Javascr"), Book)}
    assert titles == {"JavaScript: The good parts", "JavaScript: The Definitive Guide"}


def test_autocomplete_phrase_limited_to_fields(indexed_library, caplog):
    results = indexed_library.autocomplete(Phrase("rust programming"), Book, fields=["title"])
    assert results.count() == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_autocomplete_phrase_without_full_text_field_needs_every_word(indexed_library, monkeypatch, caplog):
    """A model whose autocomplete fields have no full-text twin: every word, in any order."""
    monkeypatch.setattr(WhooshAutocompleteQueryCompiler, "phrase_fields", lambda self: {})
    assert indexed_library.autocomplete(Phrase("rust programming"), Book).count() == 2
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

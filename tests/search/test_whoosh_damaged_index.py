"""A missing or damaged index never breaks a search: no results, flagged ``incomplete``, and a
rebuild repairs it."""

import os

import pytest
from modelsearch.query import MATCH_ALL
from modelsearch.test.testapp.models import Book, ProgrammingGuide

from search.backends.whoosh.storage import IndexLocation

from .conftest import rebuild

pytestmark = pytest.mark.django_db


def assert_unavailable(backend):
    results = backend.search("javascript", Book)
    assert list(results) == []
    assert results.count() == 0
    assert results.incomplete
    page = results[:10]
    assert list(page) == [] and page.incomplete
    facets = backend.search(MATCH_ALL, ProgrammingGuide).facet("programming_language")
    assert dict(facets) == {}
    assert list(backend.autocomplete("jav", Book)) == []
    assert not backend.is_available(Book)


def assert_repaired(backend):
    rebuild()
    results = backend.search("javascript", Book)
    assert results.count() == 2
    assert not results.incomplete
    assert backend.is_available(Book)


def book_index(backend) -> IndexLocation:
    return backend.get_index_for_model(Book).location


def test_missing_index(library, backend):
    assert_unavailable(backend)
    assert_repaired(backend)


def test_link_to_a_vanished_directory(indexed_library):
    backend = indexed_library
    location = book_index(backend)
    os.rename(location.live_dir(), location.root / "elsewhere")
    assert_unavailable(backend)
    assert_repaired(backend)


def test_corrupt_table_of_contents(indexed_library):
    backend = indexed_library
    live = book_index(backend).live_dir()
    for toc in live.glob("*.toc"):
        toc.write_bytes(b"\x00garbage" * 10)
    IndexLocation.forget_searchers()
    assert_unavailable(backend)
    assert_repaired(backend)


def test_corrupt_segment_files(indexed_library):
    backend = indexed_library
    live = book_index(backend).live_dir()
    for segment in live.glob("*.seg"):
        segment.write_bytes(b"\xff" * segment.stat().st_size)
    for postings in live.glob("*.trm"):
        postings.write_bytes(b"\xff" * postings.stat().st_size)
    IndexLocation.forget_searchers()
    results = backend.search("javascript", Book)
    assert list(results) == [] and results.incomplete
    assert_repaired(backend)


def test_updates_to_a_damaged_index_are_skipped_not_raised(indexed_library):
    backend = indexed_library
    live = book_index(backend).live_dir()
    for toc in live.glob("*.toc"):
        toc.write_bytes(b"garbage")
    book = Book.objects.get(title="Learning Python")
    backend.add(book)  # logged, not raised: saving content must not fail because of the index
    backend.delete(book)
    assert_repaired(backend)


def test_first_update_creates_an_empty_index(library, backend):
    book = Book.objects.get(title="The Hobbit")
    backend.add(book.get_indexed_instance())
    results = backend.search("hobbit", Book)
    assert [b.title for b in results] == ["The Hobbit"]
    assert not results.incomplete

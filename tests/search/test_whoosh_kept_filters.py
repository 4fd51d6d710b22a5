"""A filter's documents are worked out once per searcher (per generation of the index), not on
every search, and never outlive the index they were read from."""

import datetime

import pytest
from modelsearch.test.testapp.models import Book
from whoosh.query import Query
from whoosh.searching import Searcher

from .conftest import indexed_books


@pytest.fixture
def books(db, backend):
    indexed_books(20)
    return backend


def test_a_filter_is_worked_out_once_per_searcher_and_again_after_a_change(books, monkeypatch):
    backend = books
    made = []
    original = Searcher._filter_to_comb
    monkeypatch.setattr(
        Searcher, "_filter_to_comb", lambda self, obj: made.append(obj) or original(self, obj)
    )
    long_books = Book.objects.filter(number_of_pages__gt=110)
    for _ in range(3):
        assert backend.search("partnership", long_books).count() == 9
    assert len([obj for obj in made if isinstance(obj, Query)]) == 1  # then the kept set is handed over
    # A new book is indexed: the next search reads a new generation, and its filter again.
    book = Book.objects.create(
        title="Partnership report 99",
        summary="",
        publication_date=datetime.date(2021, 1, 1),
        number_of_pages=500,
    )
    backend.add(book)
    assert backend.search("partnership", long_books).count() == 10
    short = Book.objects.get(number_of_pages=101)
    assert short.pk not in {b.pk for b in backend.search("partnership", long_books)}

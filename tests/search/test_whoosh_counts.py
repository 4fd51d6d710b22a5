"""The count of a search is every match, whatever page is asked for.

Whoosh's top-N collector swaps its matcher for a cheaper one once the page is full: a branch of
an OR (a field with a low boost) that can no longer reach the page is dropped, and the matches
only it had are never counted. The backend counts in the same pass as it ranks, so it must not
let the matcher be swapped.
"""

import datetime
import random

import pytest
from modelsearch.test.testapp.models import Book

from .conftest import rebuild


@pytest.fixture
def boosted_books(db, backend):
    # Among 2,000 books, every 25th has the word in its title (boost 10); 40% of the others in a
    # summary of 120 words (boost 2). Once the first page is full of title matches, no summary
    # match can reach it, and Whoosh's cheaper matcher would drop them from the count.
    rng = random.Random(14)
    words = [f"word{n}" for n in range(400)]
    books = []
    for n in range(2000):
        summary = rng.choices(words, k=120)
        if n % 25 and rng.random() < 0.4:
            summary[rng.randrange(120)] = "partnership"
        books.append(
            Book(
                title=f"Partnership {n}" if n % 25 == 0 else f"Report {n}",
                summary=" ".join(summary),
                publication_date=datetime.date(2020, 1, 1),
                number_of_pages=10 + n % 2,
            )
        )
    Book.objects.bulk_create(books)
    rebuild()
    expected = sum(1 for book in books if "partnership" in f"{book.title} {book.summary}".lower())
    return backend, expected


@pytest.mark.parametrize("page", [1, 10, 25])
def test_count_is_every_match_whatever_the_page(boosted_books, page):
    backend, expected = boosted_books
    results = backend.search("partnership", Book)
    assert results.count() == expected
    assert len(list(results[:page])) == page
    assert backend.search("partnership", Book)[:page].count() == page


def test_count_with_a_filter_is_every_match(boosted_books):
    backend, expected = boosted_books
    results = backend.search("partnership", Book.objects.filter(number_of_pages__gt=5))
    assert results.count() == expected
    assert len(list(results[:10])) == 10

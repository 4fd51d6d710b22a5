"""The database search backend (``search.backends.database``): modelsearch's, except that on
PostgreSQL a search neither selects each row's search vector nor makes Django walk the rank's
expression tree; the same rows in the same order as modelsearch's own."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.backends import get_search_backend
from modelsearch.test.testapp.models import Book

from search.backends.database import Ranked

pytestmark = pytest.mark.django_db

QUERIES = ["partnership", "report sharing", "hate crime", "outreach", "partnership hate crime 7", "nothing"]


@pytest.fixture
def both(settings):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "search.backends.database", "AUTO_UPDATE": False},
        "modelsearch": {"BACKEND": "modelsearch.backends.database", "AUTO_UPDATE": False},
    }
    Book.objects.bulk_create(
        Book(
            title=f"Partnership report {n}" + (" on hate crime" if n % 3 == 0 else ""),
            summary="information sharing" if n % 2 else "street outreach",
            publication_date=datetime.date(2020, 1, 1),
            number_of_pages=100 + n,
        )
        for n in range(40)
    )
    call_command("rebuild_modelsearch_index", backend_name="default", verbosity=0)
    return get_search_backend("default"), get_search_backend("modelsearch")


def _found(backend, query, queryset=None, operator=None):
    results = backend.search(query, queryset or Book.objects.all(), operator=operator)
    return [book.pk for book in results[:20]], results.count()


@pytest.mark.parametrize("operator", [None, "or"])
def test_the_same_rows_in_the_same_order_as_modelsearchs_own(both, operator):
    ours, theirs = both
    long_books = Book.objects.filter(number_of_pages__gt=115)
    for query in QUERIES:
        assert _found(ours, query, operator=operator) == _found(theirs, query, operator=operator), query
        assert _found(ours, query, long_books, operator) == _found(theirs, query, long_books, operator), query


def test_on_postgresql_the_vector_is_not_selected_and_the_rank_is_not_walked(both):
    if connection.vendor != "postgresql":
        pytest.skip("the change is PostgreSQL's; elsewhere the backend is modelsearch's own")
    ours, theirs = both
    assert type(ours).__module__ == "search.backends.database"
    with CaptureQueriesContext(connection) as mine:
        _found(ours, "partnership")
    with CaptureQueriesContext(connection) as original:
        _found(theirs, "partnership")
    select = mine[0]["sql"].split(" FROM ")[0]
    assert "_vector_" not in select and "_vector_" in original[0]["sql"].split(" FROM ")[0]
    ranked = Ranked(Book.objects.none().query.resolve_ref("pk"))
    assert ranked == ranked and ranked != Ranked(Book.objects.none().query.resolve_ref("pk"))

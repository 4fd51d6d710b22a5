"""Fixtures for the search tests: a Whoosh backend in a throw-away folder, test data, viewers."""

from pathlib import Path

import pytest
from django.core.management import call_command
from modelsearch.backends import get_search_backend

from accounts import roles
from search.backends.whoosh.storage import IndexLocation

FIXTURES = Path(__file__).parent / "fixtures"
BACKEND_NAME = "whoosh-test"


@pytest.fixture
def whoosh_settings(settings, tmp_path):
    """Configure a Whoosh backend named ``whoosh-test`` in ``tmp_path``; returns its options."""
    options = {
        "BACKEND": "search.backends.whoosh",
        "PATH": str(tmp_path / "index"),
        "AUTO_UPDATE": False,
        "UPDATE_ON_COMMIT": False,
        "LOCK_TIMEOUT": 5,
        "WRITER_PROCS": 1,
    }
    settings.WAGTAILSEARCH_BACKENDS = {"default": dict(options), BACKEND_NAME: options}
    settings.FIXTURE_DIRS = [FIXTURES]
    yield options
    IndexLocation.forget_searchers()


@pytest.fixture
def backend(whoosh_settings):
    return get_search_backend(BACKEND_NAME)


@pytest.fixture
def library(db, whoosh_settings):
    """modelsearch's test books, authors and characters in the database (not yet indexed)."""
    call_command("loaddata", "search", verbosity=0)


def rebuild():
    call_command("rebuild_modelsearch_index", backend_name=BACKEND_NAME, verbosity=0)


def indexed_books(count, title=lambda n: f"Partnership report {n}", summary=lambda n: "information sharing"):
    """``count`` of modelsearch's test books (``number_of_pages`` 100 + n), indexed afresh."""
    import datetime

    from modelsearch.test.testapp.models import Book

    Book.objects.bulk_create(
        Book(
            title=title(n),
            summary=summary(n),
            publication_date=datetime.date(2020, 1, 1),
            number_of_pages=100 + n,
        )
        for n in range(count)
    )
    rebuild()


@pytest.fixture
def indexed_library(library, backend):
    rebuild()
    return backend


@pytest.fixture
def as_viewer(client, make_user):
    def sign_in(viewer):
        if viewer == "pending":
            client.force_login(make_user("pending@sussex.police.uk", approved=False))
        elif viewer == "member":
            client.force_login(make_user("member@sussex.police.uk"))
        elif viewer == "editor":
            client.force_login(make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS))
        return client

    return sign_in

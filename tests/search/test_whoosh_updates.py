"""Saves and deletes reach the index through a django-tasks task queued after the commit."""

from datetime import date
from unittest import mock

import pytest
from django.db import transaction
from modelsearch.test.testapp.models import Book, Novel

from search.backends.whoosh import signals

from .conftest import BACKEND_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(indexed_library, whoosh_settings):
    """The backend with updates queued on commit, and the handlers connected."""
    whoosh_settings["UPDATE_ON_COMMIT"] = True
    signals.register_signal_handlers()
    return indexed_library


def titles(backend, text):
    return [book.title for book in backend.search(text, Book)]


def test_a_save_queues_the_task_after_commit(queued, django_capture_on_commit_callbacks):
    with mock.patch.object(signals, "update_search_index") as task:
        enqueue = task.enqueue
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            book = Book.objects.create(
                title="Anti-social behaviour", publication_date=date(2024, 1, 1), number_of_pages=1
            )
        enqueue.assert_not_called()  # nothing before the commit
        assert len(callbacks) == 1
        callbacks[0]()
    enqueue.assert_called_once_with(BACKEND_NAME, "searchtests.book", [str(book.pk)])


def test_the_task_indexes_the_committed_object(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Book.objects.create(
            title="Fly-tipping hotspots", publication_date=date(2024, 1, 1), number_of_pages=1
        )
    assert titles(queued, "hotspots") == []  # not before the commit
    for callback in callbacks:
        callback()  # the immediate task backend runs the task here
    assert titles(queued, "hotspots") == ["Fly-tipping hotspots"]


def test_a_subclass_is_indexed_as_itself(queued, django_capture_on_commit_callbacks):
    hobbit = Novel.objects.get(title="The Hobbit")
    with django_capture_on_commit_callbacks(execute=True):
        hobbit.setting = "Shire of Somerset"
        hobbit.save()
    assert [n.title for n in queued.search("somerset", Novel)] == ["The Hobbit"]


def test_a_delete_removes_it_after_commit(queued, django_capture_on_commit_callbacks):
    hobbit = Novel.objects.get(title="The Hobbit")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        hobbit.delete()
    assert queued.search("hobbit", Book).count() == 1  # still in the index (counts read only it)
    for callback in callbacks:
        callback()
    assert queued.search("hobbit", Book).count() == 0


def test_a_rolled_back_save_queues_nothing(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                Book.objects.create(
                    title="Never committed", publication_date=date(2024, 1, 1), number_of_pages=1
                )
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert titles(queued, "never committed") == []


def test_loading_fixtures_queues_nothing(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signals.post_save_signal_handler(instance=Book.objects.first(), raw=True)
    assert callbacks == []


def test_nothing_is_queued_when_the_backend_updates_inline(
    indexed_library, django_capture_on_commit_callbacks
):
    signals.register_signal_handlers()  # UPDATE_ON_COMMIT is off in this configuration
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Book.objects.create(title="Inline", publication_date=date(2024, 1, 1), number_of_pages=1)
    assert callbacks == []

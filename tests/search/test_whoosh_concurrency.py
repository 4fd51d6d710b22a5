"""One writer at a time, waiting rather than failing; rebuilds swap in atomically while
searches and updates carry on."""

import threading
import time
from datetime import date

import pytest
from modelsearch.backends import get_search_backend
from modelsearch.test.testapp.models import Book, Novel, ProgrammingGuide
from whoosh import index as whoosh_index

from search.backends.whoosh import IndexLocked
from search.backends.whoosh.schema import build_document

from .conftest import BACKEND_NAME, rebuild

pytestmark = pytest.mark.django_db


def live_index(backend):
    return whoosh_index.open_dir(str(backend.get_index_for_model(Book).location.live_dir()))


def hold_write_lock(backend, seconds):
    """Hold the live index's Whoosh write lock from another thread for ``seconds``."""
    writer = live_index(backend).writer()
    released = threading.Timer(seconds, writer.cancel)
    released.start()
    return released


def fill(index):
    """What the rebuild command would write into a new generation of the books' index."""
    for model in (Book, Novel, ProgrammingGuide):
        index.add_items(model, list(model.get_indexed_objects()))


def new_book(title):
    return Book.objects.create(title=title, publication_date=date(2024, 1, 1), number_of_pages=10)


def test_a_writer_waits_for_the_lock(indexed_library):
    backend = indexed_library
    timer = hold_write_lock(backend, 0.5)
    started = time.monotonic()
    backend.add(new_book("Waiting for the lock"))
    waited = time.monotonic() - started
    timer.join()
    assert waited >= 0.4
    assert backend.search("waiting lock", Book).count() == 1


def test_a_writer_gives_up_after_the_timeout(indexed_library, whoosh_settings):
    whoosh_settings["LOCK_TIMEOUT"] = 0.3
    backend = get_search_backend(BACKEND_NAME)
    timer = hold_write_lock(backend, 1.5)
    started = time.monotonic()
    with pytest.raises(IndexLocked):
        backend.get_index_for_model(Book).add_item(new_book("Impatient"))
    assert 0.25 <= time.monotonic() - started < 1.4
    timer.join()


def test_searches_keep_answering_while_rebuilds_swap_the_index(indexed_library):
    backend = indexed_library
    stop = threading.Event()
    problems = []
    answers = []

    def search_repeatedly():
        # Counting needs only the index, so this thread never touches the test's database.
        while not stop.is_set():
            try:
                results = backend.search("javascript", Book)
                answers.append((results.count(), results.incomplete))
            except Exception as error:  # noqa: BLE001 - the point is that there are none
                problems.append(error)

    searcher = threading.Thread(target=search_repeatedly)
    searcher.start()
    try:
        for _ in range(4):
            rebuild()
    finally:
        stop.set()
        searcher.join()
    assert not problems
    assert answers
    assert set(answers) == {(2, False)}


def test_a_rebuild_swaps_atomically_and_keeps_updates_made_meanwhile(indexed_library):
    backend = indexed_library
    index = backend.get_index_for_model(Book)
    old_generation = index.location.live_dir()
    rebuilder = backend.rebuilder_class(index)
    fill(rebuilder.start())

    # Meanwhile searches still use the live index, and an update lands in it...
    during = new_book("Written during the rebuild")
    backend.add(during)
    assert backend.search("written during rebuild", Book).count() == 1
    assert index.location.live_dir() == old_generation

    rebuilder.finish()

    # ...and is replayed into the new generation, which is now live.
    assert index.location.live_dir() != old_generation
    assert not index.location.rebuild_running()
    assert backend.search("written during rebuild", Book).count() == 1
    assert backend.search("javascript", Book).count() == 2


def test_an_update_waiting_for_the_lock_follows_the_swap(indexed_library):
    backend = indexed_library
    index = backend.get_index_for_model(Book)
    rebuilder = backend.rebuilder_class(index)
    fill(rebuilder.start())
    book = new_book("Queued behind the swap")
    document = build_document(book)  # built here: the writer thread cannot see this test's data
    timer = hold_write_lock(backend, 0.4)

    def write():
        index._write_live(
            lambda writer: writer.update_document(**document), [f"add searchtests.book {book.pk}"]
        )

    # Both the update and the swap wait for the held lock; whichever goes first, the update
    # must end up in the new live index.
    writer_thread = threading.Thread(target=write)
    writer_thread.start()
    rebuilder.finish()
    writer_thread.join()
    timer.join()
    assert backend.search("queued behind swap", Book).count() == 1
    assert backend.search("javascript", Book).count() == 2

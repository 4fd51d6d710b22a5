"""A rebuild killed with ``kill -9`` leaves nothing holding a lock: the next rebuild and the next
update start at once, and the live index answers throughout (issue 8)."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from modelsearch.test.testapp.models import Book

from search.backends.whoosh.storage import IndexLocation

from .conftest import rebuild

pytestmark = pytest.mark.django_db

DRIVER = Path(__file__).with_name("rebuild_driver.py")
ROOT = Path(__file__).resolve().parents[2]


def process_gone(pid: int) -> bool:
    """Whether ``pid`` has ended (a zombie no process has reaped yet counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def wait_until(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class Hung(Exception):
    pass


@contextmanager
def at_most(seconds):
    """Fail (rather than hang the test run) when the block takes longer than ``seconds``.

    The block runs in this thread, as it must: it uses the test's database connection.
    """

    def interrupt(signum, frame):
        raise Hung(f"still waiting after {seconds} s: a lock the killed rebuild held?")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def killed_rebuild(indexed_library, whoosh_settings, tmp_path):
    """A real rebuild of the books' index, with two writer processes, killed mid-build."""
    driver = subprocess.Popen(
        [sys.executable, str(DRIVER), whoosh_settings["PATH"], str(tmp_path / "driver.sqlite3"), "--pause"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = driver.stdout.readline()
        assert line.startswith("BUILDING"), line + driver.stderr.read()
        _, pid, *children = line.split()
        assert int(pid) == driver.pid
        children = [int(child) for child in children]
        assert children, "the rebuild should be writing with several processes"
        yield indexed_library, driver, children
    finally:
        if driver.poll() is None:
            driver.kill()
        driver.wait()
        driver.stdout.close()
        driver.stderr.close()


def test_a_rebuild_killed_mid_build_does_not_block_the_next(killed_rebuild):
    backend, driver, children = killed_rebuild
    location = backend.get_index_for_model(Book).location
    live_before = location.live_dir()

    # Mid-build: the rebuild holds its lock and journals updates; the live index still answers.
    assert location.is_locked(location.rebuild_lock_path)
    assert location.rebuild_running()
    assert backend.search("javascript", Book).count() == 2

    os.kill(driver.pid, signal.SIGKILL)
    driver.wait(timeout=10)

    # Its writer processes die with it, and nothing holds the lock any more.
    assert wait_until(lambda: all(process_gone(child) for child in children), 3), children
    assert not location.is_locked(location.rebuild_lock_path)
    assert location.live_dir() == live_before
    assert backend.search("javascript", Book).count() == 2

    half_built = {p for p in location.root.glob(f"{location.name}@*") if p != live_before}
    assert half_built, "the killed rebuild should have left its new generation behind"

    book = Book.objects.create(
        title="Written after the crash", publication_date=date(2024, 1, 1), number_of_pages=3
    )
    started = time.monotonic()
    with at_most(30):
        rebuild()
        backend.add(book)
    assert time.monotonic() - started < 10

    assert backend.search("javascript", Book).count() == 2
    assert backend.search("written after crash", Book).count() == 1
    assert not location.rebuild_running()
    # The half-built generation is gone; the live one and the one before it remain.
    generations = set(location.root.glob(f"{location.name}@*"))
    assert not generations & half_built
    assert generations == {location.live_dir(), live_before}


def test_an_update_after_a_killed_rebuild_removes_its_stale_journal(killed_rebuild, caplog):
    backend, driver, children = killed_rebuild
    location = backend.get_index_for_model(Book).location
    os.kill(driver.pid, signal.SIGKILL)
    driver.wait(timeout=10)
    assert wait_until(lambda: all(process_gone(child) for child in children), 3)
    assert location.journal.exists()

    book = Book.objects.create(title="Journal no more", publication_date=date(2024, 1, 1), number_of_pages=3)
    started = time.monotonic()
    with at_most(30):
        backend.add(book)
    assert time.monotonic() - started < 5
    assert not location.journal.exists()
    assert "did not finish" in caplog.text
    assert backend.search("journal no more", Book).count() == 1


def test_writer_processes_of_a_finished_rebuild_are_gone(indexed_library, whoosh_settings):
    import multiprocessing

    whoosh_settings["WRITER_PROCS"] = 2
    rebuild()
    assert not [p for p in multiprocessing.active_children() if p.is_alive()]
    assert indexed_library.search("javascript", Book).count() == 2


def test_a_lock_file_names_its_holder(tmp_path):
    location = IndexLocation(tmp_path, "things")
    with location.file_lock(location.rebuild_lock_path):
        assert location.rebuild_lock_path.read_text().strip() == str(os.getpid())
        assert location.is_locked(location.rebuild_lock_path)
    assert not location.is_locked(location.rebuild_lock_path)

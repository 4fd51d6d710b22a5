"""Where an index lives on disk, and how writers, rebuilds and readers share it safely.

Layout under the backend's ``PATH``, for an index called ``wagtailcore_page``::

    wagtailcore_page            -> wagtailcore_page@1732601234-a1b2c3   (symlink: the live index)
    wagtailcore_page@1732601234-a1b2c3/                                  (a Whoosh index)
    wagtailcore_page.journal    (only while a rebuild runs: updates the rebuild must replay)
    wagtailcore_page.rebuild.lock

Whoosh allows one writer per index, guarded by a file lock (which is why this backend is for
one machine: the lock does not hold across machines). Writers here wait for that lock up to a
timeout instead of failing at once. A rebuild writes a new index beside the live one while
searches and ordinary updates carry on against the live one; updates made meanwhile are also
noted in the journal, and at the end the rebuild replays them into the new index and swaps the
symlink in one atomic ``rename``. Searchers notice the new target on their next search.

A rebuild killed outright (``kill -9``, the OOM killer, a lost machine) must not stop the next
one. Every lock here is an ``flock``, which the kernel releases when the last descriptor of its
holder closes, i.e. when the process dies; the writer processes a rebuild forks (they inherit
those descriptors) are made to die with it (:func:`die_with_parent`), so nothing is left holding
a lock. What a killed rebuild leaves on disk is harmless: its half-built generation is deleted
by the next rebuild, and its journal is recognised as stale (no process holds the rebuild lock)
and removed by the next update.
"""

import ctypes
import ctypes.util
import fcntl
import logging
import os
import secrets
import shutil
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

logger = logging.getLogger("search.whoosh")

#: Descriptors of the locks this process holds through :meth:`IndexLocation.file_lock`; a forked
#: writer process closes its copies (see :func:`die_with_parent`).
HELD_LOCK_FDS: set[int] = set()

#: Seconds a rebuild waits for another rebuild's lock before saying so in the log.
REPORT_WAIT_AFTER = 2.0

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int, inherited_fds=()) -> None:
    """Called first thing in a process forked by a rebuild: end it when its parent ends.

    On Linux the kernel sends it ``SIGKILL`` as soon as the parent dies (``PR_SET_PDEATHSIG``);
    elsewhere, and in case the parent died before that was set, a watchdog thread notices the
    parent is gone within half a second. It also closes its copies of the parent's lock
    descriptors (``inherited_fds`` and :data:`HELD_LOCK_FDS`), so that only the parent holds
    them: closing a copy never releases the parent's lock, whose descriptor stays open.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no usable libc: the watchdog remains
            pass
    if os.getppid() != parent_pid:
        os._exit(1)  # the parent died before we could ask to follow it

    def watch():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
    for fd in {*HELD_LOCK_FDS, *inherited_fds}:
        try:
            os.close(fd)
        except OSError:
            pass
    HELD_LOCK_FDS.clear()


class SearchIndexUnavailable(Exception):
    """The index is missing or cannot be read: results from it would be incomplete.

    Searches catch this and answer with no results flagged ``incomplete``; it reaches callers
    only from :meth:`IndexLocation.searcher`.
    """


class IndexLocked(Exception):
    """Another writer held the index for longer than the configured lock timeout."""


class IndexLocation:
    """One named index under the backend's ``PATH``: its live generation, journal and locks."""

    def __init__(self, root: Path, name: str):
        self.root = Path(root)
        self.name = name
        self.link = self.root / name
        self.journal = self.root / f"{name}.journal"
        self.rebuild_lock_path = self.root / f"{name}.rebuild.lock"

    def __repr__(self):
        return f"<IndexLocation {self.link}>"

    # Generations

    def live_dir(self) -> Path | None:
        """The directory the live index is in, or None when there is none yet."""
        try:
            target = os.readlink(self.link)
        except FileNotFoundError:
            return None
        except OSError:
            # A real directory (e.g. made by hand): treat it as the live generation.
            return self.link if self.link.is_dir() else None
        path = self.root / target
        return path if path.is_dir() else None

    def new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"{self.name}@{time.time_ns()}-{secrets.token_hex(3)}"
        path.mkdir()
        return path

    def swap_to(self, generation: Path) -> None:
        """Point the live link at ``generation`` atomically (``rename`` over the old link)."""
        if self.link.is_dir() and not self.link.is_symlink():
            self.link.rename(self.root / f"{self.name}@{time.time_ns()}-manual")
        temporary = self.root / f".{self.name}.{secrets.token_hex(4)}.link"
        os.symlink(generation.name, temporary)
        os.replace(temporary, self.link)

    def remove_old_generations(self, previous: Path | None = None) -> None:
        """Delete every generation but the live one and ``previous`` (the one live before).

        The previous one is kept so that a searcher that opened it just before the swap can
        finish reading. Anything else is either older or was never live (a rebuild killed
        before its swap left it half built), so it goes.
        """
        live = self.live_dir()
        keep = {live, previous}
        for path in self.root.glob(f"{self.name}@*"):
            if path.is_dir() and not path.is_symlink() and path not in keep:
                shutil.rmtree(path, ignore_errors=True)

    def create_empty(self, schema) -> Path:
        """Create a first, empty live index when none exists (guarded against a race)."""
        with self.file_lock(self.root / f"{self.name}.create.lock"):
            live = self.live_dir()
            if live is not None:
                return live
            generation = self.new_generation()
            whoosh_index.create_in(str(generation), schema)
            self.swap_to(generation)
            logger.warning(
                "Created an empty search index at %s; run `manage.py rebuild_modelsearch_index` "
                "to add the content saved before it existed.",
                self.link,
            )
            return generation

    # Locks

    @contextmanager
    def file_lock(self, path: Path, timeout: float | None = None):
        """An exclusive ``flock`` on ``path``, waited for (``timeout`` seconds, or for ever).

        The kernel releases it when this process dies, however it dies. While held, the file
        names the holder's process id, so that a long wait can say whom it waits for.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o640)
        try:
            started = time.monotonic()
            deadline = None if timeout is None else started + timeout
            reported = False
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    now = time.monotonic()
                    if deadline is not None and now >= deadline:
                        raise IndexLocked(f"Timed out waiting for {path}") from None
                    if not reported and now - started >= REPORT_WAIT_AFTER:
                        reported = True
                        logger.info("Waiting for %s, held by process %s", path, _holder(fd))
                    time.sleep(0.02)
            HELD_LOCK_FDS.add(fd)
            try:
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            except OSError:
                pass  # only a diagnostic
            yield
        finally:
            HELD_LOCK_FDS.discard(fd)
            os.close(fd)

    @staticmethod
    def is_locked(path: Path) -> bool:
        """Whether some live process (this one included) holds the ``flock`` on ``path``."""
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # also releases the lock if we took it
        return False

    @staticmethod
    def wait_for_writelock(generation: Path, timeout: float):
        """Acquire the Whoosh write lock of a generation directly (it may not open as an index)."""
        lock = FileStorage(str(generation)).lock("MAIN_WRITELOCK")
        deadline = time.monotonic() + timeout
        while not lock.acquire():
            if time.monotonic() >= deadline:
                raise IndexLocked(f"Timed out waiting for the write lock of {generation}")
            time.sleep(0.02)
        return lock

    # Journal of updates made during a rebuild

    def rebuild_running(self) -> bool:
        """Whether a rebuild is under way, so that updates must be journalled for it.

        Asked by writers holding the live index's write lock. A journal with no process holding
        the rebuild lock was left by a rebuild that died: it is removed (under that lock, so a
        rebuild starting meanwhile is not disturbed) and the answer is no.
        """
        if not self.journal.exists():
            return False
        if self.is_locked(self.rebuild_lock_path):
            return True
        try:
            with self.file_lock(self.rebuild_lock_path, timeout=0):
                if self.journal.exists():
                    self.journal.unlink(missing_ok=True)
                    logger.warning(
                        "Removed the journal of a search index rebuild that did not finish (%s)",
                        self.journal,
                    )
        except IndexLocked:
            return True  # a rebuild started just now
        return False

    def note_in_journal(self, lines: list[str]) -> None:
        with open(self.journal, "a", encoding="utf-8") as journal:
            journal.write("".join(line + "\n" for line in lines))

    def read_journal(self) -> list[str]:
        try:
            return self.journal.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []

    # Readers

    _local = threading.local()

    def searcher(self):
        """A searcher on the live index, reused between searches in this thread.

        Reopens when the live link moved (a rebuild swapped it) and refreshes when a writer
        committed since; raises ``SearchIndexUnavailable`` when the index is missing or broken.
        """
        cache = self._local.__dict__.setdefault("searchers", {})
        live = self.live_dir()
        if live is None:
            raise SearchIndexUnavailable(f"No search index at {self.link}")
        entry = cache.get(self.link)
        try:
            if entry is not None and entry["dir"] == live:
                searcher = entry["searcher"]
                if not searcher.up_to_date():
                    # Not ``searcher.refresh()``: it reuses segment readers whose deletions
                    # are stale after a commit that only deleted documents.
                    entry["searcher"] = entry["ix"].searcher()
                    entry.update(_nothing_kept())
                    _close_quietly(searcher)
                return entry
            if entry is not None:
                _close_quietly(entry["searcher"])
                cache.pop(self.link, None)
            ix = whoosh_index.open_dir(str(live))
            entry = {"dir": live, "ix": ix, "searcher": ix.searcher(), **_nothing_kept()}
            cache[self.link] = entry
            return entry
        except Exception as error:  # a damaged index raises many different things
            cache.pop(self.link, None)
            raise SearchIndexUnavailable(f"Cannot read the search index at {live}: {error!r}") from error

    @classmethod
    def forget_searchers(cls) -> None:
        """Close this thread's cached searchers (tests, and after deleting an index)."""
        cache = cls._local.__dict__.get("searchers", {})
        for entry in cache.values():
            _close_quietly(entry["searcher"])
        cache.clear()


def _close_quietly(searcher) -> None:
    try:
        searcher.close()
    except Exception:  # noqa: BLE001 - closing a broken searcher must not break a search
        pass


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode().strip() or "unknown"
    except (OSError, UnicodeDecodeError):
        return "unknown"


def _nothing_kept() -> dict:
    """What a searcher entry keeps of its generation of the index, empty: columns read, terms
    looked up (``held_terms_only``), filters' documents (``allowed_by``) and the scores of the
    parts of queries (``scored_parts``)."""
    return {"columns": {}, "terms": {}, "filters": {}, "scores": {}}

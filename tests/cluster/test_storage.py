"""Media storage writes a whole file or none (config/storage.py)."""

import errno

import pytest
from django.core.files.base import ContentFile, File

from config.storage import AtomicFileSystemStorage


class DiskFillsUp(File):
    """An upload whose second chunk cannot be written: the disk is full."""

    def __init__(self):
        super().__init__(None, name="big.txt")
        self.size = 2 * 64 * 1024

    def chunks(self, chunk_size=None):
        yield b"x" * 64 * 1024
        raise OSError(errno.ENOSPC, "No space left on device")

    def open(self, mode=None):
        return self


def files(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


def test_a_whole_file_is_saved_under_its_name(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path)
    name = storage.save("documents/note.txt", ContentFile(b"hello"))
    assert name == "documents/note.txt"
    assert (tmp_path / name).read_bytes() == b"hello"
    assert files(tmp_path) == [tmp_path.joinpath(name).relative_to(tmp_path)]


def test_a_name_taken_gets_another_as_django_would(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path)
    first = storage.save("documents/note.txt", ContentFile(b"one"))
    second = storage.save("documents/note.txt", ContentFile(b"two"))
    assert first != second
    assert (tmp_path / first).read_bytes() == b"one" and (tmp_path / second).read_bytes() == b"two"
    assert len(files(tmp_path)) == 2


def test_a_write_that_fails_midway_leaves_no_file(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path)
    storage.save("documents/kept.txt", ContentFile(b"kept"))
    with pytest.raises(OSError, match="No space left on device"):
        storage.save("documents/big.txt", DiskFillsUp())
    assert [str(p) for p in files(tmp_path)] == ["documents/kept.txt"]

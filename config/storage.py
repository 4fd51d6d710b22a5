"""Media storage that never leaves half a file behind.

Django's ``FileSystemStorage`` writes an upload straight under its final name, so a disk that
fills up (or a folder made read-only, or a killed process) midway leaves a truncated file that
nothing refers to, or that a later upload's name skips. Here the upload is written under a
temporary name beside it first; only a complete file is linked under its final name (``link``
fails rather than replace an existing file, like Django's exclusive create), and the
temporary one is removed whatever happens. The error itself (``OSError``: "No space left on
device", "Read-only file system") still reaches the caller, whose transaction then saves no row.
"""

import os
import uuid

from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        directory, base = os.path.split(name)
        partial = os.path.join(directory, f".partial-{uuid.uuid4().hex}-{base}")
        try:
            partial = super()._save(partial, content)  # a fresh name: never renamed by Django
        except BaseException:
            _remove(self.path(partial))
            raise
        partial_path = self.path(partial)
        try:
            while True:
                try:
                    os.link(partial_path, self.path(name))
                    break
                except FileExistsError:
                    # Taken meanwhile by another upload: another name, as Django would choose.
                    name = self.get_available_name(name)
        finally:
            _remove(partial_path)
        return str(name).replace("\\", "/")


def _remove(path):
    try:
        os.unlink(path)
    except OSError:  # never created (a read-only folder), or already gone
        pass

"""Backups of everything a site holds: the database and the uploaded files (``MEDIA_ROOT`` and
the private case files, ``CASES_PRIVATE_ROOT``), in one folder with a manifest.

A backup is written beside its final name and renamed when whole, so a folder named
``backup-...`` is always complete. Its manifest holds each file's SHA-256 and the number of
pages, documents, accounts, forum posts and cases, read from the same snapshot as the database
dump (PostgreSQL: ``pg_dump --snapshot``; SQLite: the online backup API copies one consistent
state). A restore checks the checksums and that the target database and folders are empty
before it changes anything, then migrates (a newer release may restore an older backup),
rebuilds the search index, clears the cache and checks the numbers against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.utils import timezone

FORMAT = 1
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# (archive, setting): the folders of uploaded files.
FOLDERS = (("media.tar.gz", "MEDIA_ROOT"), ("private.tar.gz", "CASES_PRIVATE_ROOT"))
# What the manifest counts, as (name, table): checked after a restore.
COUNTED = (
    ("pages", "wagtailcore_page"),
    ("documents", "documents_governancedocument"),
    ("accounts", "accounts_user"),
    ("forum posts", "forum_post"),
    ("cases", "cases_case"),
)


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise CommandError(f"Backups cover PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_args() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [option, str(db[key])]
    environment = dict(os.environ)
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = db["PASSWORD"]
    return args, environment


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _count(cursor) -> dict[str, int]:
    counts = {}
    for name, table in COUNTED:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - our own table names
        counts[name] = cursor.fetchone()[0]
    return counts


def _migrations(cursor) -> dict[str, str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    latest = {}
    for app, name in cursor.fetchall():
        latest[app] = name
    return latest


def _dump_postgresql(target: Path) -> tuple[dict, dict]:
    args, environment = _pg_args()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts, migrations = _count(cursor), _migrations(cursor)
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             "--file", str(target), *args],
            env=environment, check=True, capture_output=True,
        )  # fmt: skip
    return counts, migrations


def _dump_sqlite(target: Path) -> tuple[dict, dict]:
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        cursor = copy.cursor()
        return _count(cursor), _migrations(cursor)
    finally:
        copy.close()
        source.close()


def backup(parent: Path) -> Path:
    """Write a whole backup under ``parent``; return its folder."""
    kind = engine()
    parent.mkdir(parents=True, exist_ok=True)
    name = f"backup-{timezone.now():%Y%m%d-%H%M%S}"
    work = parent / f".{name}.partial"
    if work.exists() or (parent / name).exists():
        raise CommandError(f"{parent / name} exists already: wait a second and try again.")
    work.mkdir()
    try:
        database = work / DATABASE_FILES[kind]
        counts, migrations = (_dump_postgresql if kind == "postgresql" else _dump_sqlite)(database)
        for archive, setting in FOLDERS:
            root = Path(getattr(settings, setting))
            with tarfile.open(work / archive, "w:gz") as tar:
                if root.is_dir():
                    tar.add(root, arcname=".")
        files = [DATABASE_FILES[kind]] + [archive for archive, _setting in FOLDERS]
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": kind,
            "migrations": migrations,
            "counts": counts,
            "sha256": {file: _sha256(work / file) for file in files},
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        work.rename(parent / name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return parent / name


def read_manifest(folder: Path) -> dict:
    """The manifest, once every file it names is there and matches its checksum."""
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_text())
        checksums = manifest["sha256"]
        kind = manifest["engine"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CommandError(
            f"{folder} is not a whole backup (no readable manifest.json: {exc}). Nothing was changed."
        ) from exc
    if manifest.get("format") != FORMAT:
        raise CommandError(f"{folder} was written in backup format {manifest.get('format')}, not {FORMAT}.")
    for file, expected in checksums.items():
        if not (folder / file).is_file():
            raise CommandError(f"The backup is incomplete: {file} is missing. Nothing was changed.")
        if _sha256(folder / file) != expected:
            raise CommandError(
                f"The backup is damaged: {file} does not match its checksum. Nothing was changed."
            )
    if kind not in DATABASE_FILES:
        raise CommandError(f"Unknown database in the backup: {kind}.")
    return manifest


def _refuse_unless_empty(kind: str) -> None:
    if kind != engine():
        raise CommandError(
            f"This backup is of a {kind} database; DATABASE_URL points to {engine()}. Nothing was changed."
        )
    tables = connection.introspection.table_names()
    if tables:
        raise CommandError(
            f"The database is not empty ({len(tables)} tables): restore only into a new, empty "
            "database. Nothing was changed."
        )
    for _archive, setting in FOLDERS:
        root = Path(getattr(settings, setting))
        if root.is_dir() and any(root.iterdir()):
            raise CommandError(
                f"{setting} ({root}) is not empty: restore only into empty folders. Nothing was changed."
            )


def restore(folder: Path, *, stdout) -> dict:
    """Restore the backup in ``folder`` into the empty database and folders of this site."""
    manifest = read_manifest(folder)
    kind = manifest["engine"]
    _refuse_unless_empty(kind)
    database = folder / DATABASE_FILES[kind]
    if kind == "postgresql":
        args, environment = _pg_args()
        connections.close_all()
        subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             *args, str(database)],
            env=environment, check=True, capture_output=True,
        )  # fmt: skip
    else:
        connections.close_all()
        target = Path(settings.DATABASES["default"]["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(database, target)
    stdout.write(f"Database restored from {database.name}.")
    for archive, setting in FOLDERS:
        root = Path(getattr(settings, setting))
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / archive) as tar:
            tar.extractall(root, filter="data")
        stdout.write(f"{setting} restored from {archive}.")
    call_command("migrate", "--noinput", verbosity=0)
    call_command("rebuild_modelsearch_index", verbosity=0)
    from django.core.cache import cache

    from serving.version import bump_version

    cache.clear()  # nothing kept from before the restore is ever served
    bump_version()
    with connection.cursor() as cursor:
        counts = _count(cursor)
    if counts != manifest["counts"]:
        raise CommandError(
            f"Restored, but the numbers differ from the backup's: {counts} != {manifest['counts']}."
        )
    stdout.write(
        "Search index rebuilt, cache cleared. " + ", ".join(f"{n} {name}" for name, n in counts.items()) + "."
    )
    return counts

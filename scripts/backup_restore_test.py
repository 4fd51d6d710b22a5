"""Backup and restore, tested end to end (run by .ci/run beside the test suites).

For PostgreSQL (the production database) and SQLite (the single-machine default): a site with
the demo content is backed up (``manage.py backup``) and restored (``manage.py restore``) into a
new, empty database and empty folders, as onto a new machine; then every page, document (its
file byte for byte), account (signing in with its password), forum post and case is there, and
the rebuilt search index finds a document by its text. A restore into a database that is not
empty, and of a damaged backup, is refused and changes nothing.

    .venv/bin/python scripts/backup_restore_test.py
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG = os.environ.get("BACKUP_TEST_PG", "postgres://postgres@127.0.0.1:5432")
CHECK = """
from django.contrib.auth import authenticate
from django.test import Client
from documents.models import GovernanceDocument
from forum.models import Post
assert authenticate(email={email!r}, password={password!r}) is not None, "sign-in failed"
client = Client(HTTP_HOST="127.0.0.1")
for address in ("/", "/library/", "/schemes/", "/search/?q=retention"):
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
assert GovernanceDocument.objects.search("retention").count() > 0, "search found nothing"
assert Post.objects.exists()
for document in GovernanceDocument.objects.all():
    with document.file.open("rb") as file:
        file.read(1)
print("checked")
"""
failures = []


def manage(var: Path, database: str, *args, check=True) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "VAR_DIR": str(var),
        "DATABASE_URL": database,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def files_of(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def case(name, function, *args):
    started = time.monotonic()
    try:
        function(*args)
    except Exception as exc:  # noqa: BLE001 - reported, then the run fails
        failures.append(name)
        print(f"{name}: FAILED [{time.monotonic() - started:.1f}s]\n{exc}", flush=True)
    else:
        print(f"{name}: PASSED [{time.monotonic() - started:.1f}s]", flush=True)


def postgres(name: str, action: str) -> str:
    subprocess.run(
        ["psql", f"{PG}/postgres", "-qc", f'{action} DATABASE "{name}"' + (" WITH (FORCE)" if action == "DROP" else "")],
        check=action != "DROP", capture_output=True,
    )  # fmt: skip
    return f"{PG}/{name}"


def round_trip(work: Path, source_db: str, target_db: str, damaged_db: str) -> None:
    source, target, damaged_target = work / "source", work / "target", work / "damaged"
    manage(source, source_db, "migrate", "--noinput")
    demo = manage(source, source_db, "load_demo").stdout
    email, password = re.search(r"^\s+(ruth\.ellis@\S+)\s+(\S+)", demo, re.M).groups()
    folder = Path(manage(source, source_db, "backup").stdout.strip().splitlines()[-1])
    assert folder.is_dir() and (folder / "manifest.json").is_file(), folder

    restored = manage(target, target_db, "restore", str(folder)).stdout
    assert "Search index rebuilt" in restored, restored
    for sub in ("media", "private/cases"):
        assert files_of(source / sub) == files_of(target / sub), f"{sub} differs"
    assert (
        "checked"
        in manage(target, target_db, "shell", "-c", CHECK.format(email=email, password=password)).stdout
    )

    again = manage(target, target_db, "restore", str(folder), check=False)
    assert again.returncode != 0 and "is not empty" in again.stderr, again.stderr

    broken = work / "broken"
    shutil.copytree(folder, broken)
    dump = next(p for p in broken.iterdir() if p.name.startswith("database."))
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    refused = manage(damaged_target, damaged_db, "restore", str(broken), check=False)
    assert refused.returncode != 0 and "damaged" in refused.stderr, refused.stderr
    tables = manage(
        damaged_target, damaged_db, "shell", "-c",
        "from django.db import connection; print(len(connection.introspection.table_names()))",
    ).stdout.strip()  # fmt: skip
    assert tables.endswith("0"), f"the refused restore left {tables} tables"
    assert not (damaged_target / "media").exists() or not any((damaged_target / "media").iterdir())
    assert not (damaged_target / "search-index").exists() or not any(
        (damaged_target / "search-index").iterdir()
    )


def main() -> int:
    started = time.monotonic()
    stamp = f"{os.getpid()}_{int(time.time())}"
    names = [f"bpf_backup_{role}_{stamp}" for role in ("source", "target", "damaged")]
    with tempfile.TemporaryDirectory(prefix="bpf-backup-") as tmp:
        work = Path(tmp)
        try:
            urls = [postgres(name, "CREATE") for name in names]
            case(
                "postgresql: demo, backup, restore onto an empty machine, refusals",
                round_trip,
                work / "pg",
                *urls,
            )
        finally:
            for name in names:
                postgres(name, "DROP")
        # The default database: an SQLite file in each machine's var/ (made by scripts/install.sh).
        sqlite = work / "sqlite"
        for role in ("source", "target", "damaged"):
            (sqlite / role).mkdir(parents=True)
        case("sqlite: demo, backup, restore onto an empty machine, refusals", round_trip, sqlite, "", "", "")
    print(f"backup and restore test finished in {time.monotonic() - started:.0f}s")
    print(f"{2 - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

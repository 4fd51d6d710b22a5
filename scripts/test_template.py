"""Make the migrated database the test processes copy (``scripts/test.sh``); print its name.

    .venv/bin/python scripts/test_template.py make FOLDER   # prints the template's name or path
    .venv/bin/python scripts/test_template.py drop NAME

``DATABASE_URL`` chooses the kind, as for the tests: unset means SQLite (a file in FOLDER),
``postgres://...`` a database of its own on that server, named after this run.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def _server(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(_server(url, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


def make(folder: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        name = f"bpf_test_template_{os.getpid()}_{int(time.time())}"
        _admin(url, f'CREATE DATABASE "{name}"')
        template_url, template = _server(url, name), name
    else:
        path = folder / "template.sqlite3"
        template_url, template = f"sqlite:///{path}", str(path)
    environment = {
        **os.environ,
        "DATABASE_URL": template_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_DATABASE_TEMPLATE": "",
    }
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--run-syncdb", "--noinput", "-v0"],
            cwd=ROOT,
            env=environment,
            check=True,
            stdout=sys.stderr,  # this script's own output is the template's name
        )
    except BaseException:
        drop(template)  # a half-migrated template is of no use: nothing is left behind
        raise
    return template


def drop(name: str) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        _admin(url, f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    action, argument = sys.argv[1], sys.argv[2]
    if action == "make":
        print(make(Path(argument)))
    else:
        drop(argument)

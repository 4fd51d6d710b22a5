"""Background work of the document library: which task backend runs it, and that no document
is left waiting forever whatever happens to the process reading it."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "forum.example.org",
    "SITE_URL": "https://forum.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _production_tasks(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if k != "TASKS_BACKEND"}
    environment.update(PRODUCTION_ENV, **env)
    code = "import json, django; django.setup(); from django.conf import settings; print(json.dumps(settings.TASKS))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_queues_background_work_in_the_database_by_default():
    """Production never reads a file inside a web request: the database backend, run by
    ``manage.py db_worker``, is the default."""
    assert _production_tasks()["default"]["BACKEND"] == "django_tasks_db.backend.DatabaseBackend"


def test_production_backend_can_still_be_chosen():
    tasks = _production_tasks(TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend")
    assert tasks["default"]["BACKEND"] == "django_tasks.backends.dummy.DummyBackend"


@pytest.mark.parametrize("module", ["config.settings.test", "config.settings.dev"])
def test_tests_and_development_run_tasks_at_once(module):
    from importlib import import_module

    assert (
        import_module(module).TASKS["default"]["BACKEND"]
        == "django_tasks.backends.immediate.ImmediateBackend"
    )

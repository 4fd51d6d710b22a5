"""Django settings for ``bench/search.py`` workers only: one model, a throw-away database.

The database comes from ``BENCH_DATABASE_URL`` and the Whoosh index folder from
``BENCH_INDEX_PATH``; the bench creates both and never touches the project's own.
``BENCH_WRITER_PROCS`` overrides the Whoosh backend's rebuild processes (for profiling a build
in one process).
"""

import os

import dj_database_url

SECRET_KEY = "bench-only"
DEBUG = False
USE_TZ = True
INSTALLED_APPS = ["django.contrib.contenttypes", "modelsearch", "searchbench"]
DATABASES = {"default": dj_database_url.parse(os.environ["BENCH_DATABASE_URL"])}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
MODELSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "search.backends.whoosh",
        "PATH": os.environ.get("BENCH_INDEX_PATH", "/nonexistent"),
        "AUTO_UPDATE": False,
        "UPDATE_ON_COMMIT": False,
        **(
            {"WRITER_PROCS": int(os.environ["BENCH_WRITER_PROCS"])}
            if "BENCH_WRITER_PROCS" in os.environ
            else {}
        ),
    },
    "database": {"BACKEND": "modelsearch.backends.database", "AUTO_UPDATE": False},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

"""Settings for pytest: fast hashing, mail kept in memory, media in a throw-away folder."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="bpf-test-media-")
CASES_PRIVATE_ROOT = tempfile.mkdtemp(prefix="bpf-test-cases-")
STORAGES = {
    # Writes a whole file or none (config/storage.py): a full or read-only disk leaves nothing.
    "default": {"BACKEND": "config.storage.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Whoosh as in production, in a fresh folder per test process (safe with pytest-xdist).
# Saving a model does not update the index here: indexing every page and document that a
# fixture creates was half the suite's time. Tests that search ask for the `search_index`
# fixture (tests/conftest.py), which turns updates on; they then apply at once, inside the
# test's transaction, so a test finds what it just saved.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "search.backends.whoosh",
        "PATH": tempfile.mkdtemp(prefix="bpf-test-search-"),
        "AUTO_UPDATE": False,
        "UPDATE_ON_COMMIT": False,
        "LOCK_TIMEOUT": 10,
        "WRITER_PROCS": 1,
    }
}
# modelsearch's test app, for its shared backend tests (tests/search/). Its migrations name an
# app label Wagtail renames ("modelsearch"), so its tables are made from its models instead.
INSTALLED_APPS = [*INSTALLED_APPS, "modelsearch.test.testapp"]  # noqa: F405
MIGRATION_MODULES = {"searchtests": None}

# A migrated database made once by scripts/test.sh, copied as each test process's database
# instead of migrating again (tests/template_db/sqlite3, and PostgreSQL's own TEMPLATE).
if env("TEST_DATABASE_TEMPLATE"):  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = env("TEST_DATABASE_TEMPLATE")  # noqa: F405
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
        DATABASES["default"]["ENGINE"] = "tests.template_db.sqlite3"  # noqa: F405
        # In memory, as for Django's own engine (pytest-django recognises only that one's name
        # and would otherwise make a file named after the database for each worker).
        DATABASES["default"]["TEST"]["NAME"] = ":memory:"  # noqa: F405

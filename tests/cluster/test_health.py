"""/healthz/ says which dependency failed, with a status a load balancer can use."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from tests.cluster.conftest import free_port

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.fixture
def healthy(db, search_index, settings):
    call_command("rebuild_modelsearch_index", verbosity=0)


def lines(response):
    state, *rest = response.content.decode().splitlines()
    return state, dict(line.split(": ", 1) for line in rest)


def test_all_well_is_ok_200(healthy, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(reverse("health"))
    assert response.status_code == 200
    state, checks = lines(response)
    assert state == "ok"
    assert checks == {"database": "ok", "cache": "ok", "search": "ok", "queue": "ok"}
    assert response["X-Health"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_a_failing_database_is_503_and_named(healthy, client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(CursorWrapper, "execute", refuse)
        response = client.get(reverse("health"))
    assert response.status_code == 503
    state, checks = lines(response)
    assert state == "failing"
    assert checks["database"].startswith("failed (OperationalError: connection refused")
    assert checks["queue"] == "not checked (database failed)"
    assert response["X-Health-Failed"] == "database"


def test_a_failing_cache_is_degraded_200_or_503_when_strict(healthy, client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    response = client.get(reverse("health"))
    assert response.status_code == 200
    state, checks = lines(response)
    assert state == "degraded"
    assert checks["cache"].startswith("failed (RuntimeError: a value written could not be read back")
    assert checks["database"] == "ok"
    assert client.get(reverse("health") + "?strict").status_code == 503


def test_a_damaged_search_index_is_named(healthy, client, settings, tmp_path):
    path = tmp_path / "not-an-index"
    path.write_text("a file where the index folder should be")
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "PATH": str(path)}
    }
    response = client.get(reverse("health") + "?strict")
    assert response.status_code == 503
    state, checks = lines(response)
    assert state == "degraded"
    assert checks["search"].startswith("failed")
    assert response["X-Health-Failed"] == "search"


def test_the_database_search_backend_is_checked_by_a_query(db, client, settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "modelsearch.backends.database"}}
    state, checks = lines(client.get(reverse("health")))
    assert checks["search"] == "ok"


def test_tasks_waiting_too_long_mean_no_worker(healthy, client, settings):
    from django_tasks_db.models import DBTaskResult

    from documents.tasks import extract_document_text

    settings.TASKS = DB_TASKS
    settings.HEALTH_QUEUE_MAX_WAIT = 60
    assert lines(client.get(reverse("health")))[1]["queue"] == "ok"
    extract_document_text.enqueue(1)
    assert lines(client.get(reverse("health")))[1]["queue"] == "ok"  # just queued
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=61))
    response = client.get(reverse("health") + "?strict")
    assert response.status_code == 503
    assert lines(response)[1]["queue"].startswith(
        "failed (RuntimeError: 1 task(s) waiting longer than 60s: is manage.py db_worker running?"
    )


def test_probes_at_the_same_time_never_read_each_others_value(monkeypatch):
    """Another probe runs whole between this one's write and its read (two app servers, or two
    workers, checked at once): this one still finds its own value."""
    from django.core.cache import cache

    from home import views

    real_set, nested = cache.set, []

    def set_then_another_probe(key, *args, **kwargs):
        real_set(key, *args, **kwargs)
        if not nested:
            nested.append(key)
            views._check_cache()  # the other probe, in between

    monkeypatch.setattr(cache, "set", set_then_another_probe)
    views._check_cache()  # raised "could not be read back" with one shared key
    assert nested and cache.get(nested[0]) is None  # and each probe removes its key

"""The shared cache (config/cache.py) while Redis is down: pages still served, uncached, with one
logged warning; what failed to be written is removed once Redis answers again."""

import io
import logging
import time

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from config import cache as resilient
from home.demo import load_pages
from serving.version import VERSION_KEY, bump_version, current_version
from tests.cluster.conftest import free_port


def redis_cache(url):
    return {"default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": url}}


@pytest.fixture
def dead_redis(settings):
    """The cache pointed at a port where nothing listens."""
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{free_port()}/0")
    return cache


def test_every_operation_answers_as_for_an_empty_cache_while_redis_is_down(dead_redis):
    assert cache.get("k") is None
    assert cache.get("k", "default") == "default"
    cache.set("k", 1)
    assert cache.add("k", 1) is True  # as into an empty cache: locks taken with add go ahead
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    assert sorted(cache.set_many({"a": 1, "b": 2})) == ["a", "b"]
    cache.delete_many(["a", "b"])
    assert cache.delete("k") is False
    assert cache.touch("k") is False
    assert cache.get_or_set("k", lambda: "built") == "built"
    with pytest.raises(ValueError):
        cache.incr("k")


def test_a_warning_is_logged_once_an_interval_not_per_operation(dead_redis, caplog):
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        for _ in range(20):
            cache.get("k")
            cache.set("k", 1)
    warnings = [r for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1
    assert "not answering: serving uncached" in warnings[0].getMessage()


def test_redis_is_not_asked_again_for_a_while_after_a_failure(dead_redis, monkeypatch):
    from django.core.cache import caches

    backend = caches["default"]
    calls = []
    real = backend._cache.get
    monkeypatch.setattr(backend._cache, "get", lambda *a, **k: calls.append(1) or real(*a, **k))
    for _ in range(5):
        cache.get("k")
    assert len(calls) == 1  # the first failed; the others did not wait on a dead server
    assert backend.available is False


def test_writes_while_redis_is_not_asked_do_not_put_off_asking_it_again(dead_redis):
    """A busy process writes all the time: were each write to restart the wait, it would never
    ask Redis again once it was back (the cluster test's busy health checks showed it)."""
    from django.core.cache import caches

    backend = caches["default"]
    cache.get("k")  # fails: Redis is not asked for a while
    retry_at = backend._down_until
    for n in range(5):
        cache.set(f"written-{n}", n)
    assert backend._down_until == retry_at
    assert {backend.make_key(f"written-{n}") for n in range(5)} <= backend._unsettled  # removed later


@pytest.mark.django_db
def test_pages_are_served_uncached_while_redis_is_down(dead_redis, client, caplog):
    load_pages(stdout=io.StringIO())
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        first = client.get("/")
        second = client.get("/about/")
    assert first.status_code == 200 and second.status_code == 200
    assert any(r.name == "config.cache" for r in caplog.records)


@pytest.mark.django_db
def test_signing_in_works_while_redis_is_down(dead_redis, client, member):
    """Throttles count nothing then: sign-in goes ahead rather than being refused to everybody."""
    started = time.monotonic()
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == member.pk
    assert time.monotonic() - started < 1  # no waiting on a lock that cannot be taken


def test_the_content_version_is_new_every_request_while_the_cache_is_down(dead_redis):
    """No per-process memo keyed on the version can then serve what another server retired."""
    assert current_version() != current_version()


def test_writes_that_failed_during_an_outage_are_removed_when_redis_answers(
    db, settings, redis_server, monkeypatch
):
    monkeypatch.setattr(resilient, "RETRY_INTERVAL", 0)
    settings.CACHES = redis_cache(redis_server.url)
    raw = redis.Redis.from_url(redis_server.url)
    cache.set("session-of-someone", "signed in")
    old_version = current_version()

    redis_server.stop(keep_data=True)  # unreachable for a while, its data kept
    cache.delete("session-of-someone")  # signed out meanwhile: the delete is lost
    bump_version()  # a page published meanwhile: the new version is lost
    redis_server.start()
    assert raw.exists(cache.make_key("session-of-someone"))  # the stale copy came back

    assert cache.get("anything-else") is None  # the first operation settles the lost writes
    assert cache.get("session-of-someone") is None
    assert not raw.exists(cache.make_key("session-of-someone"))
    assert current_version() != old_version
    assert cache.get(VERSION_KEY) is not None


def test_too_many_lost_writes_clear_the_whole_cache(settings, redis_server, monkeypatch):
    monkeypatch.setattr(resilient, "RETRY_INTERVAL", 0)
    monkeypatch.setattr(resilient, "MAX_UNSETTLED", 3)
    settings.CACHES = redis_cache(redis_server.url)
    cache.set("kept-before", 1)
    redis_server.stop(keep_data=True)
    cache.set_many({f"k{i}": i for i in range(5)})
    redis_server.start()
    assert cache.get("kept-before") is None  # cleared: the lost writes could not all be named
    cache.set("after", 1)
    assert cache.get("after") == 1


def test_one_redis_client_serves_every_operation(settings, redis_server, monkeypatch):
    """Django makes a ``redis.Redis`` per operation, which cost more than the round trip."""
    settings.CACHES = redis_cache(redis_server.url)
    built = []
    original = redis.Redis.__init__

    def counted(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counted)
    for n in range(5):
        cache.set(f"k{n}", n)
        assert cache.get(f"k{n}") == n
    assert cache.get_many(["k1", "k2"]) == {"k1": 1, "k2": 2}
    assert len(built) == 1

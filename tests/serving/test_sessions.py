"""The session store: Django's cached_db, reading the viewer's kept facts in the same round trip
where the cache reads many keys at once (Redis)."""

import pytest
from django.core.cache import cache

from serving.sessions import SessionStore
from serving.version import VERSION_KEY
from serving.viewer import MEMBERSHIP_KEY, Viewer
from tests.cluster.conftest import redis_server  # noqa: F401 - a Redis server of the test's own

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_redis(settings, redis_server):  # noqa: F811
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": redis_server.url}
    }
    return cache


def _saved_session(user) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session.save()
    return session.session_key


def test_a_session_is_written_through_and_read_back_when_the_cache_forgot_it(on_redis, member):
    key = _saved_session(member)
    cache.clear()
    session = SessionStore(key)
    assert session["_auth_user_id"] == str(member.pk)  # from the database
    assert cache.get(session.cache_key) == {"_auth_user_id": str(member.pk)}  # and kept again
    assert set(session.kept_alongside) == {VERSION_KEY, MEMBERSHIP_KEY, f"serving:groups:session:{key}"}


def test_the_viewer_takes_the_versions_and_groups_read_with_the_session(
    on_redis, rf, member, django_assert_num_queries, monkeypatch
):
    key = _saved_session(member)

    def viewer():
        request = rf.get("/")
        request.session = SessionStore(key)
        request.session.load()  # as the first look at the session does
        request.user = member
        return Viewer(request)

    first = viewer()
    assert first.group_ids  # read from the database and kept
    calls = []
    original = cache.get_many
    with monkeypatch.context() as patched:
        patched.setattr(
            cache, "get_many", lambda keys, *a, **k: calls.append(list(keys)) or original(keys, *a, **k)
        )
        with django_assert_num_queries(0):
            second = viewer()
            assert second.group_ids == first.group_ids
            assert second.content_version == cache.get(VERSION_KEY)
    assert len(calls) == 1  # the session's own read: nothing asked again


def test_a_cache_that_reads_each_key_on_its_own_is_asked_for_the_session_only(member):
    """Files or memory: asking for more with the session would only move the reads, and cost
    them on requests that never need them (the forum's live poll)."""
    key = _saved_session(member)
    session = SessionStore(key)
    assert session["_auth_user_id"] == str(member.pk)
    assert session.kept_alongside is None


def test_groups_kept_for_a_session_are_never_used_for_another_person(on_redis, rf, member, make_user):
    other = make_user("other@sussex.police.uk", approved=False)
    key = _saved_session(member)
    request = rf.get("/")
    request.session, request.user = SessionStore(key), member
    kept = Viewer(request).group_ids
    request = rf.get("/")
    request.session, request.user = SessionStore(key), other  # the same session, someone else
    theirs = frozenset(other.groups.values_list("pk", flat=True))
    assert Viewer(request).group_ids == theirs != kept

"""Constant queries whatever the volume: a topic with 2,000 posts costs what one with 20 does,
and a group with hundreds of topics what one with a few does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum.kept import touch_topic
from forum.models import Topic
from tests.factories import WorkstreamFactory

from .conftest import make_topic

pytestmark = pytest.mark.django_db
BUDGET = 12


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _counts(client, url) -> tuple[int, int]:
    """Queries of a first visit (the shared part read and kept) and of the next one."""
    return _count(client, url), _count(client, url)


def test_a_topic_page_runs_the_same_queries_for_20_and_2000_posts(
    client, groups, alice, bob, django_assert_max_num_queries
):
    small = make_topic(groups[0], alice, posts=20)
    large = make_topic(groups[0], alice, title="A long one", posts=2000)
    large.workstreams.add(WorkstreamFactory(name="Hate crime", slug="hate-crime"))
    client.force_login(bob)
    # Warm the session and site caches, the group's row and bob's roles (kept per person).
    client.get(make_topic(groups[0], alice, title="Warm").get_absolute_url())
    # A first visit of each topic: its row, the posts, the reader's facts, the read mark.
    firsts = {_counts(client, small.get_absolute_url()), _counts(client, large.get_absolute_url())}
    # Further pages, read in order: the posts and the read mark again, the row kept.
    pages = {_counts(client, f"{large.get_absolute_url()}?page={page}") for page in (2, 50, 100)}
    assert len(firsts) == len(pages) == 1, (firsts, pages)
    (first, kept_visit), (page_first, page_kept) = firsts.pop(), pages.pop()
    assert kept_visit == page_kept < page_first < first <= BUDGET
    with django_assert_max_num_queries(BUDGET):
        client.get(f"{large.get_absolute_url()}?page=77")


def test_a_group_page_runs_the_same_queries_for_5_and_500_topics(
    client, groups, alice, bob, django_assert_max_num_queries
):
    client.force_login(bob)
    for n in range(5):
        make_topic(groups[0], alice, title=f"Topic {n}", posts=1)
    client.get(groups[0].get_absolute_url())  # warm the session and site caches
    touch_topic()  # and forget the kept list
    small = _counts(client, groups[0].get_absolute_url())
    now = timezone.now()
    Topic.objects.bulk_create(
        [
            Topic(group=groups[0], author=alice, title=f"Bulk {n}", last_posted_at=now, post_count=1)
            for n in range(495)
        ]
    )
    touch_topic()  # written straight to the database: no signal retires the kept lists
    assert _counts(client, groups[0].get_absolute_url()) == small
    assert "Bulk 494" in client.get(groups[0].get_absolute_url()).content.decode()
    with django_assert_max_num_queries(BUDGET):
        client.get(groups[0].get_absolute_url() + "?page=10")


def test_the_group_list_and_notifications_are_constant(
    client, groups, alice, bob, django_assert_max_num_queries
):
    client.force_login(bob)
    with django_assert_max_num_queries(BUDGET):
        client.get(reverse("forum:groups"))
    with django_assert_max_num_queries(BUDGET):
        client.get(reverse("forum:notifications"))

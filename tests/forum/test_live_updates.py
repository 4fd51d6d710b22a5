"""Live updates on a topic: htmx polls; nothing new is a 204 (or a 304 to the current ETag)
in a handful of queries; new posts come back as list items; without JavaScript the poller is
a link; private groups stay a 404."""

import pytest
from django.urls import reverse

from forum.services import post_create

from .conftest import make_topic

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(topic, after):
    return reverse("forum:topic_updates", args=[topic.pk]) + f"?after={after}"


def test_the_last_page_carries_the_poller(client, national_topic, bob):
    client.force_login(bob)
    page = client.get(national_topic.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 15s"' in page and "?after=3" in page
    assert "Check for new replies" in page  # the same address, as a link, without JavaScript


def test_nothing_new_is_a_cheap_204_or_304(client, national_topic, bob, django_assert_max_num_queries):
    client.force_login(bob)
    client.get(_url(national_topic, 3), **HTMX)
    with django_assert_max_num_queries(4):
        response = client.get(_url(national_topic, 3), **HTMX)
    assert response.status_code == 204 and response.content == b""
    etag = response["ETag"]
    response = client.get(_url(national_topic, 1), HTTP_IF_NONE_MATCH=etag, **HTMX)
    assert response.status_code == 304
    assert "no-store" in response["Cache-Control"]


def test_new_posts_come_back_as_list_items(client, national_topic, alice, bob):
    post_create(topic=national_topic, author=alice, body="A fresh reply from **Alice**.")
    client.force_login(bob)
    response = client.get(_url(national_topic, 3), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-swap-oob="beforeend:#forum-posts"' in html
    assert 'id="post-4"' in html and "<strong>Alice</strong>" in html
    assert "?after=4" in html and "1 new reply" in html
    assert response["ETag"] == f'"topic-{national_topic.pk}-4"'


def test_without_javascript_the_link_goes_to_the_new_post_or_says_none(client, national_topic, alice, bob):
    client.force_login(bob)
    response = client.get(_url(national_topic, 3), follow=True)
    assert "No new replies yet." in response.content.decode()
    post_create(topic=national_topic, author=alice, body="Another.")
    response = client.get(_url(national_topic, 3))
    assert response.status_code == 302 and response["Location"].endswith("#post-4")


@pytest.mark.parametrize("after", ["", "abc", "-2"])
def test_a_bad_position_is_refused(client, national_topic, bob, after):
    client.force_login(bob)
    response = client.get(
        reverse("forum:topic_updates", args=[national_topic.pk]) + f"?after={after}", **HTMX
    )
    assert response.status_code == 400


def test_a_private_topic_is_404_for_non_members(client, private_topic, bob):
    client.force_login(bob)
    assert client.get(_url(private_topic, 0), **HTMX).status_code == 404
    assert client.get(_url(private_topic, 0)).status_code == 404


def test_a_locked_topic_has_no_poller(client, groups, alice, bob):
    topic = make_topic(groups[0], alice, title="Locked", is_locked=True)
    client.force_login(bob)
    assert "hx-trigger" not in client.get(topic.get_absolute_url()).content.decode()

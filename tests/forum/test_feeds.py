"""Atom feeds of open groups at personal signed addresses; private groups have none."""

import pytest
from django.test import Client

from accounts.models import ApprovalStatus
from forum.feeds import feed_token, feed_url
from forum.models import Post

pytestmark = pytest.mark.django_db


def test_an_open_groups_feed_lists_its_visible_posts(
    client, groups, national_topic, bob, django_assert_max_num_queries
):
    Post.objects.filter(topic=national_topic, number=3).update(
        is_hidden=True, body_html="<p>Secret words</p>"
    )
    client.force_login(bob)
    page = client.get(national_topic.group.get_absolute_url()).content.decode()
    url = feed_url(bob, groups[0])
    assert url in page.replace("&amp;", "&")
    anonymous = Client()
    with django_assert_max_num_queries(4):
        response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    body = response.content.decode()
    assert national_topic.title in body and "Post number 2." in body and "Secret words" not in body


def test_private_groups_forged_tokens_and_lapsed_members_get_404(groups, private_topic, alice, bob):
    anonymous = Client()
    assert anonymous.get(feed_url(alice, groups[1])).status_code == 404  # alice is its chair
    assert anonymous.get(feed_url(bob, groups[1])).status_code == 404
    token = feed_token(bob, groups[0])
    assert anonymous.get(f"/forum/feeds/{token[:-2]}xx/").status_code == 404
    assert anonymous.get("/forum/feeds/made-up/").status_code == 404
    bob.approval_status = ApprovalStatus.REJECTED
    bob.save(update_fields=["approval_status"])
    assert anonymous.get(feed_url(bob, groups[0])).status_code == 404

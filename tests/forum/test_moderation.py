"""Members flag posts; moderators (the Moderators role) work through the review queue in the
Wagtail admin; every action is logged and shown to the author it concerns."""

import pytest
from django.urls import reverse

from accounts import roles
from forum.models import Flag, FlagStatus, ModerationAction, ModerationKind, Notification, Topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return UserFactory(first_name="Sam", last_name="Okafor", groups=[roles.MODERATORS])


def test_a_member_flags_a_post_with_a_reason(client, national_topic, bob):
    post = national_topic.posts.get(number=2)
    client.force_login(bob)
    response = client.post(reverse("forum:post_flag", args=[post.pk]), {"reason": "  "})
    assert "Say what is wrong with this post." in response.content.decode()
    assert not Flag.objects.exists()
    client.post(reverse("forum:post_flag", args=[post.pk]), {"reason": "Names a person"})
    client.post(reverse("forum:post_flag", args=[post.pk]), {"reason": "Names a person"})
    assert Flag.objects.get().reason == "Names a person"


def test_only_moderators_open_the_review_queue(client, national_topic, bob, moderator):
    client.force_login(bob)
    assert client.get(reverse("forum_moderation:queue")).status_code in (302, 403, 404)
    client.force_login(moderator)
    assert client.get(reverse("forum_moderation:queue")).status_code == 200
    assert client.get(reverse("forum_moderation:log")).status_code == 200
    assert client.get(reverse("forum_moderation:topic", args=[national_topic.pk])).status_code == 200


def test_hide_and_restore_a_flagged_post_logged_and_shown_to_its_author(
    client, national_topic, alice, bob, moderator
):
    post = national_topic.posts.get(number=2)
    Flag.objects.create(post=post, reporter=bob, reason="Names a person")
    client.force_login(moderator)
    queue = client.get(reverse("forum_moderation:queue")).content.decode()
    assert "Names a person" in queue
    client.post(
        reverse("forum_moderation:act"), {"action": "hide", "post_id": post.pk, "reason": "Personal data"}
    )
    post.refresh_from_db()
    assert post.is_hidden
    assert Flag.objects.get().status == FlagStatus.HANDLED
    action = ModerationAction.objects.get()
    assert (action.kind, action.moderator, action.concerns, action.reason) == (
        ModerationKind.HIDE_POST,
        moderator,
        alice,
        "Personal data",
    )
    assert Notification.objects.filter(recipient=alice, kind="moderation").exists()
    # Other members see that it was hidden, not what it said; its author sees why.
    client.force_login(bob)
    page = client.get(national_topic.get_absolute_url()).content.decode()
    assert "This post was hidden by a moderator." in page and "Post number 2." not in page
    assert "Personal data" not in page
    client.force_login(alice)
    page = client.get(national_topic.get_absolute_url()).content.decode()
    assert "Post hidden on" in page and "Personal data" in page
    # Restored.
    client.force_login(moderator)
    client.post(reverse("forum_moderation:act"), {"action": "restore", "post_id": post.pk, "back": "topic"})
    post.refresh_from_db()
    assert not post.is_hidden
    assert ModerationAction.objects.filter(kind=ModerationKind.RESTORE_POST).exists()


def test_lock_and_pin_a_topic(client, groups, national_topic, bob, moderator):
    client.force_login(moderator)
    client.post(reverse("forum_moderation:act"), {"action": "lock", "topic_id": national_topic.pk})
    client.post(reverse("forum_moderation:act"), {"action": "pin", "topic_id": national_topic.pk})
    national_topic.refresh_from_db()
    assert national_topic.is_locked and national_topic.is_pinned
    assert set(ModerationAction.objects.values_list("kind", flat=True)) == {"lock", "pin"}
    client.force_login(bob)
    page = client.get(groups[0].get_absolute_url()).content.decode()
    assert "Pinned" in page and "Locked" in page


def test_dismissing_flags_keeps_the_post(client, national_topic, bob, moderator):
    post = national_topic.posts.get(number=2)
    Flag.objects.create(post=post, reporter=bob, reason="Off topic")
    client.force_login(moderator)
    client.post(reverse("forum_moderation:act"), {"action": "dismiss", "post_id": post.pk})
    post.refresh_from_db()
    assert not post.is_hidden and Flag.objects.get().status == FlagStatus.HANDLED
    assert "No flagged posts are waiting." in client.get(reverse("forum_moderation:queue")).content.decode()


def test_members_cannot_moderate(client, national_topic, bob):
    client.force_login(bob)
    response = client.post(reverse("forum_moderation:act"), {"action": "lock", "topic_id": national_topic.pk})
    assert response.status_code in (302, 403, 404)
    assert not Topic.objects.get(pk=national_topic.pk).is_locked
    assert not ModerationAction.objects.exists()

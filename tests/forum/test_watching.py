"""Watching a workstream (new topics tagged with it notify, in groups the watcher may read,
in the app and the summary e-mail); moderators move topics between groups, and the topic's
author sees what moderators did to it."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts import roles
from forum.digests import send_digests
from forum.models import ModerationAction, ModerationKind, Notification, NotificationKind, Topic, TopicKind
from forum.services import ForumError, topic_create, topic_move
from tests.factories import UserFactory, WorkstreamFactory

from .conftest import make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def asb(db):
    return WorkstreamFactory(name="Anti-social behaviour", slug="anti-social-behaviour")


def test_watching_a_workstream_notifies_of_new_topics_in_groups_one_may_read(client, groups, alice, bob, asb):
    national, private = groups
    client.force_login(bob)
    client.post(reverse("forum:workstream_watch", args=[asb.slug]), {"watch": "1"})
    assert (
        "Stop watching this workstream"
        in client.get(reverse("forum:workstream", args=[asb.slug])).content.decode()
    )
    bob.digest_frequency = "daily"
    bob.save(update_fields=["digest_frequency"])
    topic_create(
        group=national, author=alice, title="ASB hotspots", kind="idea", body="Ideas?", workstreams=[asb]
    )
    topic_create(
        group=private, author=alice, title="Secret ASB fix", kind="idea", body="Ideas?", workstreams=[asb]
    )
    topic_create(group=national, author=alice, title="Untagged", kind="idea", body="Ideas?")
    assert list(Notification.objects.filter(recipient=bob).values_list("kind", "topic__title")) == [
        (NotificationKind.NEW_TOPIC, "ASB hotspots")
    ]
    assert (
        "started a topic on a workstream you watch"
        in client.get(reverse("forum:notifications")).content.decode()
    )
    mail.outbox.clear()
    assert send_digests(frequency="daily") == 1
    assert "ASB hotspots" in mail.outbox[-1].body and "Secret" not in mail.outbox[-1].body
    page = client.get(reverse("forum:workstream", args=[asb.slug])).content.decode()
    assert "ASB hotspots" in page and "Secret ASB fix" not in page
    client.post(reverse("forum:workstream_watch", args=[asb.slug]), {"watch": "0"})
    topic_create(group=national, author=alice, title="ASB again", kind="idea", body="More", workstreams=[asb])
    assert Notification.objects.filter(recipient=bob).count() == 1


def test_the_workstream_page_and_the_group_list_are_constant(
    client, groups, alice, bob, asb, django_assert_max_num_queries
):
    for n in range(30):
        make_topic(groups[0], alice, title=f"Topic {n}").workstreams.add(asb)
    client.force_login(bob)
    url = reverse("forum:workstream", args=[asb.slug])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url + "?page=2").status_code == 200
    with django_assert_max_num_queries(12):
        assert "Topics by workstream" in client.get(reverse("forum:groups")).content.decode()
    assert client.get(reverse("forum:workstream", args=["no-such"])).status_code == 404


@pytest.fixture
def moderator(db):
    return UserFactory(first_name="Mo", last_name="Derator", groups=[roles.MODERATORS])


def test_a_moderator_moves_a_topic_and_its_author_is_told(
    client, groups, national_topic, alice, bob, moderator
):
    national, private = groups
    from forum.models import ForumGroup, GroupKind

    working = ForumGroup.objects.create(name="ASB working group", slug="asb-working", kind=GroupKind.WORKING)
    client.force_login(moderator)
    page = client.get(reverse("forum_moderation:topic", args=[national_topic.pk])).content.decode()
    assert "ASB working group" in page
    response = client.post(
        reverse("forum_moderation:act"),
        {"action": "move", "topic_id": national_topic.pk, "group_id": "", "reason": "x"},
    )
    assert Topic.objects.get(pk=national_topic.pk).group == national  # nothing changed
    client.post(
        reverse("forum_moderation:act"),
        {"action": "move", "topic_id": national_topic.pk, "group_id": working.pk, "reason": "Better there"},
    )
    assert response.status_code == 302
    assert Topic.objects.get(pk=national_topic.pk).group == working
    action = ModerationAction.objects.get(kind=ModerationKind.MOVE)
    assert action.concerns == alice and "Better there" in action.reason and "National" in action.reason
    assert Notification.objects.filter(recipient=alice, kind=NotificationKind.MODERATION).exists()
    client.force_login(alice)
    page = client.get(national_topic.get_absolute_url()).content.decode()
    assert "What moderators did to your topic" in page and "Topic moved" in page
    client.force_login(bob)
    assert "What moderators did" not in client.get(national_topic.get_absolute_url()).content.decode()
    with pytest.raises(ForumError):
        topic_move(topic=Topic.objects.get(pk=national_topic.pk), moderator=moderator, group=working)
    consultation = make_topic(national, alice, title="MoU", kind=TopicKind.CONSULTATION)
    with pytest.raises(ForumError):
        topic_move(topic=consultation, moderator=moderator, group=working)

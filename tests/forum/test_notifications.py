"""Mentions and replies on watched topics notify in the site and by e-mail, queued after the
commit; never for one's own posts, and only to people who may read the group when it is sent."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import ApprovalStatus
from forum.models import Membership, Notification, Subscription
from forum.tasks import send_notification_emails

pytestmark = pytest.mark.django_db


def _reply(client, topic, body, capture):
    with capture(execute=True):
        return client.post(reverse("forum:reply", args=[topic.pk]), {"body": body})


def test_a_mention_notifies_a_member_of_the_group(
    client, national_topic, alice, bob, django_capture_on_commit_callbacks
):
    Subscription.objects.all().delete()
    client.force_login(bob)
    _reply(
        client,
        national_topic,
        "What do you think, @Alice.Ward? And @nobody.there",
        django_capture_on_commit_callbacks,
    )
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.actor) == (alice, "mention", bob)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [alice.email]
    assert "mentioned you" in mail.outbox[0].subject
    client.force_login(alice)
    page = client.get(reverse("forum:notifications")).content.decode()
    assert "Bob Stone mentioned you in" in page


def test_watchers_hear_of_replies_but_never_of_their_own(
    client, national_topic, alice, bob, django_capture_on_commit_callbacks
):
    Subscription.objects.create(user=alice, topic=national_topic)
    client.force_login(bob)
    _reply(client, national_topic, "A reply", django_capture_on_commit_callbacks)  # bob now watches too
    assert list(Notification.objects.values_list("recipient", "kind")) == [(alice.pk, "reply")]
    mail.outbox.clear()
    Notification.objects.all().delete()
    client.force_login(alice)
    _reply(client, national_topic, "Thanks, and @alice.ward myself", django_capture_on_commit_callbacks)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [bob.pk]
    assert [m.to for m in mail.outbox] == [[bob.email]]


def test_e_mail_checks_the_recipients_permission_when_sent(
    client, groups, private_topic, alice, bob, django_capture_on_commit_callbacks
):
    """Bob is in the private group when the reply is posted, removed before the e-mail goes."""
    Membership.objects.create(group=groups[1], user=bob)
    Subscription.objects.create(user=bob, topic=private_topic)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("forum:reply", args=[private_topic.pk]), {"body": "Any news?"})
    Membership.objects.filter(group=groups[1], user=bob).delete()
    for callback in callbacks:
        callback()
    assert Notification.objects.filter(recipient=bob).exists()
    assert mail.outbox == []
    client.force_login(bob)
    assert private_topic.title not in client.get(reverse("forum:notifications")).content.decode()


def test_no_e_mail_to_people_no_longer_approved_or_who_said_no(national_topic, alice, bob):
    from forum.services import post_create

    Subscription.objects.create(user=bob, topic=national_topic)
    post_create(topic=national_topic, author=alice, body="First")
    ids = list(Notification.objects.values_list("pk", flat=True))
    bob.approval_status = ApprovalStatus.REJECTED
    bob.save()
    assert send_notification_emails.call(notification_ids=ids) == 0
    bob.approval_status = ApprovalStatus.APPROVED
    bob.notify_by_email = False
    bob.save()
    assert send_notification_emails.call(notification_ids=ids) == 0
    bob.notify_by_email = True
    bob.save()
    assert send_notification_emails.call(notification_ids=ids) == 1
    assert send_notification_emails.call(notification_ids=ids) == 0  # sent once


def test_watching_a_group_notifies_of_every_reply_in_it(
    client, groups, national_topic, alice, bob, django_capture_on_commit_callbacks
):
    from forum.models import Membership as M

    Subscription.objects.all().delete()
    client.force_login(bob)
    client.post(reverse("forum:group_watch", args=[groups[0].slug]), {"watch": "1"})
    assert Subscription.objects.filter(user=bob, group=groups[0]).exists()
    assert "Stop watching this group" in client.get(groups[0].get_absolute_url()).content.decode()
    client.force_login(alice)
    _reply(client, national_topic, "News for watchers", django_capture_on_commit_callbacks)
    assert list(Notification.objects.values_list("recipient", "kind")) == [(bob.pk, "reply")]
    # Only members may watch; leaving stops it.
    client.force_login(bob)
    client.post(reverse("forum:leave", args=[groups[0].slug]))
    assert not Subscription.objects.filter(user=bob).exists()
    client.post(reverse("forum:group_watch", args=[groups[0].slug]), {"watch": "1"})
    assert not Subscription.objects.filter(user=bob).exists()
    assert not M.objects.filter(user=bob, group=groups[0]).exists()

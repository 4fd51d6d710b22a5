"""Summary e-mails and one-click unsubscribe links: one e-mail per member with something new,
only about what they may read when it is sent, never twice; links that need no sign-in but
cannot be forged."""

import io

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client

from forum.digests import read_token, send_digests, unsubscribe_token
from forum.models import Membership, Notification, NotificationKind
from forum.services import post_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def daily(bob):
    bob.digest_frequency = "daily"
    bob.save(update_fields=["digest_frequency"])
    return bob


def test_a_daily_summary_lists_what_is_new_once(national_topic, alice, daily):
    national_topic.subscriptions.create(user=daily)
    post_create(topic=national_topic, author=alice, body="First reply.")
    mail.outbox.clear()  # the immediate e-mail
    assert send_digests(frequency="daily") == 1
    message = mail.outbox[-1]
    assert message.to == [daily.email]
    assert "daily forum summary: 1 update" in message.subject
    assert national_topic.title in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/forum/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert send_digests(frequency="daily") == 0  # never twice
    assert send_digests(frequency="weekly") == 0  # not theirs


def test_the_summary_leaves_out_what_the_member_may_no_longer_read(private_topic, alice, daily, groups):
    Membership.objects.create(group=groups[1], user=daily)
    Notification.objects.create(
        recipient=daily, kind=NotificationKind.REPLY, topic=private_topic, actor=alice
    )
    Membership.objects.filter(group=groups[1], user=daily).delete()
    mail.outbox.clear()
    assert send_digests(frequency="daily") == 0
    assert not mail.outbox
    assert not Notification.objects.filter(digested_at__isnull=True).exists()


def test_the_command_sends_them(national_topic, alice, daily):
    Notification.objects.create(
        recipient=daily, kind=NotificationKind.REPLY, topic=national_topic, actor=alice
    )
    out = io.StringIO()
    call_command("send_forum_digests", stdout=out)
    assert "1 sent" in out.getvalue()


def test_one_click_unsubscribe_needs_no_sign_in(client, daily):
    token = unsubscribe_token(daily, "digest")
    url = f"/forum/unsubscribe/{token}/"
    page = client.get(url)
    assert page.status_code == 200 and "Stop the forum" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    daily.refresh_from_db()
    assert daily.digest_frequency == "daily"  # looking changes nothing
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    daily.refresh_from_db()
    assert daily.digest_frequency == "never"


def test_the_replies_link_stops_reply_e_mails_only(client, daily):
    client.post(f"/forum/unsubscribe/{unsubscribe_token(daily, 'replies')}/")
    daily.refresh_from_db()
    assert daily.notify_by_email is False and daily.digest_frequency == "daily"


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-2] + ("aa" if not t.endswith("aa") else "bb"),
        lambda t: signing.dumps({"u": 1, "s": "digest"}, salt="another-salt"),
        lambda t: signing.dumps({"u": 1, "s": "everything"}, salt="forum.unsubscribe"),
        lambda t: "not-a-token",
    ],
)
def test_a_forged_link_changes_nothing(client, daily, forge):
    token = forge(unsubscribe_token(daily, "digest"))
    response = client.post(f"/forum/unsubscribe/{token}/")
    assert response.status_code == 400 and "not valid" in response.content.decode()
    daily.refresh_from_db()
    assert daily.digest_frequency == "daily" and daily.notify_by_email


def test_tokens_say_who_and_what(daily):
    assert read_token(unsubscribe_token(daily, "replies")) == (daily.pk, "replies")
    with pytest.raises(signing.BadSignature):
        read_token("x")

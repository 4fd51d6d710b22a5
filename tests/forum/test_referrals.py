"""Referrals to the supplier: chairs and moderators refer troubleshooting topics, each gets a
unique reference, supplier staff move it through the allowed statuses from their queue, every
change shows on the topic and notifies its watchers (never the one who acted), and nobody
else sees or changes anything."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from forum.models import (
    Membership,
    Notification,
    NotificationKind,
    Referral,
    ReferralEvent,
    ReferralSequence,
    ReferralStatus,
    Role,
    TopicKind,
)
from forum.referrals import referral_create, referral_set_status
from forum.services import ForumError
from forum.tasks import send_notification_emails
from tests.factories import UserFactory

from .conftest import join, make_topic

pytestmark = pytest.mark.django_db
BUDGET = 12


@pytest.fixture
def supplier(db):
    return UserFactory(
        email="sam@supplier.example", first_name="Sam", last_name="Vendor", groups=[roles.SUPPLIER_STAFF]
    )


@pytest.fixture
def trouble(groups, alice):
    """A troubleshooting topic in the private group, started (and so watched) by alice, its chair."""
    topic = make_topic(groups[1], alice, title="Case notes time out", posts=3, kind=TopicKind.TROUBLESHOOTING)
    topic.subscriptions.create(user=alice)
    return topic


@pytest.fixture
def referral(trouble, alice):
    return referral_create(topic=trouble, referred_by=alice, summary="Saving a long case note times out.")


def test_a_chair_refers_a_troubleshooting_topic(client, trouble, alice):
    client.force_login(alice)
    page = client.get(trouble.get_absolute_url()).content.decode()
    assert "Refer to the supplier" in page
    response = client.post(reverse("forum:refer", args=[trouble.pk]), {"summary": "Long notes time out."})
    assert response.status_code == 302
    referral = Referral.objects.get(topic=trouble)
    assert referral.reference == f"REF-{timezone.localdate().year}-0001"
    assert referral.status == ReferralStatus.REFERRED
    page = client.get(trouble.get_absolute_url()).content.decode()
    assert referral.reference in page and "Referred" in page


def test_references_are_consecutive_and_unique(groups, alice):
    year = timezone.localdate().year
    references = []
    for n in range(3):
        topic = make_topic(groups[0], alice, title=f"Trouble {n}", kind=TopicKind.TROUBLESHOOTING)
        references.append(referral_create(topic=topic, referred_by=alice, summary="x").reference)
    assert references == [f"REF-{year}-0001", f"REF-{year}-0002", f"REF-{year}-0003"]


def test_a_year_row_made_meanwhile_by_another_referral_is_used(groups, alice, monkeypatch):
    """Two first referrals of a year at once: the one whose row insert fails increments the
    row the other made (the unique reference is the last guard)."""
    from django.db.models import QuerySet

    year = timezone.localdate().year
    ReferralSequence.objects.create(year=year, last=4)  # made by the other referral
    original = QuerySet.update
    missed = []

    def first_update_finds_no_row(self, **changes):
        if self.model is ReferralSequence and not missed:
            missed.append(True)
            return 0
        return original(self, **changes)

    monkeypatch.setattr(QuerySet, "update", first_update_finds_no_row)
    topic = make_topic(groups[0], alice, title="Race", kind=TopicKind.TROUBLESHOOTING)
    assert referral_create(topic=topic, referred_by=alice, summary="x").reference == f"REF-{year}-0005"


def test_only_troubleshooting_topics_can_be_referred(client, groups, alice):
    question = make_topic(groups[1], alice, title="A question", kind=TopicKind.QUESTION)
    client.force_login(alice)
    response = client.post(reverse("forum:refer", args=[question.pk]), {"summary": "x"}, follow=True)
    assert "Only troubleshooting topics" in response.content.decode()
    assert not Referral.objects.exists()
    with pytest.raises(ForumError):
        referral_create(topic=question, referred_by=alice, summary="x")


def test_members_who_do_not_lead_cannot_refer(client, groups, trouble, bob):
    join(groups[1], bob)
    client.force_login(bob)
    assert "Refer to the supplier" not in client.get(trouble.get_absolute_url()).content.decode()
    response = client.post(reverse("forum:refer", args=[trouble.pk]), {"summary": "x"}, follow=True)
    assert "chair or moderators" in response.content.decode()
    assert not Referral.objects.exists()


def test_an_empty_summary_or_a_second_referral_is_refused(client, trouble, alice):
    client.force_login(alice)
    response = client.post(reverse("forum:refer", args=[trouble.pk]), {"summary": "   "})
    assert response.status_code == 200 and "Say what the supplier needs" in response.content.decode()
    assert not Referral.objects.exists()
    referral_create(topic=trouble, referred_by=alice, summary="x")
    response = client.post(reverse("forum:refer", args=[trouble.pk]), {"summary": "again"}, follow=True)
    assert "already been referred" in response.content.decode()
    assert Referral.objects.count() == 1


def test_supplier_staff_see_the_queue_and_the_referral_but_not_the_private_group(
    client, referral, trouble, supplier
):
    client.force_login(supplier)
    queue = client.get(reverse("forum:referrals")).content.decode()
    assert referral.reference in queue and trouble.title in queue
    detail = client.get(referral.get_absolute_url())
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "Post number 1." in text  # the opening post
    assert "Post number 2." not in text  # not the replies
    assert "Saving a long case note" in text
    assert "private" in detail["Cache-Control"] and "no-store" in detail["Cache-Control"]
    assert client.get(trouble.get_absolute_url()).status_code == 404
    assert client.get(trouble.group.get_absolute_url()).status_code == 404


def test_supplier_staff_move_a_referral_and_watchers_are_told(
    client, referral, trouble, supplier, alice, django_capture_on_commit_callbacks
):
    client.force_login(supplier)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            referral.get_absolute_url(), {"status": "acknowledged", "note": "We can reproduce it."}
        )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACKNOWLEDGED
    notification = Notification.objects.get(recipient=alice, kind=NotificationKind.REFERRAL)
    assert notification.referral_event.note == "We can reproduce it."
    assert not Notification.objects.filter(recipient=supplier).exists()
    assert len(mail.outbox) == 1 and referral.reference in mail.outbox[0].subject
    client.force_login(alice)
    page = client.get(trouble.get_absolute_url()).content.decode()
    assert "Acknowledged" in page and "We can reproduce it." in page
    inbox = client.get(reverse("forum:notifications")).content.decode()
    assert referral.reference in inbox


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        ((), "released"),
        ((), "in_development"),
        (("declined",), "acknowledged"),
        (("acknowledged", "in_development", "released"), "declined"),
        ((), "nonsense"),
        ((), ""),
    ],
)
def test_transitions_not_allowed_are_refused_and_nothing_changes(client, referral, supplier, steps, refused):
    for step in steps:
        referral = referral_set_status(referral=referral, status=step, actor=supplier)
    before = (referral.status, ReferralEvent.objects.count(), Notification.objects.count())
    client.force_login(supplier)
    response = client.post(referral.get_absolute_url(), {"status": refused})
    if referral.next_statuses:
        assert response.status_code == 400
        assert (
            "cannot be moved" in response.content.decode() or "Choose a status" in response.content.decode()
        )
    referral.refresh_from_db()
    assert (referral.status, ReferralEvent.objects.count(), Notification.objects.count()) == before


def test_people_who_are_not_supplier_staff_cannot_set_a_status(client, referral, trouble, alice, bob):
    client.force_login(alice)  # the chair: may read the topic, is told why
    response = client.post(referral.get_absolute_url(), {"status": "acknowledged"}, follow=True)
    assert "Only the supplier" in response.content.decode()
    assert client.get(reverse("forum:referrals")).status_code == 404
    assert client.get(referral.get_absolute_url()).status_code == 404
    client.force_login(bob)  # not in the private group: it does not exist
    assert client.post(referral.get_absolute_url(), {"status": "acknowledged"}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED and referral.events.count() == 1


def test_a_forged_request_changes_nothing(referral, supplier):
    client = Client(enforce_csrf_checks=True)
    client.force_login(supplier)
    assert client.post(referral.get_absolute_url(), {"status": "acknowledged"}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED


def test_e_mails_are_checked_against_the_recipient_when_sent(referral, supplier, alice, groups):
    referral_set_status(referral=referral, status="acknowledged", actor=supplier)
    ids = list(Notification.objects.values_list("pk", flat=True))
    Membership.objects.filter(user=alice, group=groups[1]).update(role=Role.MEMBER)
    Membership.objects.filter(user=alice, group=groups[1]).delete()
    assert send_notification_emails.call(notification_ids=ids) == 0
    assert not mail.outbox


def test_the_queue_topic_and_inbox_are_constant_with_many_referrals(
    client, groups, alice, supplier, django_assert_max_num_queries
):
    topics = [
        make_topic(groups[1], alice, title=f"Trouble {n}", kind=TopicKind.TROUBLESHOOTING) for n in range(60)
    ]
    for topic in topics:
        topic.subscriptions.create(user=alice)
        referral = referral_create(topic=topic, referred_by=alice, summary="x")
        for step in ("acknowledged", "in_development"):
            referral = referral_set_status(referral=referral, status=step, actor=supplier, note="n")
    client.force_login(supplier)
    client.get(reverse("forum:referrals"))
    with django_assert_max_num_queries(BUDGET):
        assert client.get(reverse("forum:referrals") + "?status=in_development").status_code == 200
    with django_assert_max_num_queries(BUDGET):
        assert client.get(referral.get_absolute_url()).status_code == 200
    client.force_login(alice)
    client.get(topics[0].get_absolute_url())
    with django_assert_max_num_queries(BUDGET):
        assert client.get(topics[-1].get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(BUDGET):
        assert client.get(reverse("forum:notifications")).status_code == 200


def test_the_national_groups_report_counts_open_referrals_by_status_and_age(
    client, groups, referral, alice, bob, supplier, django_assert_max_num_queries
):
    from datetime import timedelta

    national, private = groups
    old = make_topic(national, alice, title="Old export fault", kind=TopicKind.TROUBLESHOOTING)
    older = referral_create(topic=old, referred_by=alice, summary="Exports fail.")
    Referral.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=100))
    referral_set_status(referral=referral, status=ReferralStatus.ACKNOWLEDGED, actor=supplier)
    done = make_topic(national, alice, title="Fixed fault", kind=TopicKind.TROUBLESHOOTING)
    referral_set_status(
        referral=referral_create(topic=done, referred_by=alice, summary="x"),
        status=ReferralStatus.DECLINED,
        actor=supplier,
    )
    url = reverse("forum:referral_report", args=[national.slug])
    client.force_login(bob)
    client.get(url)
    with django_assert_max_num_queries(BUDGET):
        page = client.get(url).content.decode()
    assert "2 referrals are open across every group" in page
    assert "Old export fault" in page and older.reference in page
    # Bob is not in the private group: its referral is counted, never named.
    assert "Case notes time out" not in page and referral.reference not in page
    assert "Declined: 1" in page
    client.force_login(alice)
    assert "Case notes time out" in client.get(url).content.decode()
    # Only the national group has the report.
    assert client.get(reverse("forum:referral_report", args=[private.slug])).status_code == 404

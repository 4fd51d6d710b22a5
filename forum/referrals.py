"""Referrals to the supplier: a chair or moderator refers a troubleshooting topic; supplier
staff move it through its statuses from their queue (``/forum/referrals/``).

Each referral has its own reference, ``REF-<year>-<nnnn>``, numbered per year from a counter
row incremented inside the creating transaction (the row lock, or SQLite's write lock, makes
two referrals at once take two numbers; the unique reference is the last guard). Every step
is a ``ReferralEvent``: the topic shows them as a timeline, and each notifies the topic's
watchers and the person who referred it (never the one who acted), in the app and by e-mail
after the commit, checked again against each recipient's viewer when sent.

What supplier staff see: the queue of every referral (reference, status, age, the topic's
title and group), and for each the summary written for them, the topic's opening post and the
timeline. Not the rest of a private group's topic, nor anything else of the group: the topic's
own address stays a 404 for them unless they are members.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, IntegerField, Min, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Notification,
    NotificationKind,
    Referral,
    ReferralEvent,
    ReferralSequence,
    ReferralStatus,
    Subscription,
    Topic,
    TopicKind,
)
from .services import ForumError

MAX_SUMMARY_LENGTH = 5_000
MAX_NOTE_LENGTH = 2_000


def _next_reference(year: int) -> str:
    """Inside the caller's transaction: the counter row stays locked until it commits."""
    if not ReferralSequence.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ReferralSequence.objects.create(year=year, last=1)
        except IntegrityError:  # another referral created the year's row first
            ReferralSequence.objects.filter(year=year).update(last=F("last") + 1)
    last = ReferralSequence.objects.get(year=year).last
    return f"REF-{year}-{last:04d}"


def _clean(text: str, *, limit: int, required: str | None) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text and required:
        raise ForumError(required)
    if len(text) > limit:
        raise ForumError(_("Keep it to %(max)s characters or fewer.") % {"max": f"{limit:,}"})
    return text


def referral_create(*, topic: Topic, referred_by, summary: str) -> Referral:
    if topic.kind != TopicKind.TROUBLESHOOTING:
        raise ForumError(_("Only troubleshooting topics can be referred to the supplier."))
    summary = _clean(
        summary, limit=MAX_SUMMARY_LENGTH, required=_("Say what the supplier needs to develop or fix.")
    )
    if Referral.objects.filter(topic=topic).exists():
        raise ForumError(_("This topic has already been referred to the supplier."))
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                topic=topic,
                reference=_next_reference(timezone.localdate().year),
                summary=summary,
                referred_by=referred_by,
            )
            _record(referral, ReferralStatus.REFERRED, referred_by, "")
    except IntegrityError as exc:
        if Referral.objects.filter(topic=topic).exists():
            raise ForumError(_("This topic has already been referred to the supplier.")) from exc
        raise
    return referral


def referral_set_status(*, referral: Referral, status: str, actor, note: str = "") -> Referral:
    """Supplier staff only (the view checks); only the next steps of ``REFERRAL_TRANSITIONS``."""
    if status not in ReferralStatus.values:
        raise ForumError(_("Choose a status from the list."))
    note = _clean(note, limit=MAX_NOTE_LENGTH, required=None)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if status not in locked.next_statuses:
            raise ForumError(
                _("A referral that is “%(current)s” cannot be moved to “%(new)s”.")
                % {"current": locked.get_status_display(), "new": ReferralStatus(status).label}
            )
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        _record(locked, status, actor, note)
    return locked


def _record(referral: Referral, status: str, actor, note: str) -> ReferralEvent:
    from .tasks import send_notification_emails

    event = ReferralEvent.objects.create(referral=referral, status=status, actor=actor, note=note)
    watchers = set(Subscription.objects.filter(topic_id=referral.topic_id).values_list("user_id", flat=True))
    if referral.referred_by_id:
        watchers.add(referral.referred_by_id)
    watchers.discard(getattr(actor, "pk", None))
    if watchers:
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=user_id,
                    kind=NotificationKind.REFERRAL,
                    topic_id=referral.topic_id,
                    referral_event=event,
                    actor=actor,
                )
                for user_id in watchers
            ]
        )
        ids = list(Notification.objects.filter(referral_event=event).values_list("pk", flat=True))
        transaction.on_commit(lambda: send_notification_emails.enqueue(notification_ids=ids))
    return event


# Reading ------------------------------------------------------------------------------------

REFERRALS_PER_PAGE = 50


def referral_queue(status: str = ""):
    """Every referral, oldest first (open ones before the closed): topic and group with it."""
    referrals = Referral.objects.select_related("topic__group", "referred_by")
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    closed = Case(
        When(status__in=[ReferralStatus.RELEASED, ReferralStatus.DECLINED], then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return referrals.annotate(closed=closed).order_by("closed", "created_at", "pk")


def referral_events(referral_id: int):
    return list(ReferralEvent.objects.filter(referral_id=referral_id).select_related("actor"))


# The national group's report ---------------------------------------------------------------

OPEN_STATUSES = (ReferralStatus.REFERRED, ReferralStatus.ACKNOWLEDGED, ReferralStatus.IN_DEVELOPMENT)
CLOSED_STATUSES = (ReferralStatus.RELEASED, ReferralStatus.DECLINED)
# Ages of open referrals, in days: under four weeks, four to twelve weeks, longer.
AGE_BANDS = (28, 84)
REPORT_LIST_LENGTH = 20


def referral_report(visible_topics_qs, *, now=None) -> dict:
    """Open referrals by status and age, for the national group: counts over every referral
    (numbers only: no title, group or reference of a topic the reader may not see) in one
    grouped query, and the oldest open referrals among the topics the reader may read in one
    more. Constant whatever the number of referrals."""
    now = now or timezone.now()
    recent, middle = now - timedelta(days=AGE_BANDS[0]), now - timedelta(days=AGE_BANDS[1])
    rows = {
        row["status"]: row
        for row in Referral.objects.values("status")
        .annotate(
            total=Count("pk"),
            recent=Count("pk", filter=Q(created_at__gt=recent)),
            middle=Count("pk", filter=Q(created_at__lte=recent, created_at__gt=middle)),
            old=Count("pk", filter=Q(created_at__lte=middle)),
            oldest=Min("created_at"),
        )
        .order_by()
    }
    empty = {"total": 0, "recent": 0, "middle": 0, "old": 0, "oldest": None}
    open_rows = [
        {"status": status.value, "label": status.label, **{**empty, **rows.get(status.value, {})}}
        for status in OPEN_STATUSES
    ]
    totals = {key: sum(row[key] for row in open_rows) for key in ("total", "recent", "middle", "old")}
    oldest = [row["oldest"] for row in open_rows if row["oldest"]]
    totals["oldest"] = min(oldest) if oldest else None
    closed_rows = [
        {"status": status.value, "label": status.label, "total": rows.get(status.value, empty)["total"]}
        for status in CLOSED_STATUSES
    ]
    listed = list(
        Referral.objects.filter(status__in=OPEN_STATUSES, topic__in=visible_topics_qs.values("pk"))
        .select_related("topic__group")
        .order_by("created_at", "pk")[:REPORT_LIST_LENGTH]
    )
    return {
        "open_rows": open_rows,
        "totals": totals,
        "closed_rows": closed_rows,
        "listed": listed,
        "now": now,
    }

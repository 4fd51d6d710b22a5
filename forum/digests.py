"""Summary e-mails ("daily" or "weekly", the member's choice on their profile) and the signed
one-click unsubscribe links in every forum e-mail.

``send_digests`` gathers, for each member who chose the frequency, the notifications not yet
summarised, keeps only those about topics they may read now (their viewer at sending time:
a private group they left, a hidden topic or post, a lapsed approval drop out), sends one
e-mail and marks them summarised, so a run repeated or interrupted never sends one twice. The
scheduler runs ``manage.py send_forum_digests`` daily (and with ``--frequency weekly`` once a
week).

Unsubscribe links carry a token signed with the site's secret (``django.core.signing``, its
own salt): the member's id and what to stop. Anyone holding the link may stop that e-mail for
that member and nothing else; a changed or made-up token is refused. The page asks for one
click (a POST), so a mail scanner following links changes nothing; mail programs that
support RFC 8058 POST to it directly (``List-Unsubscribe-Post``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Notification
from .permissions import may_use_forum, viewer_for_user, visible_topics

SALT = "forum.unsubscribe"
STOPS = ("digest", "replies")  # the summary e-mail; e-mails about replies and mentions
MAX_ITEMS = 50


def unsubscribe_token(user, stop: str) -> str:
    return signing.dumps({"u": user.pk, "s": stop}, salt=SALT)


def read_token(token: str) -> tuple[int, str]:
    """The member and what to stop; ``signing.BadSignature`` for anything forged or garbled."""
    data = signing.loads(token, salt=SALT)
    if not isinstance(data, dict) or data.get("s") not in STOPS or not isinstance(data.get("u"), int):
        raise signing.BadSignature("unexpected content")
    return data["u"], data["s"]


def unsubscribe(*, user_id: int, stop: str) -> bool:
    """False when there is no such member (deleted since)."""
    from accounts.models import DigestFrequency

    changes = {"digest_frequency": DigestFrequency.NEVER} if stop == "digest" else {"notify_by_email": False}
    return bool(get_user_model().objects.filter(pk=user_id).update(**changes))


def unsubscribe_url(user, stop: str) -> str:
    path = reverse("forum_unsubscribe:unsubscribe", args=[unsubscribe_token(user, stop)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _pending(user_id: int, now):
    return Notification.objects.filter(recipient_id=user_id, digested_at__isnull=True, created_at__lte=now)


def send_digests(*, frequency: str, now=None) -> int:
    """One summary e-mail per member with something new; returns how many were sent."""
    now = now or timezone.now()
    recipients = (
        Notification.objects.filter(
            digested_at__isnull=True,
            created_at__lte=now,
            recipient__digest_frequency=frequency,
        )
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user in get_user_model().objects.filter(pk__in=list(recipients)).iterator():
        viewer = viewer_for_user(user)
        items = []
        if may_use_forum(viewer):
            items = list(
                _pending(user.pk, now)
                .filter(topic__in=visible_topics(viewer).values("pk"))
                .filter(Q(post__isnull=True) | Q(post__is_hidden=False))
                .select_related("topic__group", "actor", "post", "referral_event__referral")
                .order_by("-created_at", "-pk")[:MAX_ITEMS]
            )
        if items:
            unsubscribe_link = unsubscribe_url(user, "digest")
            context = {
                "user": user,
                "items": items,
                "frequency": frequency,
                "base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
                "unsubscribe_url": unsubscribe_link,
                "settings_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/accounts/profile/",
            }
            EmailMultiAlternatives(
                subject=render_to_string("forum/email/digest_subject.txt", context).strip(),
                body=render_to_string("forum/email/digest.txt", context),
                to=[user.email],
                headers={
                    "List-Unsubscribe": f"<{unsubscribe_link}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            ).send()
            sent += 1
        # What they may not read now is summarised never: marked as well.
        _pending(user.pk, now).update(digested_at=now)
    return sent

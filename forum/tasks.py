"""E-mails about forum activity, sent in the background after the post that caused them commits.

Each recipient is checked again at sending time, with their viewer as it is now: someone who
was removed from a private group, is no longer approved, or switched e-mails off gets nothing.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from .digests import unsubscribe_url
from .models import Notification
from .permissions import may_read_group, may_use_forum, viewer_for_user


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@task()
def send_notification_emails(*, notification_ids: list[int]) -> int:
    notifications = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient", "topic__group", "post", "actor", "referral_event__referral")
    sent = 0
    for notification in notifications:
        recipient = notification.recipient
        if notification.actor_id == recipient.pk or not recipient.notify_by_email:
            continue
        viewer = viewer_for_user(recipient)
        topic = notification.topic
        if not may_use_forum(viewer) or not may_read_group(viewer, topic.group) or topic.is_hidden:
            continue
        if notification.post is not None and notification.post.is_hidden:
            continue
        context = {
            "notification": notification,
            "topic": topic,
            "actor": notification.actor,
            "url": _absolute(
                notification.post.get_absolute_url() if notification.post else topic.get_absolute_url()
            ),
            "settings_url": _absolute("/accounts/profile/"),
            "unsubscribe_url": unsubscribe_url(recipient, "replies"),
        }
        EmailMultiAlternatives(
            subject=render_to_string("forum/email/notification_subject.txt", context).strip(),
            body=render_to_string("forum/email/notification.txt", context),
            to=[recipient.email],
            headers={
                "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        ).send()
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent

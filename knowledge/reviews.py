"""Reviews of solutions and guides: what is due, who owns it, and the reminder e-mails.

An item is *due* when its next review date is today or past, or when it has none. Its owner
is the person named on the page (``content_owner``), else the page's Wagtail owner. Reminders
go out once per item and review date (``ReviewReminder`` records each), so running the command
every day, or twice, e-mails nobody twice about the same review.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.permission_policies.pages import PagePermissionPolicy

from accounts import emails

from .models import KnowledgePage, ReviewReminder

logger = logging.getLogger(__name__)


def can_see_review_dashboard(user) -> bool:
    """National editors (anyone who may publish pages) and superusers."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or PagePermissionPolicy().user_has_permission(user, "publish")


def due_pages(today: datetime.date | None = None):
    """Live solutions and guides whose review date has passed or is missing, with their owners,
    in one query."""
    today = today or timezone.localdate()
    return (
        KnowledgePage.objects.live()
        .filter(Q(next_review__lte=today) | Q(next_review__isnull=True))
        .select_related("content_owner", "owner", "content_type")
        .order_by(F("next_review").asc(nulls_first=True), "title")
    )


def owner_of(page):
    return page.content_owner or page.owner


@dataclass
class OwnerGroup:
    owner: object
    pages: list = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.owner is None:
            return ""
        return self.owner.get_full_name() or self.owner.email


def due_by_owner(today: datetime.date | None = None) -> list[OwnerGroup]:
    groups: dict[int | None, OwnerGroup] = {}
    for page in due_pages(today):
        owner = owner_of(page)
        groups.setdefault(owner.pk if owner else None, OwnerGroup(owner)).pages.append(page)
    # People by name first, then the items nobody owns.
    return sorted(groups.values(), key=lambda g: (g.owner is None, g.label.lower()))


def admin_edit_url(page) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_pages:edit", args=[page.pk])


@dataclass
class ReminderRun:
    sent: int = 0
    items: int = 0
    without_owner: list = field(default_factory=list)


def send_review_reminders(today: datetime.date | None = None) -> ReminderRun:
    """E-mail each owner about the items that fell due since they were last told; one e-mail a
    person, each item once per review date."""
    today = today or timezone.localdate()
    pages = list(due_pages(today))
    sent_before = set(
        ReviewReminder.objects.filter(page__in=[p.pk for p in pages]).values_list("page_id", "due_on")
    )
    run = ReminderRun()
    by_owner: dict[int, tuple[object, list]] = {}
    for page in pages:
        if (page.pk, page.next_review) in sent_before:
            continue
        owner = owner_of(page)
        if owner is None or not owner.is_active or not owner.email:
            run.without_owner.append(page)
            continue
        by_owner.setdefault(owner.pk, (owner, []))[1].append(page)
    for owner, items in by_owner.values():
        context = {
            "owner": owner,
            "items": [{"page": page, "edit_url": admin_edit_url(page)} for page in items],
            "today": today,
        }
        message = emails.compose(
            subject_template="knowledge/email/review_reminder_subject.txt",
            text_template="knowledge/email/review_reminder.txt",
            context=context,
            to=[owner.email],
        )
        with transaction.atomic():
            # Recorded with the sending: if the e-mail fails, nothing is recorded and the
            # next run tries again.
            ReviewReminder.objects.bulk_create(
                [ReviewReminder(page=page, recipient=owner, due_on=page.next_review) for page in items]
            )
            message.send()
        run.sent += 1
        run.items += len(items)
    return run

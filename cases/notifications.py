"""E-mails about cases say only that something changed, with a link: never case data."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.urls import reverse

from accounts import emails
from accounts.roles import CASE_WORKERS


def _site_url() -> str:
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


def notify_change(
    case,
    *,
    changed_by_organisation_id=None,
    organisation_ids=None,
    shared=False,
    user_ids=None,
    assigned=False,
) -> None:
    """After the commit: tell the lead officer (when another organisation changed the case), the
    case workers of the organisations named (a new share), or the people named (a new lead
    officer), that something changed."""
    link = _site_url() + reverse("cases:detail", args=[case.reference])
    lead_id = case.lead_officer_id if changed_by_organisation_id != case.owner_id else None

    def send():
        users = get_user_model().objects.filter(is_active=True)
        if user_ids:
            recipients = users.filter(pk__in=user_ids)
        elif organisation_ids:
            from .models import CaseShare

            # Read when sending: a share withdrawn (or a case deleted) before the commit tells
            # nobody about it.
            still_shared = CaseShare.objects.filter(case_id=case.pk, organisation_id__in=organisation_ids)
            recipients = users.filter(
                organisation_id__in=still_shared.values("organisation_id"), groups__name=CASE_WORKERS
            )
        elif lead_id:
            recipients = users.filter(pk=lead_id)
        else:
            return
        addresses = sorted(set(recipients.values_list("email", flat=True)))
        kind = "assigned" if assigned else "shared" if shared else "changed"
        # One e-mail each: case workers of different organisations never see each other's
        # addresses.
        messages = [
            emails.compose(
                subject_template="cases/email/change_subject.txt",
                text_template="cases/email/change.txt",
                context={"kind": kind, "link": link},
                to=[address],
            )
            for address in addresses
        ]
        if messages:
            get_connection().send_messages(messages)

    transaction.on_commit(send)

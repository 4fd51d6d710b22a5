"""E-mails about start-a-scheme requests, sent in the background after the change commits."""

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from accounts import emails

from .models import RequestStatus, StartSchemeRequest


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send(template: str, context: dict, recipients: list[str]) -> int:
    return emails.send(template=f"onboarding/email/{template}", context=context, to=recipients)


@task()
def send_scheme_request_notification(*, request_id: int) -> int:
    """Tell the national administrators that a request is waiting."""
    from .selectors import national_administrators

    scheme_request = StartSchemeRequest.objects.filter(pk=request_id, status=RequestStatus.PENDING).first()
    if scheme_request is None:
        return 0
    recipients = sorted(set(national_administrators().values_list("email", flat=True)))
    if not recipients:
        return 0
    context = {
        "request": scheme_request,
        "review_url": _absolute(reverse("scheme_requests:inspect", args=[scheme_request.pk])),
    }
    return _send("request_received", context, recipients)


@task()
def send_scheme_request_decision(*, request_id: int) -> int:
    """Tell the requester what was decided: accepted (with the sign-up link) or declined."""
    scheme_request = (
        StartSchemeRequest.objects.filter(pk=request_id).exclude(status=RequestStatus.PENDING).first()
    )
    if scheme_request is None:
        return 0
    context = {
        "request": scheme_request,
        "accepted": scheme_request.status == RequestStatus.ACCEPTED,
        "signup_url": _absolute(reverse("account_signup")),
        "pathway_url": _absolute(reverse("onboarding:start_scheme")),
    }
    return _send("decision", context, [scheme_request.contact_email])

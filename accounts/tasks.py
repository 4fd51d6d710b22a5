"""E-mails about accounts, sent in the background after the change they report commits."""

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from . import emails
from .models import ApprovalStatus, User


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@task()
def send_approval_request_email(*, user_id: int) -> int:
    from .selectors import approvers_for

    account = User.objects.select_related("organisation").filter(pk=user_id).first()
    if account is None or account.approval_status != ApprovalStatus.PENDING:
        return 0
    recipients = [u.email for u in approvers_for(account)]
    if not recipients:
        return 0
    context = {"account": account, "approvals_url": _absolute(reverse("accounts:approvals"))}
    return emails.send(template="accounts/email/approval_request", context=context, to=recipients)


@task()
def send_account_decision_email(*, user_id: int) -> int:
    account = User.objects.filter(pk=user_id).first()
    if account is None or account.approval_status == ApprovalStatus.PENDING:
        return 0
    context = {"account": account, "site_url": _absolute("/"), "approved": account.is_approved}
    return emails.send(template="accounts/email/decision", context=context, to=[account.email])

"""Business rules for accounts: approval decisions and what follows them."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from . import roles
from .models import ApprovalStatus, User
from .permissions import can_approve_account
from .tasks import send_account_decision_email, send_approval_request_email


class ApprovalError(Exception):
    """Raised when a decision cannot be taken; the message is for the person deciding."""


def account_decide(*, account: User, approver: User, approve: bool) -> User:
    """Approve or reject ``account``; approval joins it to the Members group.

    Only a pending account can be decided, and only by someone allowed to decide it; only one
    whose e-mail address is verified can be approved (the address is what ties the person to the
    organisation).
    """
    if not can_approve_account(approver, account):
        raise ApprovalError("You cannot decide this account.")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=account.pk)
        if locked.approval_status != ApprovalStatus.PENDING:
            raise ApprovalError(f"{locked} has already been decided.")
        if approve and not _email_verified(locked):
            raise ApprovalError(
                f"{locked} cannot be approved yet: their e-mail address {locked.email} has not been "
                "verified. They need to follow the link in the e-mail we sent them first."
            )
        locked.approval_status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        locked.approval_decided_at = timezone.now()
        locked.approval_decided_by = approver
        locked.save(update_fields=["approval_status", "approval_decided_at", "approval_decided_by"])
        members = Group.objects.get(name=roles.MEMBERS)
        if approve:
            locked.groups.add(members)
        else:
            locked.groups.remove(members)
        transaction.on_commit(lambda: send_account_decision_email.enqueue(user_id=locked.pk))
    return locked


def _email_verified(account: User) -> bool:
    return EmailAddress.objects.filter(user=account, email__iexact=account.email, verified=True).exists()


def account_request_approval(*, account: User) -> None:
    """Tell the people who can approve ``account`` that it is waiting (after commit)."""
    if account.approval_status == ApprovalStatus.PENDING:
        transaction.on_commit(lambda: send_approval_request_email.enqueue(user_id=account.pk))

"""Read paths over accounts."""

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import ApprovalStatus, User
from .permissions import can_approve_any_account

_NATIONAL_ADMINISTRATORS = (
    Q(is_superuser=True)
    | Q(
        groups__permissions__codename="approve_any_account",
        groups__permissions__content_type__app_label="accounts",
    )
    | Q(
        user_permissions__codename="approve_any_account",
        user_permissions__content_type__app_label="accounts",
    )
)


def accounts_awaiting_approval(*, approver: User) -> QuerySet[User]:
    """Verified accounts awaiting a decision that ``approver`` may take, oldest first."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    accounts = (
        User.objects.filter(approval_status=ApprovalStatus.PENDING, is_active=True)
        .filter(Exists(verified))
        .exclude(pk=approver.pk)
        .select_related("organisation")
        .order_by("date_joined")
    )
    if not can_approve_any_account(approver):
        accounts = accounts.filter(organisation_id=approver.organisation_id)
    return accounts


def approvers_for(account: User) -> QuerySet[User]:
    """Who is told that ``account`` awaits approval: its organisation's approvers, or the
    national administrators when the organisation has none."""
    local = User.objects.filter(
        is_active=True,
        approval_status=ApprovalStatus.APPROVED,
        is_organisation_approver=True,
        organisation_id=account.organisation_id,
    ).exclude(pk=account.pk)
    if local.exists():
        return local
    return User.objects.filter(_NATIONAL_ADMINISTRATORS, is_active=True).exclude(pk=account.pk).distinct()

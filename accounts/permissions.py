"""Who may do what with accounts: every rule of this area, asked by the views."""

from .models import User


def can_approve_any_account(user: User) -> bool:
    return user.is_active and user.has_perm("accounts.approve_any_account")


def can_approve_accounts(user: User) -> bool:
    """Whether the approvals screen is theirs to see at all."""
    if not (user.is_authenticated and user.is_active):
        return False
    if can_approve_any_account(user):
        return True
    return user.is_approved and user.is_organisation_approver and user.organisation_id is not None


def can_approve_account(user: User, account: User) -> bool:
    if not can_approve_accounts(user) or account.pk == user.pk:
        return False
    if can_approve_any_account(user):
        return True
    return account.organisation_id == user.organisation_id


def can_see_members_content(request) -> bool:
    """Approved, active members (and superusers): the viewer decides (serving.viewer)."""
    from serving.viewer import viewer_for

    viewer = viewer_for(request)
    return viewer.is_approved or viewer.is_superuser

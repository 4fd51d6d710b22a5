"""Who may do what on the onboarding route: every rule of this area, asked by the views."""

from accounts.permissions import can_approve_any_account

from .selectors import is_scheme_member


def can_tick_progress(request, scheme) -> bool:
    """Approved members of the scheme (their organisation leads it or is a partner)."""
    return is_scheme_member(request, scheme)


def can_decide_scheme_requests(user) -> bool:
    """National administrators: superusers and whoever may approve accounts of any organisation."""
    return bool(user and user.is_authenticated and can_approve_any_account(user))

"""Security logging and the hand-over from e-mail verification to approval."""

import logging

from allauth.account.signals import email_confirmed
from allauth.account.signals import user_logged_in as allauth_user_logged_in
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

security_log = logging.getLogger("accounts.security")


def client_ip(request) -> str:
    """The client's address as allauth's throttles see it: behind ``TRUSTED_PROXY_COUNT`` proxies
    of ours, from X-Forwarded-For; otherwise the connection's address."""
    if request is None:
        return "-"
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter().get_client_ip(request)
    except Exception:  # a header that does not match the proxy count, or no address at all
        return request.META.get("REMOTE_ADDR") or "-"


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    who = credentials.get("email") or credentials.get("username") or "-"
    security_log.warning("Failed sign-in for %s from %s", who, client_ip(request))


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    security_log.info("Signed in: user %s from %s", user.pk, client_ip(request))


@receiver(allauth_user_logged_in)
@receiver(authenticator_added)
@receiver(authenticator_removed)
def decide_two_step_again(sender, request=None, **kwargs):
    """A new sign-in, or a change of authenticators: the next request checks the two-step rule."""
    from .middleware import forget_two_step_state

    forget_two_step_state(request)


@receiver(email_confirmed)
def request_approval_once_verified(sender, request, email_address, **kwargs):
    from .services import account_request_approval

    account_request_approval(account=email_address.user)

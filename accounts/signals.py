"""Security logging and the hand-over from e-mail verification to approval."""

import logging

from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

security_log = logging.getLogger("accounts.security")


def _client_ip(request) -> str:
    if request is None:
        return "-"
    return request.META.get("REMOTE_ADDR", "-")


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    who = credentials.get("email") or credentials.get("username") or "-"
    security_log.warning("Failed sign-in for %s from %s", who, _client_ip(request))


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    security_log.info("Signed in: user %s from %s", user.pk, _client_ip(request))


@receiver(email_confirmed)
def request_approval_once_verified(sender, request, email_address, **kwargs):
    from .services import account_request_approval

    account_request_approval(account=email_address.user)

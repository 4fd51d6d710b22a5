"""Every sign-in forgets the MoU versions accepted before it: accept again after each login."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .mou import ACCEPTED_SESSION_KEY


@receiver(user_logged_in, dispatch_uid="cases_forget_mou_acceptance")
def forget_mou_acceptance(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(ACCEPTED_SESSION_KEY, None)

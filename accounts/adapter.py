"""How django-allauth's flows fit our rules: work e-mail domains and organisations."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from schemes.selectors import organisations_for_email

from . import emails


def _start_a_scheme_url() -> str:
    """The onboarding app's request form, named rather than imported (it builds on accounts)."""
    try:
        return reverse("onboarding:start_scheme")
    except NoReverseMatch:
        return "/onboarding/start-a-scheme/"


class AccountAdapter(DefaultAccountAdapter):
    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Not straight after signing in: a sign-in (password, and code if two-step) within
        ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` counts as recent as a re-authentication does
        (allauth counts only the latter, so setting two-step sign-in up just after signing in
        asked for the password again)."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return True
        records = get_authentication_records(request, user)
        if not records:
            return True
        return time.time() - records[-1]["at"] >= account_settings.REAUTHENTICATION_TIMEOUT

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if not organisations_for_email(email):
            domain = email.rpartition("@")[2]
            raise forms.ValidationError(
                _(
                    "No partner organisation uses the e-mail domain %(domain)s. Sign up with "
                    "your work e-mail address. If your organisation is not yet known to the "
                    "forum, ask to start a scheme at %(start_url)s"
                ),
                code="unknown_domain",
                params={"domain": domain, "start_url": _start_a_scheme_url()},
            )
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.organisation = data["organisation"]
        user.job_title = data.get("job_title", "")
        if commit:
            user.save()
        return user

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's e-mails in our templates: the site's name from settings, never the host,
        plain text plus an escaped HTML part (``accounts.emails``)."""
        return emails.compose(
            subject_template=f"{template_prefix}_subject.txt",
            text_template=f"{template_prefix}_message.txt",
            context=context,
            to=[email] if isinstance(email, str) else list(email),
            format_subject=self.format_email_subject,
            headers=headers,
        )

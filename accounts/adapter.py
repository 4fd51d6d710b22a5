"""How django-allauth's flows fit our rules: work e-mail domains and organisations."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from schemes.selectors import organisations_for_email


def _start_a_scheme_url() -> str:
    """The onboarding app's request form, named rather than imported (it builds on accounts)."""
    try:
        return reverse("onboarding:start_scheme")
    except NoReverseMatch:
        return "/onboarding/start-a-scheme/"


class AccountAdapter(DefaultAccountAdapter):
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

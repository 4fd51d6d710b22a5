"""How django-allauth's flows fit our rules: work e-mail domains and organisations."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext as _

from schemes.selectors import organisations_for_email


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if not organisations_for_email(email):
            domain = email.rpartition("@")[2]
            raise forms.ValidationError(
                _(
                    "No partner organisation uses the e-mail domain %(domain)s. Sign up with "
                    "your work e-mail address. If your organisation is a partner but is not "
                    "listed, ask your scheme's steering group to add it."
                ),
                code="unknown_domain",
                params={"domain": domain},
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

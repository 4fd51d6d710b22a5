import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from schemes.models import Organisation, OrganisationKind, Region, domain_validator

from .freemail import is_free_mail
from .models import StartSchemeRequest
from .selectors import owners_of_domain, pending_request_for

# "<b>", "</p>", "<!--", "<?php", "<script": markup, which plain-text answers never need.
MARKUP = re.compile(r"<\s*[a-zA-Z!/?]")
HONEYPOT = "website"

REQUIRED = {
    "organisation_name": _("Enter the name of your organisation"),
    "kind": _("Choose what kind of organisation it is"),
    "region": _("Choose your region"),
    "area": _("Enter the area your scheme would cover"),
    "email_domain": _("Enter your organisation's e-mail domain"),
    "contact_name": _("Enter your name"),
    "contact_email": _("Enter your work e-mail address"),
    "plans": _("Tell us what you plan"),
}
TEXT_FIELDS = ("organisation_name", "area", "contact_name", "plans")


class StartSchemeRequestForm(forms.ModelForm):
    """A request from an organisation not yet known. Nothing is saved unless every check passes."""

    # A trap for bots: hidden from people (and assistive technology) with the hidden attribute.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = StartSchemeRequest
        fields = [
            "organisation_name",
            "kind",
            "region",
            "area",
            "email_domain",
            "contact_name",
            "contact_email",
            "plans",
        ]
        labels = {
            "organisation_name": _("Organisation name"),
            "kind": _("Kind of organisation"),
            "region": _("Region"),
            "area": _("Area the scheme would cover"),
            "email_domain": _("Your organisation's e-mail domain"),
            "contact_name": _("Your name"),
            "contact_email": _("Your work e-mail address"),
            "plans": _("What you plan"),
        }
        help_texts = {
            "organisation_name": _("For example: Cumbria County Council."),
            "area": _("For example: Cumbria, or the six districts of Lincolnshire."),
            "email_domain": _("The part of your work e-mail address after the @, such as cumbria.gov.uk."),
            "contact_email": _(
                "It must be at your organisation's e-mail domain. We will write to you there."
            ),
            "plans": _(
                "Which partners you hope to bring together, and the workstreams you would start with."
            ),
        }
        widgets = {
            "organisation_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            "email_domain": forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
            "plans": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose a kind"))] + [
            choice for choice in OrganisationKind.choices if choice[0] != OrganisationKind.SUPPLIER
        ]
        self.fields["region"].choices = [("", _("Choose a region"))] + [
            choice for choice in Region.choices if choice[0] != Region.NATIONAL
        ]
        for name, message in REQUIRED.items():
            self.fields[name].error_messages["required"] = message
        self.fields["contact_email"].error_messages["invalid"] = _(
            "Enter an e-mail address in the correct format, like name@example.gov.uk"
        )
        self.fields[HONEYPOT].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def _plain(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if MARKUP.search(value):
            raise ValidationError(
                _("Remove the HTML from %(field)s: write plain text."),
                code="markup",
                params={"field": str(self.fields[name].label).lower()},
            )
        return value

    def clean_organisation_name(self):
        name = self._plain("organisation_name")
        if Organisation.objects.filter(name__iexact=name).exists():
            raise ValidationError(
                _("%(name)s is already a partner organisation: its staff can create an account."),
                code="known",
                params={"name": name},
            )
        return name

    def clean_area(self):
        return self._plain("area")

    def clean_contact_name(self):
        return self._plain("contact_name")

    def clean_plans(self):
        return self._plain("plans")

    def clean_email_domain(self):
        domain = (self.cleaned_data.get("email_domain") or "").strip().lower().removeprefix("@").rstrip(".")
        domain = domain.removeprefix("www.")
        if "@" in domain:
            raise ValidationError(_("Enter only the part after the @, such as cumbria.gov.uk."), code="at")
        domain_validator(domain)
        if is_free_mail(domain):
            raise ValidationError(
                _("%(domain)s is a personal e-mail provider: enter your organisation's own domain."),
                code="free_mail",
                params={"domain": domain},
            )
        if owners_of_domain(domain):
            raise ValidationError(
                _(
                    "%(domain)s already belongs to a partner organisation: its staff can create an "
                    "account now, without a request."
                ),
                code="owned",
                params={"domain": domain},
            )
        if pending_request_for(domain):
            raise ValidationError(
                _(
                    "A request for %(domain)s is already waiting for a decision. We will write to "
                    "its contact when it is decided."
                ),
                code="pending",
                params={"domain": domain},
            )
        return domain

    def clean(self):
        cleaned = super().clean()
        domain, email = cleaned.get("email_domain"), (cleaned.get("contact_email") or "").lower()
        if domain and email:
            at = email.rpartition("@")[2]
            if at != domain and not at.endswith("." + domain):
                self.add_error(
                    "contact_email",
                    ValidationError(
                        _("Enter an e-mail address at %(domain)s, your organisation's domain."),
                        code="other_domain",
                        params={"domain": domain},
                    ),
                )
        if email:
            cleaned["contact_email"] = email
        return cleaned

    def _post_clean(self):
        # The model's own validation would repeat the checks above (the pending-request
        # constraint among them) with less helpful messages.
        self.instance = construct_instance(self, self.instance, self._meta.fields)

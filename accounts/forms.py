from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
from allauth.account.forms import SetPasswordForm as AllauthSetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from schemes.models import Organisation
from schemes.selectors import organisations_for_email

from .models import User

# Error messages that say what to do, as the GOV.UK Design System's patterns advise.
REQUIRED_MESSAGES = {
    "first_name": _("Enter your first name"),
    "last_name": _("Enter your last name"),
    "job_title": _("Enter your job title"),
    "email": _("Enter your work e-mail address"),
    "password1": _("Enter a password"),
    "password2": _("Enter the password again"),
}


class SignupForm(AllauthSignupForm):
    """Sign-up with a work e-mail address.

    The address's domain decides the organisation. When several organisations share the
    domain, the form comes back asking the person to choose among those only.
    """

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Your organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Choose your organisation"),
        help_text=_("Several organisations use your e-mail domain."),
    )

    field_order = ["first_name", "last_name", "job_title", "email", "organisation", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Work e-mail address")
        self.fields["email"].help_text = _("We will send a link to this address to check it is yours.")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["password2"].label = _("Confirm password")
        for name, message in REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.organisation_choices = []
        email = self.data.get("email") if self.is_bound else None
        if email and "@" in email:
            self.organisation_choices = organisations_for_email(email)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in self.organisation_choices]
        )
        if not self.needs_organisation_choice:
            self.fields["organisation"].widget = forms.HiddenInput()

    @property
    def needs_organisation_choice(self) -> bool:
        return len(self.organisation_choices) > 1

    def clean(self):
        cleaned = super().clean()
        if "email" not in cleaned:
            return cleaned
        choices = self.organisation_choices
        if len(choices) == 1:
            cleaned["organisation"] = choices[0]
        elif len(choices) > 1 and cleaned.get("organisation") not in choices:
            self.add_error(
                "organisation",
                _("Choose your organisation: several partner organisations use your e-mail domain."),
            )
        return cleaned


class ProfileForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Other members see these next to everything a person posts.
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = REQUIRED_MESSAGES[name]

    class Meta:
        model = User
        fields = ["first_name", "last_name", "job_title", "notify_by_email", "digest_frequency"]
        widgets = {"digest_frequency": forms.RadioSelect}


class ApprovalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
    )


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        self.fields["login"].error_messages["required"] = _("Enter your e-mail address")
        self.fields["password"].error_messages["required"] = _("Enter your password")
        # allauth links "Forgot your password?" from the field's hint; the page has our one link.
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class ResetPasswordForm(AllauthResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].error_messages["required"] = _("Enter your e-mail address")
        self.fields["email"].widget.attrs.pop("placeholder", None)


# Labels of allauth's other forms in our words. The page links "Forgotten your password?" once
# where it is needed, so allauth's link in the current password's hint is removed.
OUR_LABELS = {
    "oldpassword": _("Current password"),
    "password": _("Password"),
    "password1": _("New password"),
    "password2": _("New password again"),
    "email": _("E-mail address"),
}


class _OurWords:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in OUR_LABELS:
                field.label = OUR_LABELS[name]
            field.widget.attrs.pop("placeholder", None)
        for name in ("oldpassword", "password"):
            if name in self.fields:
                self.fields[name].help_text = ""


class ChangePasswordForm(_OurWords, AllauthChangePasswordForm):
    pass


class SetPasswordForm(_OurWords, AllauthSetPasswordForm):
    pass


class ResetPasswordKeyForm(_OurWords, AllauthResetPasswordKeyForm):
    pass


class ReauthenticateForm(_OurWords, AllauthReauthenticateForm):
    pass


class AddEmailForm(_OurWords, AllauthAddEmailForm):
    pass

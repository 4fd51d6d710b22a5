import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from schemes.models import Workstream

from .models import TopicKind
from .services import MAX_POST_LENGTH, MAX_TITLE_LENGTH


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class MessageField(forms.CharField):
    """Length is checked by forum.services with a clearer message; the browser is told too."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Message"))
        kwargs.setdefault(
            "help_text",
            _(
                "Markdown: **bold**, _italic_, > quotation, - lists, [link](https://…). Mention a member of the group with @first.last."
            ),
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 8, "maxlength": MAX_POST_LENGTH}))
        kwargs.setdefault("strip", False)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=MAX_TITLE_LENGTH * 2, required=False,
        widget=forms.TextInput(attrs={"maxlength": MAX_TITLE_LENGTH}),
    )  # fmt: skip
    kind = forms.ChoiceField(
        label=_("Kind of topic"),
        # Consultation threads are opened by the site, never by hand.
        choices=[choice for choice in TopicKind.choices if choice[0] != TopicKind.CONSULTATION],
        initial=TopicKind.QUESTION,
    )
    workstreams = forms.ModelMultipleChoiceField(
        label=_("Workstreams"),
        queryset=Workstream.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    body = MessageField()
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class ReplyForm(forms.Form):
    body = MessageField(label=_("Your reply"))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class EditForm(forms.Form):
    body = MessageField()


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsultationReplyForm(ReplyForm):
    """A comment in a consultation thread: on the whole document or one numbered clause."""

    clause = forms.TypedChoiceField(
        label=_("Your comment is on"), coerce=int, empty_value=None, required=False
    )
    field_order = ["clause", "body", "form_token"]

    def __init__(self, *args, clauses=(), **kwargs):
        from .consultation import excerpt

        super().__init__(*args, **kwargs)
        field = self.fields["clause"]
        field.choices = [("", _("The whole document"))] + [
            (n, _("Clause %(n)s: %(begins)s") % {"n": n, "begins": excerpt(text, 8)})
            for n, text in enumerate(clauses, 1)
        ]
        field.error_messages["invalid_choice"] = _(
            "This version has no clause %(value)s: choose a clause from the list, or the whole document."
        )


class ReferralForm(forms.Form):
    summary = forms.CharField(
        label=_("What should the supplier develop or fix?"),
        help_text=_(
            "The supplier's staff read this, the topic's title and its opening post: not the replies. "
            "Leave out anything about individual cases."
        ),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ReferralStatusForm(forms.Form):
    # Any value reaches the service, which refuses steps not allowed with a clear message.
    status = forms.CharField(label=_("New status"), required=False, max_length=20, widget=forms.Select)
    note = forms.CharField(
        label=_("Note for the group (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, referral=None, **kwargs):
        from .models import ReferralStatus

        super().__init__(*args, **kwargs)
        allowed = referral.next_statuses if referral is not None else ()
        self.fields["status"].widget.choices = [("", _("Choose a status"))] + [
            (value, label) for value, label in ReferralStatus.choices if value in allowed
        ]


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=forms.DateInput(attrs={"type": "date"}))
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    attendees = forms.TypedMultipleChoiceField(
        label=_("Who attended"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(m.user_id, str(m.user)) for m in members]


class ActionForm(forms.Form):
    what = forms.CharField(label=_("Action"), max_length=1000, required=False)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Nobody yet"))] + [(m.user_id, str(m.user)) for m in members]


class ColleagueProfileForm(forms.ModelForm):
    class Meta:
        from .models import ColleagueProfile

        model = ColleagueProfile
        fields = ["listed", "job_title", "scheme", "workstreams", "can_help_with", "show_email"]
        widgets = {
            "workstreams": forms.CheckboxSelectMultiple,
            "can_help_with": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }

    def __init__(self, *args, **kwargs):
        from schemes.models import SchemePage

        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = SchemePage.objects.live().order_by("title")
        self.fields["workstreams"].queryset = Workstream.objects.order_by("name")


class ContactForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        help_text=_("They will get it by e-mail with your address, so they can reply to you."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
    )

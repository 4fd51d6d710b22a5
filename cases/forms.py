"""Case forms. None has a field for the owning organisation, the author or who shared: those
come from the viewer, so anything a request sends for them is ignored."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.models import ApprovalStatus
from accounts.roles import CASE_WORKERS
from schemes.models import Organisation, SchemePage, Workstream

from .attachments import check_attachment
from .models import ActionStatus, CaseStatus, RiskLevel, ShareLevel, SubjectRole


class CaseForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("No names: for example, “Noise and intimidation, Hollington estate”."),
    )
    workstream = forms.ModelChoiceField(label=_("Workstream"), queryset=Workstream.objects.order_by("name"))
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=SchemePage.objects.none())
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.MEDIUM)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args, scheme_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = SchemePage.objects.filter(pk__in=scheme_ids).order_by("title")


class CaseEditForm(forms.Form):
    """The owning organisation changes its case. No field for the reference, the owner or the
    scheme: what a request sends for them is ignored. The lead officer must be an active,
    approved case worker of the owning organisation."""

    title = CaseForm.base_fields["title"]
    workstream = forms.ModelChoiceField(
        label=_("Workstream"),
        queryset=Workstream.objects.order_by("name"),
        help_text=_("The reference stays as it is."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=CaseStatus.choices,
        help_text=_("Closing the case sets the date after which it is deleted."),
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    lead_officer = forms.ModelChoiceField(
        label=_("Lead officer"),
        queryset=get_user_model().objects.none(),
        error_messages={
            "invalid_choice": _("Choose a case worker of your organisation as the lead officer."),
            "required": _("Choose a case worker of your organisation as the lead officer."),
        },
    )
    summary = CaseForm.base_fields["summary"]

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": case.title,
                "workstream": case.workstream_id,
                "status": case.status,
                "risk_level": case.risk_level,
                "lead_officer": case.lead_officer_id,
                "summary": case.summary,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = case_workers_of(case.owner_id)


def case_workers_of(*organisation_ids):
    """Who may lead a case of these organisations, or be assigned an action of it: their
    active, approved case workers."""
    return (
        get_user_model()
        .objects.filter(
            organisation_id__in=organisation_ids,
            is_active=True,
            approval_status=ApprovalStatus.APPROVED,
            groups__name=CASE_WORKERS,
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


class ShareWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing the share?"),
        help_text=_("Recorded with the withdrawal and in the audit log."),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=10,
        max_length=2000,
    )


class CaseUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    corrects = forms.TypedChoiceField(
        label=_("This note corrects"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, notes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.notes = {note.pk: note for note in notes}
        self.fields["corrects"].choices = [("", _("Nothing: it is a new note"))] + [
            (note.pk, f"{note.created_at:%d %B %Y %H:%M}, {note.author}") for note in notes
        ]

    def clean_corrects(self):
        pk = self.cleaned_data.get("corrects")
        return self.notes.get(pk) if pk else None


class SubjectForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the case"), choices=SubjectRole.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, help_text=_("For example, 27 3 2007 or 2007-03-27.")
    )
    address = forms.CharField(label=_("Address or area"), max_length=300, required=False)


class ActionForm(forms.Form):
    description = forms.CharField(label=_("What needs doing"), max_length=300)
    assigned_organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    assigned_to = forms.ModelChoiceField(
        label=_("Person (optional)"), queryset=get_user_model().objects.none(), required=False
    )
    due_date = forms.DateField(label=_("Due by"), help_text=_("For example, 2026-12-31."))

    def __init__(self, *args, organisation_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_organisation"].queryset = Organisation.objects.filter(pk__in=organisation_ids)
        self.fields["assigned_to"].queryset = case_workers_of(*organisation_ids)

    def clean(self):
        data = super().clean()
        person, organisation = data.get("assigned_to"), data.get("assigned_organisation")
        if person and organisation and person.organisation_id != organisation.pk:
            self.add_error("assigned_to", _("Choose a person of the organisation the action is assigned to."))
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("A PDF, Word (DOCX), PNG, JPEG or plain text file, smaller than 10 MB.")
    )
    description = forms.CharField(label=_("Description (optional)"), max_length=200, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.stored_name, self.content_type = check_attachment(upload)
        return upload


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    level = forms.ChoiceField(
        label=_("Access"), choices=ShareLevel.choices, widget=forms.RadioSelect, initial=ShareLevel.READ
    )
    reason = forms.CharField(
        label=_("Why are you sharing this case?"),
        help_text=_("Recorded with the share: the purpose under the MoU and why this organisation needs it."),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=10,
        max_length=2000,
    )

    def __init__(self, *args, organisation_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=organisation_ids).order_by(
            "name"
        )


class MoUAcceptForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the summary and conditions and I accept them"),
        error_messages={
            "required": _("Confirm that you accept the memorandum of understanding to continue.")
        },
    )


class SubjectAccessForm(forms.Form):
    name = forms.CharField(label=_("Full name of the person"), max_length=200)
    justification = forms.CharField(
        label=_("Reason for the request"),
        help_text=_("For example, the subject access request’s reference."),
        max_length=500,
    )


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or title"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *CaseStatus.choices], required=False
    )
    risk = forms.ChoiceField(
        label=_("Risk level"), choices=[("", _("Any risk level")), *RiskLevel.choices], required=False
    )
    ownership = forms.ChoiceField(
        label=_("Whose"),
        choices=[("", _("Ours and shared with us")), ("ours", _("Ours")), ("shared", _("Shared with us"))],
        required=False,
    )

"""The Wagtail admin's form for governance documents (``WAGTAILDOCS_DOCUMENT_FORM_BASE``).

It adds to Wagtail's document form what a governance document needs: the workstream
vocabulary as checkboxes, version linking, the upload limit in the file field's hint, and the
personal-data confirmation. Status changes go through ``services.document_set_status`` so that
agreeing a version supersedes the one it replaces, exactly as anywhere else.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from schemes.models import Organisation, SchemePage, Workstream

from . import conf
from .models import CURRENT_STATUSES, DocumentStatus, GovernanceDocument
from .services import (
    PersonalDataNotChecked,
    document_acknowledge_personal_data,
    document_check_personal_data,
    document_check_two_agreed,
    document_fill_region,
    document_link_version,
    document_set_status,
)

PUBLISHING_STATUSES = (DocumentStatus.AGREED, DocumentStatus.IN_CONSULTATION)
NO_VERSION = "none"


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parts = [obj.title]
        if obj.version_label:
            parts.append(str(_("version %(label)s") % {"label": obj.version_label}))
        parts.append(obj.get_status_display())
        return " – ".join(parts)


class GovernanceDocumentForm(BaseDocumentForm):
    workstreams = forms.ModelMultipleChoiceField(
        queryset=Workstream.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Workstreams"),
    )
    confirm_personal_data = forms.BooleanField(
        required=False,
        label=_("I have checked the possible personal data listed above"),
        help_text=_(
            "Tick this if the matches are not personal data (for example an office address). "
            "Otherwise upload a corrected file instead."
        ),
    )

    def __init__(self, *args, **kwargs):
        self.user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        self._original_status = self.instance.status if self.instance.pk else DocumentStatus.DRAFT
        if "file" in self.fields:
            limit = conf.max_upload_size()
            field = self.fields["file"]
            field.max_upload_size = limit
            field.max_upload_size_text = filesizeformat(limit)
            field.error_messages["file_too_large_unknown_size"] = str(
                _("This file is too big. Maximum filesize %(max_filesize)s.")
                % {"max_filesize": filesizeformat(limit)}
            )
            field.help_text = _(
                "PDF, Word (DOCX), OpenDocument text (ODT) or plain text, up to %(limit)s."
            ) % {"limit": filesizeformat(limit)}
            field.error_messages["empty"] = _("The selected file is empty. Check you chose the right file.")
            field.widget.attrs["accept"] = ",".join(f".{ext}" for ext in conf.allowed_extensions())
        for name in ("kind", "status"):
            # Wagtail's bulk uploader sends only the file and title: the defaults apply.
            if name in self.fields:
                self.fields[name].required = False
        if "workstreams" in self.fields and self.instance.pk:
            self.initial["workstreams"] = list(self.instance.workstreams.all())
        if "signatories" in self.fields:
            self.fields["signatories"].widget = forms.CheckboxSelectMultiple()
            self.fields["signatories"].queryset = Organisation.objects.order_by("name")
        if "adopted_by" in self.fields:
            self.fields["adopted_by"].widget = forms.CheckboxSelectMultiple()
            self.fields["adopted_by"].queryset = SchemePage.objects.order_by("title")
        if "replaces" in self.fields:
            choices = GovernanceDocument.objects.order_by("title", "-created_at")
            if self.instance.pk:
                choices = choices.exclude(pk=self.instance.pk)
            self.fields["replaces"] = VersionChoiceField(
                queryset=choices,
                required=False,
                label=_("Replaces"),
                help_text=GovernanceDocument._meta.get_field("replaces").help_text,
            )
        if "adapted_from" in self.fields:
            original = GovernanceDocument.objects.exclude(status=DocumentStatus.DRAFT).order_by(
                "title", "-created_at"
            )
            if self.instance.pk:
                original = original.exclude(family=self.instance.family)
            self.fields["adapted_from"] = VersionChoiceField(
                queryset=original,
                required=False,
                label=_("Adapted from"),
                help_text=GovernanceDocument._meta.get_field("adapted_from").help_text,
            )
        if not self.instance.personal_data_unchecked:
            self.fields.pop("confirm_personal_data", None)
        self._add_becomes_current()

    def _add_becomes_current(self):
        """A current version with other versions beside it asks, when it stops being current
        (withdrawn, say), which version becomes current instead: nobody leaves a family without
        one by accident. Not asked when another version is current already."""
        document = self.instance
        if not document.pk or document.status not in CURRENT_STATUSES or "status" not in self.fields:
            return
        family = list(
            GovernanceDocument.objects.filter(family=document.family)
            .exclude(pk=document.pk)
            .select_related("extraction")
            .order_by("-created_at")
        )
        if not family or any(version.status in CURRENT_STATUSES for version in family):
            return
        self._other_versions = {str(v.pk): v for v in family if v.status != DocumentStatus.WITHDRAWN}
        choices = [
            (
                pk,
                _("Version %(label)s (%(status)s), uploaded %(date)s: it becomes agreed")
                % {
                    "label": v.version_label or "–",
                    "status": v.get_status_display(),
                    "date": date_format(v.created_at, "j F Y"),
                },
            )
            for pk, v in self._other_versions.items()
        ]
        choices.append((NO_VERSION, _("None: no version of this document is current any more")))
        field = forms.ChoiceField(
            choices=choices,
            required=False,
            widget=forms.RadioSelect,
            label=_("If this version stops being current, which version becomes current?"),
            help_text=_(
                "Only needed when you change the status to draft, superseded or withdrawn. "
                "This is the current version, and no other version is in consultation or agreed."
            ),
        )
        # Straight after the status it depends on.
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index("status") + 1
        self.fields = dict(fields[:at] + [("becomes_current", field)] + fields[at:])

    def _post_clean(self):
        super()._post_clean()
        document = self.instance
        if "replaces" in self.fields and "replaces" not in self.errors:
            try:
                document_link_version(document=document, replaces=self.cleaned_data.get("replaces"))
            except ValidationError as error:
                self.add_error("replaces", error.message_dict.get("replaces", error.messages))
        document_fill_region(document=document)
        target = document.status
        confirmed = self.cleaned_data.get("confirm_personal_data", False)
        if target == DocumentStatus.AGREED and target != self._original_status and "status" in self.fields:
            try:
                document_check_two_agreed(document=document)
            except ValidationError as error:
                self.add_error("status", error.message_dict["status"])
        if (
            "becomes_current" in self.fields
            and target not in CURRENT_STATUSES
            and "becomes_current" not in self.errors
        ):
            chosen = self.cleaned_data.get("becomes_current")
            if not chosen:
                self.add_error(
                    "becomes_current",
                    _(
                        "This is the current version. Choose which version becomes current instead, or "
                        "choose “None” to leave the document without a current version."
                    ),
                )
            elif chosen != NO_VERSION and self._other_versions[chosen].personal_data_unchecked:
                self.add_error(
                    "becomes_current",
                    _(
                        "Version %(label)s may contain personal data nobody has checked yet: check it on "
                        "its own page first, or choose another version."
                    )
                    % {"label": self._other_versions[chosen].version_label or "–"},
                )
        if target in PUBLISHING_STATUSES and target != self._original_status and not confirmed:
            try:
                document_check_personal_data(document=document, confirmed=False)
            except PersonalDataNotChecked as error:
                field = "confirm_personal_data" if "confirm_personal_data" in self.fields else "status"
                self.add_error(field, error.messages)

    @transaction.atomic
    def save(self, commit=True):
        target = self.instance.status
        self.instance.status = self._original_status
        confirmed = self.cleaned_data.get("confirm_personal_data", False)
        document = super().save(commit=commit)
        if not commit:
            self.instance.status = target
            return document
        if "workstreams" in self.cleaned_data:
            document.workstreams.set(list(self.cleaned_data["workstreams"]))
            document.tagged_workstreams.commit()
        user = self.user
        if target != document.status:
            document_set_status(document=document, status=target, user=user, confirm_personal_data=confirmed)
            chosen = self.cleaned_data.get("becomes_current")
            if target not in CURRENT_STATUSES and chosen and chosen != NO_VERSION:
                document_set_status(
                    document=self._other_versions[chosen], status=DocumentStatus.AGREED, user=user
                )
        elif confirmed and document.personal_data_unchecked:
            document_acknowledge_personal_data(document=document, user=user)
        return document

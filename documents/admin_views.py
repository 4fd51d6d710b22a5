"""The document workbench in the Wagtail admin: the document list with our columns and
filters, the edit form saying who can see the document and how its reading went, "Upload a
new version", and deletion that never leaves a family without its current version.

Wagtail's own views are subclassed and mounted at Wagtail's own addresses
(``wagtail_hooks.document_workbench_urls`` runs before Wagtail's), so every link Wagtail
makes to them reaches these.
"""

import os

import django_filters
from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request, set_query_params
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.documents.views import documents as wagtail_views
from wagtail.documents.views import multiple as wagtail_views_multiple
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from serving.viewer import GROUPS, LOGIN, PASSWORD, viewer_for

from . import conf
from .models import DocumentKind, DocumentStatus, GovernanceDocument
from .personal_data import describe
from .services import document_add_version, document_deletion_refusals

NEW_VERSION_STATUSES = (DocumentStatus.DRAFT, DocumentStatus.IN_CONSULTATION, DocumentStatus.AGREED)


def audience(request, document: GovernanceDocument, *, short: bool = False) -> str:
    """Who will be able to see the document, in words, from the site's restrictions (the same
    facts the viewer decides with, kept per content version: no query unless groups are named)."""
    path = document.collection.path
    applying = [r for r in viewer_for(request).site_facts.collection_restrictions if path.startswith(r.path)]
    types = {r.type for r in applying}
    if PASSWORD in types:
        who = _("People who give the collection's password") if not short else _("Password")
    elif GROUPS in types:
        group_ids = set().union(*(r.group_ids for r in applying if r.type == GROUPS))
        names = ", ".join(
            Group.objects.filter(pk__in=group_ids).order_by("name").values_list("name", flat=True)
        )
        who = (
            _("Approved members in these groups: %(groups)s") % {"groups": names}
            if not short
            else _("Groups: %(groups)s") % {"groups": names}
        )
    elif LOGIN in types:
        who = _("Approved members only (signed in)") if not short else _("Members")
    else:
        who = _("Everyone, including visitors who are not signed in") if not short else _("Public")
    if document.status == DocumentStatus.DRAFT:
        if short:
            return _("Editors (draft); then %(who)s") % {"who": who}
        return _("Only people who edit documents, while it is a draft. Once its status changes: %(who)s.") % {
            "who": who.lower() if not who.startswith(_("Everyone")) else who
        }
    return who


def reading_summary(document: GovernanceDocument) -> str:
    """How the reading of the file went, and the personal-data findings waiting for a check."""
    record = document.extraction_record
    summary = record.get_status_display()
    if record.personal_data_unchecked:
        count = len(record.personal_data_findings)
        summary += " · " + (
            _("%(count)s possible personal data match to check") % {"count": count}
            if count == 1
            else _("%(count)s possible personal data matches to check") % {"count": count}
        )
    return summary


def latest_version(document: GovernanceDocument) -> GovernanceDocument:
    """The family's newest version: the one no other version replaces."""
    return (
        GovernanceDocument.objects.select_related("collection")
        .filter(family=document.family, replaced_by__isnull=True)
        .order_by("-created_at")
        .first()
        or document
    )


def members_collection_id(request) -> int | None:
    """The collection for approved members (the shallowest one with only a sign-in
    restriction): where new uploads go unless the editor chooses another."""
    restrictions = viewer_for(request).site_facts.collection_restrictions
    paths = sorted((r.path for r in restrictions if r.type == LOGIN), key=lambda path: (len(path), path))
    for path in paths:
        if not any(r.path == path and r.type != LOGIN for r in restrictions):
            return Collection.objects.filter(path=path).values_list("pk", flat=True).first()
    return None


# The list -----------------------------------------------------------------------------------


class WorkbenchFilterSet(wagtail_views.DocumentsFilterSet):
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices, label=gettext_lazy("Status"))
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices, label=gettext_lazy("Kind"))
    scheme = django_filters.ModelChoiceFilter(
        queryset=GovernanceDocument._meta.get_field("scheme").related_model.objects.order_by("title"),
        label=gettext_lazy("Scheme"),
    )

    class Meta(wagtail_views.DocumentsFilterSet.Meta):
        model = GovernanceDocument
        fields = ["status", "kind", "scheme"]


class DocumentIndexView(wagtail_views.IndexView):
    filterset_class = WorkbenchFilterSet

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("scheme", "extraction")

    def get_add_url(self):
        """New uploads go to the members' collection unless the list is showing another."""
        if self.current_collection:
            return super().get_add_url()
        return set_query_params(super().get_add_url(), {"collection_id": members_collection_id(self.request)})

    @cached_property
    def columns(self):
        columns = list(super().columns)
        request = self.request
        extra = [
            Column("version_label", label=_("Version")),
            Column("status", label=_("Status"), accessor="get_status_display"),
            Column("kind", label=_("Kind"), accessor="get_kind_display"),
            Column("scheme", label=_("Scheme"), accessor=lambda d: d.scheme.title if d.scheme else "–"),
            Column(
                "visibility", label=_("Who can see it"), accessor=lambda d: audience(request, d, short=True)
            ),
            Column("reading", label=_("Text and personal data"), accessor=reading_summary),
        ]
        # After the title and file; the creation date and usage count follow.
        return columns[:3] + extra + columns[3:]


# The form -----------------------------------------------------------------------------------


class DocumentCreateView(wagtail_views.CreateView):
    def get_initial(self):
        collection_id = self.request.GET.get("collection_id") or members_collection_id(self.request)
        return {**super().get_initial(), "collection": collection_id}


class DocumentEditView(wagtail_views.EditView):
    template_name = "documents/admin/edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.object
        context["audience"] = audience(self.request, document)
        context["reading"] = reading_summary(document)
        context["findings"] = describe(document.extraction_record.personal_data_findings)
        context["new_version_url"] = reverse("documents_admin:new_version", args=[document.pk])
        context["is_latest"] = latest_version(document).pk == document.pk
        return context


class DocumentDeleteView(wagtail_views.DeleteView):
    """Deleting the only version, or the current one, is refused
    (``services.document_deletion_refusals``)."""

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(GovernanceDocument, pk=kwargs["document_id"])
        refusals = document_deletion_refusals([self.object])
        if refusals:
            for refusal in refusals:
                messages.error(request, refusal)
            return redirect("wagtaildocs:edit", self.object.pk)
        return super().dispatch(request, *args, **kwargs)


class MultipleDeleteView(wagtail_views_multiple.DeleteView):
    """The multiple uploader's "Delete" answers with the same refusal (its JSON reply)."""

    def post(self, request, *args, **kwargs):
        document = get_object_or_404(GovernanceDocument, pk=kwargs["doc_id"])
        refusals = document_deletion_refusals([document])
        if refusals:
            return JsonResponse(
                {"success": False, "doc_id": document.pk, "error_message": " ".join(refusals)}
            )
        return super().post(request, *args, **kwargs)


def refuse_bulk_deletion(request, action_type, objects, action):
    """``before_bulk_action``: the list's bulk delete follows the same rule; nothing is deleted
    when any selected version may not be."""
    if action_type != "delete" or GovernanceDocument not in getattr(action, "models", ()):
        return None
    refusals = document_deletion_refusals(objects)
    if not refusals:
        return None
    for refusal in [_("Nothing was deleted."), *refusals]:
        messages.error(request, refusal)
    # Back to the list the selection was made in (without ``next``, Wagtail's own default is
    # the bulk address itself, which has nothing to show once the selection is gone).
    return redirect(get_valid_next_url_from_request(request) or reverse("wagtaildocs:index"))


# Upload a new version -------------------------------------------------------------------------


class NewVersionForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("New file"))
    version_label = forms.CharField(
        label=gettext_lazy("Version"),
        max_length=50,
        help_text=gettext_lazy("For example: 2.1, or 2024 revision."),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[(s.value, s.label) for s in NEW_VERSION_STATUSES],
        initial=DocumentStatus.DRAFT,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Agreeing this version supersedes the one it replaces."),
    )
    change_note = forms.CharField(
        label=gettext_lazy("What changed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("In a sentence or two, for the people who read this version."),
    )

    def __init__(self, *args, previous: GovernanceDocument, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous = previous
        limit = conf.max_upload_size()
        extension = os.path.splitext(previous.file.name)[1].lower()
        self.fields["file"].help_text = _("A %(type)s file, like the current version, up to %(limit)s.") % {
            "type": extension.lstrip(".").upper(),
            "limit": filesizeformat(limit),
        }
        self.fields["file"].widget.attrs["accept"] = extension

    def clean_file(self):
        upload = self.cleaned_data["file"]
        expected = os.path.splitext(self.previous.file.name)[1].lower()
        given = os.path.splitext(upload.name)[1].lower()
        if given != expected:
            raise ValidationError(
                _(
                    "The new version must be the same type of file as the current one (%(expected)s), "
                    "not %(given)s. Save it as %(expected)s and upload it again."
                ),
                params={"expected": expected.lstrip(".").upper(), "given": given.lstrip(".").upper() or "?"},
            )
        if upload.size > conf.max_upload_size():
            raise ValidationError(
                _("This file is too big. The largest file you can upload is %(limit)s."),
                params={"limit": filesizeformat(conf.max_upload_size())},
            )
        return upload

    def clean_version_label(self):
        label = self.cleaned_data["version_label"].strip()
        if GovernanceDocument.objects.filter(
            family=self.previous.family, version_label__iexact=label
        ).exists():
            raise ValidationError(
                _("Another version of this document is already called %(label)s."), params={"label": label}
            )
        return label


class NewVersionView(WagtailAdminTemplateMixin, FormView):
    template_name = "documents/admin/new_version.html"
    form_class = NewVersionForm
    header_icon = "doc-full-inverse"
    page_title = gettext_lazy("Upload a new version")

    def dispatch(self, request, *args, **kwargs):
        chosen = get_object_or_404(
            GovernanceDocument.objects.select_related("collection"), pk=kwargs["document_id"]
        )
        self.previous = latest_version(chosen)
        if not policy_registry.get_by_type(GovernanceDocument).user_has_permission_for_instance(
            request.user, "change", self.previous
        ):
            messages.error(
                request,
                _("You cannot add versions to “%(title)s”: you may not edit documents in its collection.")
                % {"title": self.previous.title},
            )
            return redirect("wagtaildocs:index")
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.previous.title

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "previous": self.previous}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["previous"] = self.previous
        context["audience"] = audience(self.request, self.previous)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                document = document_add_version(
                    previous=self.previous,
                    file=data["file"],
                    version_label=data["version_label"],
                    status=data["status"],
                    change_note=data["change_note"],
                    uploaded_by=self.request.user,
                )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Version %(label)s of “%(title)s” uploaded: %(status)s.")
            % {
                "label": document.version_label,
                "title": document.title,
                "status": document.get_status_display(),
            },
        )
        return redirect("wagtaildocs:edit", document.pk)

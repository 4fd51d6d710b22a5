"""Governance documents (MoUs, information-sharing agreements, terms of reference...) and the
library page that lists them.

``GovernanceDocument`` is the project's Wagtail document model (``WAGTAILDOCS_DOCUMENT_MODEL``),
swapped in from the first migration because Wagtail cannot change its document model later.
Business rules (agreeing a version, extracting text) live in ``services.py``; what a viewer
may see lives in ``permissions.py``; the library's queries live in ``selectors.py``.
"""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import ItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from schemes.models import Organisation, Region, SchemePage, Workstream
from serving.pages import ServedPage

from .uploads import check_upload, stored_file_name


class DocumentKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    INFORMATION_SHARING_AGREEMENT = "isa", _("Information-sharing agreement")
    TERMS_OF_REFERENCE = "terms_of_reference", _("Terms of reference")
    DPIA = "dpia", _("Data protection impact assessment")
    TEMPLATE = "template", _("Template")
    GUIDANCE = "guidance", _("Guidance")
    OTHER = "other", _("Other")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_CONSULTATION = "in_consultation", _("In consultation")
    AGREED = "agreed", _("Agreed")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# What the library lists by default: the versions a partnership works to today (or is
# consulting on). Drafts are never listed to members; see permissions.py.
CURRENT_STATUSES = (DocumentStatus.IN_CONSULTATION, DocumentStatus.AGREED)
LISTED_STATUSES = (
    DocumentStatus.IN_CONSULTATION,
    DocumentStatus.AGREED,
    DocumentStatus.SUPERSEDED,
    DocumentStatus.WITHDRAWN,
)


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be read")
    RUNNING = "running", _("Being read")
    DONE = "done", _("Text extracted")
    PARTIAL = "partial", _("Text extracted in part")
    FAILED = "failed", _("Text could not be read")


def document_upload_to(instance, filename: str) -> str:
    """Store every file under ``documents/`` with a name that is safe on any storage."""
    return os.path.join("documents", stored_file_name(filename))


class DocumentWorkstream(ItemBase):
    """Tags a governance document with a workstream from the curated vocabulary."""

    tag = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="tagged_documents")
    content_object = ParentalKey(
        "documents.GovernanceDocument", on_delete=models.CASCADE, related_name="tagged_workstreams"
    )

    class Meta:
        verbose_name = _("document workstream")
        verbose_name_plural = _("document workstreams")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_workstream_per_document")
        ]


class GovernanceDocument(AbstractDocument, ClusterableModel):
    """An MoU, information-sharing agreement, terms of reference or other governance document.

    Versions of one document form a *family* (sharing ``family``); each new version points at
    the one it ``replaces``. Agreeing a version supersedes the one it replaces (see
    ``services.document_agree``).
    """

    file = models.FileField(upload_to=document_upload_to, max_length=255, verbose_name=_("file"))

    # What the document is.
    kind = models.CharField(
        _("kind"), max_length=30, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("What the document is for and who agreed it, in a sentence or two."),
    )
    workstreams = ClusterTaggableManager(
        through=DocumentWorkstream,
        blank=True,
        verbose_name=_("workstreams"),
        help_text=_("The workstreams this document covers."),
        related_name="governance_documents",
    )

    # Whose it is and where it applies.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_governance_documents",
    )
    scheme = models.ForeignKey(
        SchemePage,
        verbose_name=_("scheme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="governance_documents",
        help_text=_("The scheme whose document this is. Leave empty for national templates and guidance."),
    )
    region = models.CharField(
        _("region"),
        max_length=40,
        choices=Region.choices,
        blank=True,
        help_text=_("Leave empty to use the region of the scheme or the owning organisation."),
    )
    signatories = models.ManyToManyField(
        Organisation,
        verbose_name=_("signatory organisations"),
        blank=True,
        related_name="signed_governance_documents",
    )
    adopted_by = models.ManyToManyField(
        SchemePage,
        verbose_name=_("adopted by schemes"),
        blank=True,
        related_name="adopted_governance_documents",
        help_text=_("Other schemes that reused this document as the basis of their own."),
    )

    # Where it stands, and which version it is.
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    version_label = models.CharField(
        _("version"), max_length=50, blank=True, help_text=_("For example: 2.1, or 2024 revision.")
    )
    change_note = models.TextField(
        _("what changed"), blank=True, help_text=_("What changed since the version this one replaces.")
    )
    effective_date = models.DateField(_("effective from"), null=True, blank=True)
    effective_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False, db_index=True)
    review_date = models.DateField(_("review due"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text=_("The earlier version this one replaces. Agreeing this version supersedes it."),
    )
    family = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    adapted_from = models.ForeignKey(
        "self",
        verbose_name=_("adapted from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adaptations",
        help_text=_(
            "Another scheme's document this one was adapted from (its MoU, say): the original's page "
            "then lists this one, and the two can be compared clause by clause."
        ),
    )

    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    admin_form_fields = Document.admin_form_fields + (
        "kind",
        "summary",
        "workstreams",
        "organisation",
        "scheme",
        "region",
        "signatories",
        "adopted_by",
        "status",
        "version_label",
        "change_note",
        "effective_date",
        "review_date",
        "replaces",
        "adapted_from",
    )

    search_fields = AbstractDocument.search_fields + [
        index.SearchField("summary", boost=3),
        index.SearchField("version_label"),
        # The text lives in its own row (DocumentText); the extraction task re-indexes the
        # document when it has read it (services.document_extract_text).
        index.RelatedFields("extraction", [index.SearchField("text", boost=0.5)]),
        index.RelatedFields("organisation", [index.SearchField("name")]),
        index.RelatedFields("scheme", [index.SearchField("title")]),
        index.RelatedFields("workstreams", [index.SearchField("name", boost=2)]),
        index.SearchField("search_names"),
        index.FilterField("kind"),
        index.FilterField("status"),
        index.FilterField("organisation"),
        index.FilterField("scheme"),
        index.FilterField("region"),
        index.FilterField("effective_year"),
        index.FilterField("effective_date"),
        index.FilterField("review_date"),
        index.FilterField("family"),
    ]

    class Meta(AbstractDocument.Meta):
        verbose_name = _("governance document")
        verbose_name_plural = _("governance documents")
        permissions = [("choose_governancedocument", "Can choose governance document")]
        indexes = [
            models.Index(fields=["status", "kind"], name="governancedoc_status_kind"),
            models.Index(fields=["family", "status"], name="governancedoc_family_status"),
        ]

    def clean(self):
        super().clean()
        if self.adapted_from_id and (
            self.adapted_from_id == self.pk or (self.pk and self.adapted_from.family == self.family)
        ):
            raise ValidationError(
                {
                    "adapted_from": _(
                        "Choose another scheme's document: this is a version of the same document."
                    )
                }
            )
        # Only a newly chosen file is checked: one already stored passed when it arrived.
        if self.file and not getattr(self.file, "_committed", True):
            try:
                check_upload(self.file.file, name=self.file.name)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from error

    def save(self, *args, **kwargs):
        # A stored copy of the year keeps "year" a plain filter for every search backend.
        self.effective_year = self.effective_date.year if self.effective_date else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "effective_date" in update_fields:
            kwargs["update_fields"] = {*update_fields, "effective_year"}
        super().save(*args, **kwargs)

    def search_names(self) -> str:
        """The names people would type for it that its fields hold as codes or elsewhere: its
        kind, status, version, region, scheme and signatories (for the search index)."""
        names = [self.get_kind_display(), self.get_status_display(), self.get_region_display()]
        if self.version_label:
            names.append(f"version {self.version_label}")
        if self.pk:
            names += [organisation.name for organisation in self.signatories.all()]
        return " ".join(str(name) for name in names if name)

    @property
    def extraction_record(self) -> "DocumentText":
        """The document's ``DocumentText``, or an unsaved "waiting to be read" one if it has none
        yet (nothing is cached on the document, so a later read finds the saved row)."""
        try:
            return self.extraction
        except DocumentText.DoesNotExist:
            return DocumentText(document_id=self.pk)

    @property
    def slug(self) -> str:
        return slugify(self.title)[:80] or "document"

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES

    @property
    def has_text(self) -> bool:
        return self.extraction_record.has_text

    @property
    def personal_data_unchecked(self) -> bool:
        return self.extraction_record.personal_data_unchecked


class DocumentText(models.Model):
    """What was read from a document's file: its text, how the reading went and the
    personal-data scan of it.

    Kept out of ``GovernanceDocument`` so that listings never load the text and an editor's
    save of the document (whenever its form was loaded) never writes over what the extraction
    task found. Written by ``services.document_extract_text`` and the editor's personal-data
    confirmation only.
    """

    document = models.OneToOneField(
        GovernanceDocument,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="extraction",
        verbose_name=_("document"),
    )
    text = models.TextField(_("extracted text"), blank=True)
    status = models.CharField(
        _("text extraction"),
        max_length=10,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PENDING,
    )
    message = models.TextField(_("extraction message"), blank=True)
    # The file the text was read from (``GovernanceDocument.file_hash`` when it was read).
    file_hash = models.CharField(max_length=40, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    duration = models.DurationField(null=True, blank=True, help_text=_("How long the reading took."))
    page_count = models.PositiveIntegerField(null=True, blank=True)
    personal_data_findings = models.JSONField(default=list, blank=True)
    personal_data_checked_at = models.DateTimeField(null=True, blank=True)
    personal_data_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document text")
        verbose_name_plural = _("document texts")
        indexes = [models.Index(fields=["status", "started_at"], name="documenttext_status_started")]

    def __str__(self):
        return f"Text of document {self.document_id}"

    @property
    def has_text(self) -> bool:
        return self.status in (ExtractionStatus.DONE, ExtractionStatus.PARTIAL)

    @property
    def personal_data_unchecked(self) -> bool:
        return bool(self.personal_data_findings) and self.personal_data_checked_at is None


class DocumentLibraryPage(ServedPage, RoutablePageMixin, Page):
    """The library of MoUs and other governance documents, and a page for each document.

    One page serves the listing (``/library/``), each document (``/library/<id>-<slug>/``) and
    comparisons between versions (``/library/<id>/compare/?a=&b=``): documents are Wagtail
    documents, not pages, so the library routes to them itself.
    """

    introduction = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("Shown above the search and filters."),
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    # Listing, document pages and comparisons depend on the viewer's groups, approval and
    # passed collection passwords only; downloads stream and are never stored.
    cache_per_audience = True

    class Meta:
        verbose_name = _("document library page")

    def get_view_restrictions(self):
        """Evaluated once per request: Wagtail's hook and the site's own both ask for them."""
        cached = getattr(self, "_view_restrictions", None)
        if cached is None:
            cached = super().get_view_restrictions()
            list(cached)
            self._view_restrictions = cached
        return cached

    def document_url(self, document, request=None) -> str:
        base = self.get_url(request) if request is not None else self.url
        return base + f"{document.pk}-{document.slug}/"

    @path("", name="index")
    def index_route(self, request):
        from .views import library_index

        return library_index(self, request)

    @re_path(r"^(?P<document_id>\d+)-(?P<slug>[-\w]*)/$", name="document")
    def document_route(self, request, document_id, slug):
        from .views import document_detail

        return document_detail(self, request, int(document_id), slug)

    @re_path(r"^(?P<document_id>\d+)/$", name="document_short")
    def document_short_route(self, request, document_id):
        from .views import document_detail

        return document_detail(self, request, int(document_id), None)

    @re_path(r"^(?P<document_id>\d+)/compare/$", name="compare")
    def compare_route(self, request, document_id):
        from .views import document_compare

        return document_compare(self, request, int(document_id))

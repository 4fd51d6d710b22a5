"""Solutions, guides and the knowledge index.

``KnowledgePage`` holds what solutions and guides share (summary, workstreams, organisations,
schemes, owner and review dates), so that listings, hubs and the review dashboard read both
page types in one query. It is not created on its own.

Dependencies point one way (DESIGN.md): this app names schemes, organisations, workstreams and
governance documents; none of them names it. Their pages reach solutions through the reverse
relations defined here (``scheme.solutions``, ``organisation.knowledge_pages``,
``workstream.tagged_knowledge``, ``document.knowledge_links``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import ItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from documents.models import GovernanceDocument
from schemes.models import Organisation, SchemePage, Workstream
from serving.pages import ServedPage

from .blocks import BodyBlock, ContactsBlock

RICH_TEXT = ["bold", "italic", "link", "ol", "ul"]


class EvidenceStrength(models.TextChoices):
    UNTESTED = "untested", _("Untested")
    EVALUATED_LOCALLY = "evaluated_locally", _("Evaluated locally")
    INDEPENDENTLY_EVALUATED = "independently_evaluated", _("Independently evaluated")


class Outcome(models.TextChoices):
    WORKED = "worked", _("Worked")
    PROMISING = "promising", _("Promising")
    INNOVATIVE = "innovative", _("New or innovative")
    DID_NOT_WORK = "did_not_work", _("Did not work")


class KnowledgeWorkstream(ItemBase):
    """Tags a solution or guide with a workstream from the curated vocabulary."""

    tag = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="tagged_knowledge")
    content_object = ParentalKey(
        "knowledge.KnowledgePage", on_delete=models.CASCADE, related_name="tagged_workstreams"
    )

    class Meta:
        verbose_name = _("knowledge workstream")
        verbose_name_plural = _("knowledge workstreams")
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="unique_workstream_per_knowledge_page"
            )
        ]


class KnowledgePage(ServedPage, Page):
    """What solutions and guides have in common. Not created on its own."""

    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences shown in listings and search.")
    )
    workstreams = ClusterTaggableManager(
        through=KnowledgeWorkstream,
        blank=True,
        verbose_name=_("workstreams"),
        help_text=_("The workstreams this covers."),
        related_name="knowledge_pages",
    )
    organisations = ParentalManyToManyField(
        Organisation, verbose_name=_("contributing organisations"), related_name="knowledge_pages", blank=True
    )
    contributing_schemes = ParentalManyToManyField(
        SchemePage, verbose_name=_("contributing schemes"), related_name="solutions", blank=True
    )
    content_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_knowledge_pages",
        help_text=_("The person who keeps this up to date. They are e-mailed when a review falls due."),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review = models.DateField(_("next review due"), null=True, blank=True, db_index=True)

    is_creatable = False
    parent_page_types = ["knowledge.KnowledgeIndexPage"]
    subpage_types = []

    review_panels = [
        FieldPanel("content_owner"),
        FieldRowPanel([FieldPanel("last_reviewed"), FieldPanel("next_review")]),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.AutocompleteField("summary"),
        index.RelatedFields("workstreams", [index.SearchField("name", boost=2)]),
        index.RelatedFields("organisations", [index.SearchField("name")]),
        index.RelatedFields("contributing_schemes", [index.SearchField("title")]),
        index.FilterField("next_review"),
    ]
    # Shared per audience (serving.page_cache): what surrounds the text depends only on what
    # the viewer may see (kept per visibility), and document links in the body are shown by
    # the library's own rule, which the audience decides. Nothing of the person, no form.
    cache_per_audience = True

    class Meta:
        verbose_name = _("knowledge page")

    body_template = ""  # each kind's page body, rendered without the request (get_context)

    def body_context(self, visibility) -> dict:
        """What the body shows beside the page's own fields, for ``visibility``."""
        return {}

    def get_context(self, request, *args, **kwargs):
        from documents.permissions import can_edit_documents
        from serving.visibility import kept_fragment

        context = super().get_context(request, *args, **kwargs)
        # Everything below the chrome is the same for everyone who may see the same pages and
        # documents (drafts of documents linked in the body only for those who edit them):
        # rendered once per content version and visibility (serving.visibility).
        may_edit_documents = can_edit_documents(request)

        def build(visibility):
            body = {"page": self, "visibility": visibility, "may_edit_documents": may_edit_documents}
            return {**body, **self.body_context(visibility)}, {}

        context["knowledge_body"] = kept_fragment(
            request, "knowledge-page", (self.pk, may_edit_documents), self.body_template, build
        )
        return context

    def clean(self):
        super().clean()
        if self.last_reviewed and self.next_review and self.next_review < self.last_reviewed:
            raise ValidationError({"next_review": _("The next review must come after the last one.")})

    @classmethod
    def site_search_facets(cls, pks) -> dict:
        """Workstreams and organisations (and for solutions evidence and outcome) of these
        pages, for the site search's filters: three queries whatever the number of pages."""
        facets: dict[int, dict[str, list]] = {pk: {"workstream": [], "organisation": []} for pk in pks}
        tagged = (
            KnowledgeWorkstream.objects.filter(content_object_id__in=pks)
            .order_by("tag__name")
            .values_list("content_object_id", "tag__slug", "tag__name")
        )
        for pk, slug, name in tagged:
            facets[pk]["workstream"].append((slug, name))
        organisations = (
            KnowledgePage.organisations.through.objects.filter(knowledgepage_id__in=pks)
            .order_by("organisation__name")
            .values_list("knowledgepage_id", "organisation__slug", "organisation__name")
        )
        for pk, slug, name in organisations:
            facets[pk]["organisation"].append((slug, name))
        evidence = dict(EvidenceStrength.choices)
        outcomes = dict(Outcome.choices)
        for pk, strength, outcome in SolutionPage.objects.filter(pk__in=pks).values_list(
            "pk", "evidence_strength", "outcome"
        ):
            facets[pk]["evidence"] = [(strength, str(evidence.get(strength, strength)))]
            facets[pk]["outcome"] = [(outcome, str(outcomes.get(outcome, outcome)))]
        return {pk: {name: tuple(values) for name, values in row.items()} for pk, row in facets.items()}


class SolutionPage(KnowledgePage):
    """A write-up of a shared problem and how a scheme solved it."""

    problem = RichTextField(_("the problem"), features=RICH_TEXT)
    context = RichTextField(
        _("the context"),
        features=RICH_TEXT,
        blank=True,
        help_text=_("Where, who was involved, what was in place."),
    )
    what_was_done = StreamField(BodyBlock(), verbose_name=_("what was done"), blank=True)
    outcome_summary = RichTextField(
        _("the outcome"),
        features=RICH_TEXT,
        blank=True,
        help_text=_("What changed, with figures where you have them."),
    )
    evidence_strength = models.CharField(
        _("evidence strength"),
        max_length=30,
        choices=EvidenceStrength.choices,
        default=EvidenceStrength.UNTESTED,
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PROMISING
    )
    contacts = StreamField(ContactsBlock(), verbose_name=_("contacts"), blank=True)
    # Where a draft came from when a national editor turned a resolved forum question into it
    # (``knowledge.services.solution_draft_from_discussion``): a key naming the source once
    # (a second request finds this page), its address and title for editors, and the public
    # line shown on the page ("From a discussion in ...": empty when the group is private).
    source_key = models.CharField(max_length=100, blank=True, default="", editable=False)
    source_url = models.CharField(_("discussion"), max_length=300, blank=True, default="")
    source_title = models.CharField(_("discussion title"), max_length=300, blank=True, default="")
    source_note = models.CharField(
        _("shown on the page"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("Empty when the discussion was in a private group: nothing about it is shown."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("problem"),
        FieldPanel("context"),
        FieldPanel("what_was_done"),
        MultiFieldPanel(
            [
                FieldPanel("outcome_summary"),
                InlinePanel("figures", label=_("Figure")),
                FieldRowPanel([FieldPanel("outcome"), FieldPanel("evidence_strength")]),
            ],
            heading=_("Outcome"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("workstreams"),
                FieldPanel("contributing_schemes", widget=CheckboxSelectMultiple),
                FieldPanel("organisations"),
            ],
            heading=_("Workstreams, schemes and organisations"),
        ),
        FieldPanel("contacts"),
        InlinePanel("related_documents", label=_("Related document"), heading=_("Related documents")),
        MultiFieldPanel(KnowledgePage.review_panels, heading=_("Review")),
        MultiFieldPanel(
            [
                FieldPanel("source_title", read_only=True),
                FieldPanel("source_url", read_only=True),
                FieldPanel("source_note"),
            ],
            heading=_("From a forum discussion"),
            classname="collapsed",
        ),
    ]
    search_fields = KnowledgePage.search_fields + [
        index.SearchField("problem"),
        index.SearchField("context"),
        index.SearchField("what_was_done"),
        index.SearchField("outcome_summary"),
        index.FilterField("evidence_strength"),
        index.FilterField("outcome"),
    ]
    parent_page_types = ["knowledge.KnowledgeIndexPage"]
    subpage_types = []
    is_creatable = True

    class Meta:
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~models.Q(source_key=""),
                name="knowledge_solution_source_once",
            )
        ]

    search_label = _("Solution")  # in the site search's results and filters
    search_boost = 0.1

    body_template = "knowledge/includes/solution_body.html"

    def body_context(self, visibility) -> dict:
        from .selectors import page_facts, related_documents_for, related_knowledge_for, scheme_uses_for

        facts = page_facts(self)
        return {
            "workstream_list": facts["workstreams"],
            "figure_list": facts["figures"],
            "organisation_list": facts["organisations"],
            "scheme_list": scheme_uses_for(visibility, self),
            "document_list": related_documents_for(visibility, self),
            "related_list": related_knowledge_for(visibility, self),
        }


class SolutionFigure(Orderable):
    """One figure of a solution's outcome: "62%" / "less time to share information"."""

    page = ParentalKey(SolutionPage, on_delete=models.CASCADE, related_name="figures")
    value = models.CharField(_("figure"), max_length=40, help_text=_("For example: 62%, 3 days, £12,000."))
    label = models.CharField(_("what it measures"), max_length=200)

    panels = [FieldRowPanel([FieldPanel("value"), FieldPanel("label")])]

    class Meta(Orderable.Meta):
        verbose_name = _("figure")


class SolutionDocument(Orderable):
    """A governance document related to a solution (the MoU or ISA it relied on...)."""

    page = ParentalKey(SolutionPage, on_delete=models.CASCADE, related_name="related_documents")
    document = models.ForeignKey(
        GovernanceDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="knowledge_links",
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("related document")
        constraints = [
            models.UniqueConstraint(fields=["page", "document"], name="unique_document_per_solution")
        ]


class GuidePage(KnowledgePage):
    """How-to guidance: setting up a workstream, running a local users' group..."""

    body = StreamField(BodyBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("workstreams"),
                FieldPanel("contributing_schemes", widget=CheckboxSelectMultiple),
                FieldPanel("organisations"),
            ],
            heading=_("Workstreams, schemes and organisations"),
        ),
        MultiFieldPanel(KnowledgePage.review_panels, heading=_("Review")),
    ]
    search_fields = KnowledgePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["knowledge.KnowledgeIndexPage"]
    subpage_types = []
    is_creatable = True

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    search_label = _("Guide")  # in the site search's results and filters
    search_boost = 0.1

    body_template = "knowledge/includes/guide_body.html"

    def body_context(self, visibility) -> dict:
        from .selectors import page_facts

        facts = page_facts(self)
        return {"workstream_list": facts["workstreams"], "organisation_list": facts["organisations"]}


class KnowledgeIndexPage(ServedPage, Page):
    """Lists solutions and guides, with filters by workstream, organisation, evidence and outcome."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["knowledge.SolutionPage", "knowledge.GuidePage"]
    max_count = 1
    # Shared per audience: the filters, counts and results depend only on what the viewer may
    # see (kept per visibility, rendered without the request); the form is a GET, no token.
    cache_per_audience = True

    class Meta:
        verbose_name = _("knowledge index page")

    def get_context(self, request, *args, **kwargs):
        from serving.visibility import kept_fragment

        from .selectors import SORTS, KnowledgeFilters, knowledge_listing

        context = super().get_context(request, *args, **kwargs)
        filters = KnowledgeFilters.from_querydict(request.GET)
        index_url = self.get_url(request)

        def build(visibility):
            listing = knowledge_listing(visibility, self, filters)
            body = {"listing": listing, "filters": listing.filters, "sorts": SORTS, "index_url": index_url}
            facts = {
                "total": listing.total,
                "number": listing.page.number,
                "pages": listing.page.paginator.num_pages,
                "is_filtered": listing.filters.is_filtered,
            }
            return body, facts

        # The filters, counts and results are the same for everyone who may see the same
        # pages: rendered once per content version and visibility (serving.visibility).
        context["listing_body"] = kept_fragment(
            request,
            "knowledge-index",
            (self.pk, index_url, filters),
            "knowledge/includes/listing_body.html",
            build,
        )
        return context


class ReviewReminder(models.Model):
    """One reminder e-mail sent to a page's owner for one review date (or for a missing one)."""

    page = models.ForeignKey(KnowledgePage, on_delete=models.CASCADE, related_name="review_reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("review due"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review reminder")
        constraints = [
            models.UniqueConstraint(fields=["page", "due_on"], name="unique_reminder_per_review_date"),
            models.UniqueConstraint(
                fields=["page"],
                condition=models.Q(due_on__isnull=True),
                name="unique_reminder_for_missing_date",
            ),
        ]

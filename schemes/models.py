"""The shared taxonomy: partner organisations and the workstream vocabulary.

Every other app points here (DESIGN.md, "Dependencies point one way"), so these models hold
only what identifies an organisation or a workstream, never what other apps attach to them.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TagBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from serving.pages import ServedPage


class OrganisationKind(models.TextChoices):
    POLICE_FORCE = "police_force", _("Police force")
    DISTRICT_COUNCIL = "district_council", _("District or borough council")
    COUNTY_COUNCIL = "county_council", _("County council")
    UNITARY_AUTHORITY = "unitary_authority", _("Unitary authority")
    FIRE_AND_RESCUE = "fire_and_rescue", _("Fire and rescue service")
    TRADING_STANDARDS = "trading_standards", _("Trading standards")
    CRIMINAL_JUSTICE_BOARD = "criminal_justice_board", _("Criminal justice board")
    PCC_OFFICE = "pcc_office", _("Police and crime commissioner's office")
    SOCIAL_LANDLORD = "social_landlord", _("Registered social landlord")
    ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
    MENTAL_HEALTH_TRUST = "mental_health_trust", _("Mental health trust")
    ENVIRONMENTAL_HEALTH = "environmental_health", _("Environmental health")
    SUPPLIER = "supplier", _("Supplier")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    NATIONAL = "national", _("National")
    NORTH_EAST = "north_east", _("North East")
    NORTH_WEST = "north_west", _("North West")
    YORKSHIRE = "yorkshire", _("Yorkshire and the Humber")
    EAST_MIDLANDS = "east_midlands", _("East Midlands")
    WEST_MIDLANDS = "west_midlands", _("West Midlands")
    EAST = "east", _("East of England")
    LONDON = "london", _("London")
    SOUTH_EAST = "south_east", _("South East")
    SOUTH_WEST = "south_west", _("South West")
    WALES = "wales", _("Wales")
    SCOTLAND = "scotland", _("Scotland")
    NORTHERN_IRELAND = "northern_ireland", _("Northern Ireland")


domain_validator = RegexValidator(
    regex=r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    message=_("Enter a domain such as sussex.police.uk, without @ or www."),
)


class Organisation(index.Indexed, ClusterableModel):
    """A partner body whose staff use the forum.

    Its e-mail domains are how a sign-up is matched to it; several organisations may share a
    domain (two councils with a joint IT service), in which case the person chooses.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    region = models.CharField(_("region"), max_length=40, choices=Region.choices)
    website = models.URLField(_("website"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("region"),
        FieldPanel("website"),
        InlinePanel("email_domains", label=_("E-mail domains"), heading=_("E-mail domains")),
    ]
    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
        index.FilterField("region"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not self.slug:
            self.slug = slugify(self.name)[:200]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)


class OrganisationEmailDomain(models.Model):
    """An e-mail domain whose addresses belong to the organisation's staff."""

    organisation = ParentalKey(Organisation, on_delete=models.CASCADE, related_name="email_domains")
    domain = models.CharField(
        _("domain"),
        max_length=253,
        validators=[domain_validator],
        help_text=_("Addresses at this domain and its subdomains belong to this organisation."),
    )

    panels = [FieldPanel("domain")]

    class Meta:
        ordering = ["domain"]
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        constraints = [
            models.UniqueConstraint("organisation", Lower("domain"), name="unique_domain_per_organisation")
        ]

    def __str__(self):
        return self.domain

    def clean_fields(self, exclude=None):
        # Normalise before the validator sees it: editors paste "@Example.gov.uk ".
        self.domain = (self.domain or "").strip().lower().removeprefix("@")
        super().clean_fields(exclude=exclude)


class Workstream(TagBase):
    """The curated vocabulary everything is tagged with (anti-social behaviour, hate crime...).

    ``free_tagging = False``: authors choose from the list; only editors add workstreams.
    """

    free_tagging = False

    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("workstream")
        verbose_name_plural = _("workstreams")

    def get_absolute_url(self) -> str:
        """Its hub: a stable address served by the knowledge section, named rather than
        imported (schemes never imports the apps that build on it)."""
        try:
            return reverse("knowledge:workstream", args=[self.slug])
        except NoReverseMatch:
            return ""


class WorkstreamUse(models.TextChoices):
    LIVE = "live", _("Live")
    PILOT = "pilot", _("Pilot")
    PLANNED = "planned", _("Planned")


class ContactBlock(blocks.StructBlock):
    """Someone to ask about a scheme: a work address or telephone only, both optional."""

    name = blocks.CharBlock(label=_("Name"), max_length=200)
    role = blocks.CharBlock(label=_("Role"), max_length=200, required=False)
    organisation = blocks.CharBlock(label=_("Organisation"), max_length=200, required=False)
    email = blocks.EmailBlock(label=_("Work e-mail"), required=False)
    phone = blocks.CharBlock(label=_("Work telephone"), max_length=40, required=False)

    class Meta:
        icon = "user"
        template = "schemes/includes/contact.html"


class SchemeIndexPage(ServedPage, RoutablePageMixin, Page):
    """Lists the schemes that use the shared case system, filtered by region and workstream,
    and the national usage matrix (schemes down, workstreams across), also as CSV
    (``matrix-csv/``: Wagtail serves page routes of words and slashes only). What it shows depends only on the viewer's audience (which scheme pages
    they may see), so every route is shared per audience by the page caches."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["schemes.SchemePage"]
    max_count = 1
    cache_per_audience = True

    class Meta:
        verbose_name = _("scheme index page")

    @path("", name="index")
    def index_route(self, request):
        from .views import scheme_index

        return scheme_index(self, request)

    @path("matrix-csv/", name="matrix_csv")
    def matrix_csv_route(self, request):
        from .views import matrix_csv

        return matrix_csv(self, request)


class SchemePage(ServedPage, Page):
    """One local partnership using the case system, e.g. Pan-Sussex.

    Its current MoU and its forum groups point at it from their own apps (DESIGN.md): this
    page shows them through reverse relations, never by importing those apps.
    """

    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences shown in listings and search.")
    )
    lead_force = models.ForeignKey(
        Organisation,
        verbose_name=_("lead force"),
        on_delete=models.PROTECT,
        related_name="led_schemes",
        limit_choices_to={"kind": OrganisationKind.POLICE_FORCE},
    )
    region = models.CharField(_("region"), max_length=40, choices=Region.choices)
    # Which organisations are partners, for queries across schemes (search facets, figures):
    # kept in step with the ``partner_roles`` rows editors fill in (``sync_partners``).
    partners = ParentalManyToManyField(
        Organisation, verbose_name=_("partner organisations"), related_name="schemes", blank=True
    )
    body = RichTextField(
        _("about the scheme"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )

    # Governance: how the partnership is run.
    steering_group = models.TextField(
        _("steering group"),
        blank=True,
        max_length=600,
        help_text=_("Who sits on the steering group and what it decides, in a sentence or two."),
    )
    steering_group_chair = models.CharField(
        _("chair's role"),
        max_length=200,
        blank=True,
        help_text=_("A role, not a name: for example, chief superintendent, Sussex Police."),
    )
    meeting_cadence = models.CharField(
        _("steering group meets"), max_length=100, blank=True, help_text=_("For example: every quarter.")
    )
    supplier_attendance = models.CharField(
        _("supplier attends"),
        max_length=100,
        blank=True,
        help_text=_("How often the supplier attends: for example, half the meetings."),
    )
    contacts = StreamField(
        [("contact", ContactBlock())],
        verbose_name=_("contacts"),
        blank=True,
        help_text=_("Work contact details only, shown to everyone who may see this page."),
    )
    successes = StreamField(
        [("success", blocks.CharBlock(max_length=300, label=_("Success")))],
        verbose_name=_("successes"),
        blank=True,
        help_text=_("Short items: what the scheme achieved, with a figure where there is one."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("lead_force"),
        FieldPanel("region"),
        FieldPanel("body"),
        InlinePanel("partner_roles", heading=_("Partners"), label=_("Partner")),
        MultiFieldPanel(
            [
                FieldPanel("steering_group"),
                FieldPanel("steering_group_chair"),
                FieldPanel("meeting_cadence"),
                FieldPanel("supplier_attendance"),
            ],
            heading=_("Governance"),
        ),
        InlinePanel("workstream_uses", heading=_("Workstreams in use"), label=_("Workstream")),
        FieldPanel("contacts"),
        FieldPanel("successes"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.FilterField("region"),
        index.FilterField("lead_force"),
        index.RelatedFields("lead_force", [index.SearchField("name")]),
        index.SearchField("search_names", boost=1.5),
    ]
    parent_page_types = ["schemes.SchemeIndexPage"]
    subpage_types = []
    cache_per_audience = True

    class Meta:
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")

    # The site search: what people call it, and the names they would type for it.
    search_label = _("Scheme")
    search_boost = 0.1

    def search_names(self) -> str:
        """Its lead force, partners, region and workstreams, for the search index."""
        names = [self.lead_force.name if self.lead_force_id else "", self.get_region_display()]
        if self.pk:
            names += [partner.name for partner in self.partners.all()]
            names += [use.workstream.name for use in self.workstream_uses.select_related("workstream")]
        return " ".join(filter(None, names))

    @classmethod
    def site_search_facets(cls, pks) -> dict:
        """Workstreams in use and organisations (lead force, then partners) of these schemes,
        for the site search's filters: two queries whatever the number of schemes."""
        workstreams: dict[int, dict[str, str]] = {pk: {} for pk in pks}
        uses = (
            SchemeWorkstreamUse.objects.filter(scheme_id__in=pks)
            .order_by("sort_order")
            .values_list("scheme_id", "workstream__slug", "workstream__name")
        )
        for pk, slug, name in uses:
            workstreams[pk][slug] = name
        organisations: dict[int, dict[str, str]] = {pk: {} for pk in pks}
        # Lead forces (rank 0) first, then partners by name, in one query.
        leads = (
            cls.objects.filter(pk__in=pks)
            .order_by()
            .annotate(rank=models.Value(0))
            .values_list("pk", "lead_force__slug", "lead_force__name", "rank")
        )
        partners = (
            cls.partners.through.objects.filter(schemepage_id__in=pks)
            .order_by()
            .annotate(rank=models.Value(1))
            .values_list("schemepage_id", "organisation__slug", "organisation__name", "rank")
        )
        for pk, slug, name, _rank in sorted(
            leads.union(partners, all=True), key=lambda row: (row[3], row[2])
        ):
            organisations[pk].setdefault(slug, name)
        return {
            pk: {
                "workstream": tuple(workstreams[pk].items()),
                "organisation": tuple(organisations[pk].items()),
            }
            for pk in pks
        }

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.sync_partners()

    def sync_partners(self) -> None:
        """Keep ``partners`` to the organisations of the partner rows, when there are rows (a
        scheme whose partners were only ever set directly keeps them)."""
        organisation_ids = [row.organisation_id for row in self.partner_roles.all() if row.organisation_id]
        if organisation_ids and set(organisation_ids) != {o.pk for o in self.partners.all()}:
            type(self).partners.through.objects.filter(schemepage_id=self.pk).delete()
            type(self).partners.through.objects.bulk_create(
                [
                    type(self).partners.through(schemepage_id=self.pk, organisation_id=pk)
                    for pk in dict.fromkeys(organisation_ids)
                ]
            )

    def get_context(self, request, *args, **kwargs):
        from .selectors import scheme_body

        context = super().get_context(request, *args, **kwargs)
        context["scheme_body"] = scheme_body(request, self)
        return context


class SchemePartner(Orderable):
    """A partner organisation of a scheme, its role in the scheme and when it joined."""

    scheme = ParentalKey(SchemePage, on_delete=models.CASCADE, related_name="partner_roles")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="scheme_roles"
    )
    role = models.CharField(
        _("role in the scheme"),
        max_length=200,
        blank=True,
        help_text=_("For example: lead partner, signatory, hosts the users' group."),
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True)

    panels = [FieldPanel("organisation"), FieldPanel("role"), FieldPanel("joined_on")]

    class Meta(Orderable.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "organisation"], name="unique_partner_per_scheme")
        ]

    def __str__(self):
        return str(self.organisation) if self.organisation_id else ""


class SchemeWorkstreamUse(Orderable):
    """A workstream a scheme runs on the case system, and how far along it is."""

    scheme = ParentalKey(SchemePage, on_delete=models.CASCADE, related_name="workstream_uses")
    workstream = models.ForeignKey(
        Workstream, verbose_name=_("workstream"), on_delete=models.PROTECT, related_name="scheme_uses"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=WorkstreamUse.choices, default=WorkstreamUse.LIVE
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)

    panels = [FieldPanel("workstream"), FieldPanel("status"), FieldPanel("started_on")]

    class Meta(Orderable.Meta):
        verbose_name = _("workstream in use")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "workstream"], name="unique_workstream_per_scheme")
        ]

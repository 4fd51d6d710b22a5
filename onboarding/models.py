"""The onboarding route: the pathway page and its steps, each scheme's progress along it, and
requests from organisations not yet known to start a scheme.

Progress names a step by its ``key``, not its row: editors may reword, reorder or re-publish
the steps without losing any scheme's progress.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from schemes.models import Organisation, OrganisationKind, Region, SchemePage, domain_validator
from serving.pages import ServedPage

GUIDANCE_FEATURES = ["h3", "bold", "italic", "link", "ol", "ul"]


class StepLinkBlock(blocks.StreamBlock):
    """Exemplars for a step: schemes, governance documents, solutions and guides. Only what the
    viewer may see is shown (``selectors.pathway_steps``)."""

    scheme = blocks.PageChooserBlock(
        target_model="schemes.SchemePage", label=_("Exemplar scheme"), icon="group"
    )
    document = DocumentChooserBlock(label=_("Document"))
    solution = blocks.PageChooserBlock(
        target_model=["knowledge.SolutionPage", "knowledge.GuidePage"],
        label=_("Solution or guide"),
        icon="tick",
    )


class OnboardingPathwayPage(ServedPage, Page):
    """The public step-by-step route for a new scheme (steering group, MoU, partners...)."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        InlinePanel("steps", heading=_("Steps"), label=_("Step"), min_num=1),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction", boost=2),
        index.SearchField("steps_text"),
        index.AutocompleteField("title"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    # No cache_per_audience: a member sees their scheme's progress and the forms to tick it
    # (with a CSRF token). Signed-in people's responses are also marked private (serve).

    class Meta:
        verbose_name = _("onboarding pathway")

    search_label = _("Guide")  # in the site search's results and filters
    search_boost = 0.1

    def steps_text(self) -> str:
        """The steps' titles, guidance and checklists, for the search index."""
        return " ".join(
            " ".join([step.title, strip_tags(step.guidance or ""), step.checklist])
            for step in self.steps.all()
        )

    def get_context(self, request, *args, **kwargs):
        from serving.visibility import kept

        from .selectors import progress_for_viewer, shown_steps

        context = super().get_context(request, *args, **kwargs)
        # The steps and the exemplars the viewer may see, rendered once per content version and
        # visibility (serving.visibility); their scheme's progress is theirs, read every time.
        steps = kept(request, "onboarding-steps", self.pk, lambda visibility: shown_steps(visibility, self))
        member_schemes = progress_for_viewer(request, self, steps)
        context["member_schemes"] = member_schemes
        # Each step beside the viewer's schemes' progress on it, paired here, not in the template.
        context["steps"] = [
            (step, [progress.for_step(step.key) for progress in member_schemes]) for step in steps
        ]
        return context

    def serve(self, request, *args, **kwargs):
        from django.utils.cache import patch_cache_control, patch_vary_headers

        from serving.viewer import viewer_for

        response = super().serve(request, *args, **kwargs)
        if viewer_for(request).is_authenticated:
            # Their scheme's progress and the tick forms are theirs: no shared cache keeps it.
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
        return response


class OnboardingStep(Orderable):
    page = ParentalKey(OnboardingPathwayPage, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(
        _("key"),
        max_length=50,
        help_text=_(
            "A short, permanent name such as steering-group. Schemes' progress is recorded "
            "against it: do not change it once schemes have ticked the step."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    guidance = RichTextField(_("guidance"), features=GUIDANCE_FEATURES)
    checklist = models.TextField(_("checklist"), blank=True, help_text=_("One item a line."))
    links = StreamField(StepLinkBlock(), verbose_name=_("exemplars"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("key"),
        FieldPanel("guidance"),
        FieldPanel("checklist"),
        FieldPanel("links"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [models.UniqueConstraint(fields=["page", "key"], name="unique_step_key_per_pathway")]

    def __str__(self):
        return self.title

    @property
    def checklist_items(self) -> list[str]:
        return [line.strip(" -*\t") for line in self.checklist.splitlines() if line.strip(" -*\t")]


class OnboardingProgress(models.Model):
    """A step of the onboarding route that a scheme has done: who ticked it, and when."""

    scheme = models.ForeignKey(
        SchemePage, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="onboarding_progress"
    )
    step_key = models.SlugField(_("step"), max_length=50)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ticked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    done_at = models.DateTimeField(_("ticked at"), default=timezone.now)

    class Meta:
        verbose_name = _("onboarding progress")
        verbose_name_plural = _("onboarding progress")
        ordering = ["scheme", "done_at"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "step_key"], name="unique_progress_per_step")
        ]

    def __str__(self):
        return f"{self.scheme_id}: {self.step_key}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class StartSchemeRequest(models.Model):
    """An organisation not yet known asking to start a scheme (or join the forum)."""

    organisation_name = models.CharField(_("organisation"), max_length=200)
    kind = models.CharField(_("kind of organisation"), max_length=40, choices=OrganisationKind.choices)
    region = models.CharField(_("region"), max_length=40, choices=Region.choices)
    area = models.CharField(_("area covered"), max_length=200)
    email_domain = models.CharField(_("e-mail domain"), max_length=253, validators=[domain_validator])
    contact_name = models.CharField(_("contact name"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail address"))
    plans = models.TextField(_("what they plan"), max_length=3000)

    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    submitted_at = models.DateTimeField(_("sent"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation created"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("start-a-scheme request")
        verbose_name_plural = _("start-a-scheme requests")
        ordering = ["-submitted_at"]
        constraints = [
            # Two requests for one domain cannot both wait (nor race each other in).
            models.UniqueConstraint(
                Lower("email_domain"),
                condition=models.Q(status="pending"),
                name="unique_pending_request_per_domain",
            )
        ]

    def __str__(self):
        return f"{self.organisation_name} ({self.email_domain})"

    def clean(self):
        super().clean()
        if self.status == RequestStatus.DECLINED and not self.decline_reason.strip():
            raise ValidationError({"decline_reason": _("Give a reason for declining.")})

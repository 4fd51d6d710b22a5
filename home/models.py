"""The home page, standard content pages and what they share."""

from django.conf import settings
from django.db import models
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from knowledge.blocks import CalloutBlock, ContactBlock, DocumentLinkBlock, StepListBlock, table_block
from serving.pages import ServedPage
from serving.routing import route_by_url_path
from serving.viewer import viewer_for


class ContentBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title",
        label=_("Heading"),
        template="home/blocks/heading.html",
        help_text=_("A section heading (shown as a level 2 heading)."),
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
    )
    inset = blocks.RichTextBlock(
        label=_("Inset text"),
        features=["bold", "italic", "link"],
        template="home/blocks/inset.html",
        help_text=_("Information that stands apart from the text around it."),
    )
    # The blocks editors need beside text, defined once in knowledge.blocks.
    callout = CalloutBlock()
    table = table_block()
    document = DocumentLinkBlock()
    steps = StepListBlock()
    contact = ContactBlock()

    class Meta:
        template = "home/blocks/content.html"


class FooterMixin(models.Model):
    """Lets editors put a page's link in the site footer (privacy notice, accessibility...)."""

    show_in_footer = models.BooleanField(
        _("show in footer"),
        default=False,
        help_text=_("Link to this page from the footer of every page."),
    )

    promote_panels = Page.promote_panels + [FieldPanel("show_in_footer")]

    class Meta:
        abstract = True


class HomePage(ServedPage, Page):
    """The front door: who the forum is for and where to start (``home.selectors``).

    Visitors all get the same page, shared through the anonymous page cache. A signed-in
    person's page is theirs (their scheme, what changed since their last visit): ``serve``
    marks it private, so no page cache stores it, and the page type does not say
    ``cache_per_audience``.
    """

    introduction = RichTextField(
        _("introduction"),
        features=["bold", "italic", "link", "ul"],
        help_text=_("What the forum is and who it is for, shown at the top of the home page."),
    )
    new_scheme_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page for new schemes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Where a council or force that is not yet part of a scheme starts (the onboarding "
            "pathway). Left empty, the live onboarding pathway page is used if there is one."
        ),
    )

    content_panels = Page.content_panels + [FieldPanel("introduction"), PageChooserPanel("new_scheme_page")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        return route_by_url_path(self, request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .selectors import overview_body, personal_for

        context = super().get_context(request, *args, **kwargs)
        context["overview_body"] = overview_body(request, self)
        personal = personal_for(request)
        context["personal_body"] = personal
        context["personal"] = personal.facts["personal"] if personal else None
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        patch_vary_headers(response, ["Cookie"])
        if viewer_for(request).is_authenticated:
            # Per person: never stored by a page cache (serving.page_cache refuses "private").
            patch_cache_control(response, private=True, no_cache=True, max_age=0)
        return response


class HomeVisit(models.Model):
    """When a person last opened the home page, for "what changed since your last visit"
    (``home.selectors.home_visit_record``): ``seen_at`` is written at most once an hour; when
    a visit starts an hour or more after it, it moves to ``previous_seen_at``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="home_visit"
    )
    seen_at = models.DateTimeField(_("last seen the home page"))
    previous_seen_at = models.DateTimeField(_("visit before"), null=True, blank=True)

    class Meta:
        verbose_name = _("home page visit")


class StandardPage(ServedPage, FooterMixin, Page):
    """About, privacy notice, accessibility statement and other plain content pages."""

    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=400,
        help_text=_("One or two sentences shown under the title and in search results."),
    )
    body = StreamField(ContentBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    promote_panels = FooterMixin.promote_panels
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]
    cache_per_audience = True

    class Meta:
        verbose_name = _("standard page")

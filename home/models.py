"""The home page, standard content pages and what they share."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from serving.pages import ServedPage
from serving.routing import route_by_url_path


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
    """The front door: who the forum is for and where to start."""

    introduction = RichTextField(
        _("introduction"),
        features=["bold", "italic", "link", "ul"],
        help_text=_("What the forum is and who it is for, shown at the top of the home page."),
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    # What a signed-in person sees depends only on their audience (serving.page_cache).
    cache_per_audience = True

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        return route_by_url_path(self, request, path_components)


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

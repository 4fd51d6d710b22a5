"""Atom feeds of new public solutions and documents: site-wide and per workstream.

Only what an anonymous visitor may see is ever in a feed, whoever asks (a feed reader shares
what it fetched): the items are read for a request that stands for an anonymous visitor
(``public_request``), so the viewer's one rule (``serving.viewer``) hides every restricted
page and collection. Each feed costs a fixed number of queries: its items, their workstreams,
and the workstream itself for a hub's feed.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from documents.models import CURRENT_STATUSES
from documents.permissions import visibility_for
from documents.selectors import listed_documents
from schemes.models import Workstream

from .models import SolutionPage
from .selectors import document_url, visible_knowledge

ITEMS = 20


def public_request(request) -> HttpRequest:
    """A request for the same site as ``request``, from an anonymous visitor with no session."""
    public = HttpRequest()
    public.method = "GET"
    public.META = {
        key: request.META[key] for key in ("HTTP_HOST", "SERVER_NAME", "SERVER_PORT") if key in request.META
    }
    public.user = AnonymousUser()
    return public


@dataclass
class Entry:
    title: str
    link: str
    description: str
    published: object
    updated: object
    categories: tuple[str, ...]
    kind: str


def solution_entries(request, workstream=None) -> list[Entry]:
    public = public_request(request)
    pages = visible_knowledge(public, SolutionPage)
    if workstream is not None:
        pages = pages.filter(tagged_workstreams__tag=workstream)
    pages = pages.prefetch_related("workstreams").order_by(
        F("first_published_at").desc(nulls_last=True), "-pk"
    )
    return [
        Entry(
            title=page.title,
            link=page.get_url(public) or "",
            description=page.summary,
            published=page.first_published_at,
            updated=page.last_published_at or page.first_published_at,
            categories=tuple(w.name for w in page.workstreams.all()),
            kind=_("Solution"),
        )
        for page in pages[:ITEMS]
    ]


def document_entries(request, workstream=None) -> list[Entry]:
    public = public_request(request)
    documents = listed_documents(visibility_for(public)).filter(status__in=CURRENT_STATUSES)
    if workstream is not None:
        documents = documents.filter(tagged_workstreams__tag=workstream)
    documents = documents.prefetch_related("workstreams").order_by("-created_at", "-pk")
    return [
        Entry(
            title=document.title,
            link=document_url(document),
            description=document.summary,
            published=document.created_at,
            updated=document.updated_at,
            categories=tuple(w.name for w in document.workstreams.all()),
            kind=str(document.get_kind_display()),
        )
        for document in documents[:ITEMS]
    ]


class EntryFeed(Feed):
    """What every feed here shares: Atom, entries as ``Entry``."""

    feed_type = Atom1Feed

    def item_title(self, item: Entry) -> str:
        return item.title  # escaped by the feed generator: markup in a title stays text

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_description(self, item: Entry) -> str:
        return item.description

    def item_pubdate(self, item: Entry):
        return item.published

    def item_updateddate(self, item: Entry):
        return item.updated

    def item_categories(self, item: Entry):
        return (item.kind, *item.categories)

    def get_object(self, request, *args, **kwargs) -> "Subject":
        # The feed object is shared by every request: what one request needs travels here.
        return Subject(request)


@dataclass(frozen=True)
class Subject:
    request: HttpRequest
    workstream: Workstream | None = None


class SolutionsFeed(EntryFeed):
    def title(self):
        return _("New solutions – Community safety best-practice forum")

    def subtitle(self):
        return _("Solutions to shared problems, newest first.")

    def link(self):
        return "/"

    def items(self, subject):
        return solution_entries(subject.request)


class DocumentsFeed(EntryFeed):
    def title(self):
        return _("New governance documents – Community safety best-practice forum")

    def subtitle(self):
        return _("MoUs, information-sharing agreements and other documents in force or in consultation.")

    def link(self):
        return "/"

    def items(self, subject):
        return document_entries(subject.request)


class WorkstreamFeed(EntryFeed):
    """New solutions and documents of one workstream, newest first."""

    def get_object(self, request, slug):
        workstream = Workstream.objects.filter(slug=slug).first()
        if workstream is None:
            raise Http404(_("There is no workstream at this address."))
        return Subject(request, workstream)

    def title(self, subject):
        return _("%(workstream)s: new solutions and documents") % {"workstream": subject.workstream.name}

    def subtitle(self, subject):
        return subject.workstream.description

    def link(self, subject):
        return reverse("knowledge:workstream", args=[subject.workstream.slug])

    def items(self, subject):
        entries = solution_entries(subject.request, subject.workstream)
        entries += document_entries(subject.request, subject.workstream)
        entries.sort(key=lambda entry: entry.published.timestamp() if entry.published else 0, reverse=True)
        return entries[:ITEMS]

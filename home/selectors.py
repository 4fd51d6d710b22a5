"""What the home page shows, for visitors and for each signed-in person.

**The overview** (what the forum holds: the way in for a new scheme, workstream tiles, the
latest solutions and documents, the figures) depends only on what the viewer may see: the
pages and collections hidden from them. It is built from the viewer's ``Visibility`` alone and
kept per content version and visibility (``serving.visibility.kept``), so every visitor (and
every member who may see the same things) shares it: no query once warm.

**The personal part** (a signed-in person's scheme and its current MoU, what changed since
their last visit, reviews due for editors) is built from pieces kept per organisation and
visibility, rendered once per person, last visit, day and content version and kept under
the person's own key (``personal_for``); the page that shows it is never stored for sharing
(``HomePage.serve``). "What changed" is a list of ``Section``s, each one bounded query:
their groups' new topics join it once the forum exists, as one more entry of
``CHANGE_SECTIONS`` (a function ``(request, since) -> Section | None``).

**The last visit** is ``HomeVisit``: ``seen_at`` is when the person last opened the home page,
written at most once an hour; when a new visit starts (an hour or more later), the previous
``seen_at`` becomes ``previous_seen_at``, what "since your last visit" means. On a first
visit it is ``FIRST_VISIT_WINDOW`` ago.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from documents.models import CURRENT_STATUSES, DocumentKind, DocumentStatus, GovernanceDocument
from documents.permissions import visibility_for
from documents.selectors import library_url, listed_documents
from knowledge.models import SolutionPage
from knowledge.reviews import due_pages
from knowledge.selectors import (
    document_url,
    visible_knowledge,
    visible_schemes,
    workstreams_overview,
)
from schemes.models import Organisation, SchemeWorkstreamUse
from serving.viewer import viewer_for
from serving.visibility import Fragment, kept, kept_fragment

from .models import HomeVisit

LATEST = 5
CHANGES = 8
REVIEWS = 5
VISIT_GAP = datetime.timedelta(hours=1)
FIRST_VISIT_WINDOW = datetime.timedelta(days=30)
# A page type another app provides, found by its model name so that home imports nothing
# of it: the way in for a new scheme when the home page names none.
NEW_SCHEME_PAGE_MODEL = "onboardingpathwaypage"


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    detail: str = ""
    date: datetime.date | None = None


@dataclass(frozen=True)
class Tile:
    name: str
    url: str
    description: str
    count: int


@dataclass(frozen=True)
class Overview:
    new_scheme: Item | None
    tiles: tuple[Tile, ...]
    solutions: tuple[Item, ...]
    documents: tuple[Item, ...]
    figures: tuple[tuple[str, int], ...]


def _date(value) -> datetime.date | None:
    return value.date() if isinstance(value, datetime.datetime) else value


def _new_scheme_page(visibility, home_page) -> Item | None:
    """The page the editors chose, else a live onboarding pathway page, if the viewer may see it."""
    pages = Page.objects.live()
    if home_page.new_scheme_page_id:
        pages = pages.filter(pk=home_page.new_scheme_page_id)
    else:
        pages = pages.filter(content_type__model=NEW_SCHEME_PAGE_MODEL).order_by("path")
    page = visibility.visible_pages(pages).first()
    if page is None:
        return None
    return Item(title=page.title, url=page.url or "", detail=page.search_description)


def _figures(visibility) -> tuple[tuple[str, int], ...]:
    """Schemes, partner organisations, documents and solutions the viewer may see: one query."""

    def count(queryset, name):
        return (
            queryset.order_by()
            .annotate(k=Value(name))
            .values("k")
            .annotate(n=Count("pk"))
            .values_list("k", "n")
        )

    schemes = visible_schemes(visibility)
    partners = Organisation.objects.filter(
        Q(schemes__in=schemes.values("pk")) | Q(led_schemes__in=schemes.values("pk"))
    )
    rows = dict(
        count(schemes, "schemes").union(
            count(Organisation.objects.filter(pk__in=partners.values("pk")), "partners"),
            count(
                listed_documents(visibility_for(visibility)).filter(status__in=CURRENT_STATUSES),
                "documents",
            ),
            count(visible_knowledge(visibility, SolutionPage), "solutions"),
            all=True,
        )
    )
    return tuple((name, rows.get(name, 0)) for name in ("schemes", "partners", "documents", "solutions"))


def build_overview(visibility, home_page) -> Overview:
    tiles = tuple(
        Tile(name=w.name, url=w.get_absolute_url(), description=w.description, count=w.n)
        for w in workstreams_overview(visibility)
    )
    solutions = tuple(
        Item(title=p.title, url=p.url or "", detail=p.summary, date=_date(p.first_published_at))
        for p in visible_knowledge(visibility, SolutionPage).order_by(
            F("first_published_at").desc(nulls_last=True), "-pk"
        )[:LATEST]
    )
    documents = tuple(
        Item(title=d.title, url=document_url(d), detail=d.get_kind_display(), date=_date(d.created_at))
        for d in listed_documents(visibility_for(visibility))
        .filter(status__in=CURRENT_STATUSES)
        .only("pk", "title", "kind", "created_at", "file")
        .order_by("-created_at", "-pk")[:LATEST]
    )
    return Overview(
        new_scheme=_new_scheme_page(visibility, home_page),
        tiles=tiles,
        solutions=solutions,
        documents=documents,
        figures=_figures(visibility),
    )


def overview_body(request, home_page) -> Fragment:
    """The part of the home page that is the same for everyone who may see the same things
    (the way in for a new scheme, figures, tiles, latest solutions and documents), rendered
    once per content version and visibility."""
    return kept_fragment(
        request,
        "home-overview",
        home_page.pk,
        "home/includes/overview.html",
        lambda visibility: ({"overview": build_overview(visibility, home_page)}, {}),
    )


# The personal part -----------------------------------------------------------------------------


def home_visit_record(user, now: datetime.datetime | None = None) -> tuple[datetime.datetime, bool]:
    """Note this visit and answer since when changes are "new" to this person, and whether this
    is their first visit (see the module's notes): one query, and one write at most once an
    hour."""
    now = now or timezone.now()
    visit = HomeVisit.objects.filter(user=user).first()
    if visit is None:
        HomeVisit.objects.get_or_create(user=user, defaults={"seen_at": now})
        return now - FIRST_VISIT_WINDOW, True
    if now - visit.seen_at >= VISIT_GAP:
        HomeVisit.objects.filter(user=user).update(seen_at=now, previous_seen_at=visit.seen_at)
        return visit.seen_at, False
    if visit.previous_seen_at is None:  # still in their first visit
        return visit.seen_at - FIRST_VISIT_WINDOW, True
    return visit.previous_seen_at, False


@dataclass
class SchemeSummary:
    title: str
    url: str
    mou: Item | None


@dataclass
class Section:
    key: str
    heading: str
    items: list[Item]


@dataclass
class Personal:
    since: datetime.datetime
    first_visit: bool
    schemes: list[SchemeSummary] = field(default_factory=list)
    changes: list[Section] = field(default_factory=list)
    reviews_due: list[Item] = field(default_factory=list)
    more_reviews: bool = False


def _schemes_of(visibility, organisation_id):
    """Live schemes the viewer may see in which their organisation is a partner or leads."""
    if organisation_id is None:
        return visible_schemes(visibility).none()
    return (
        visible_schemes(visibility)
        .filter(Q(partners=organisation_id) | Q(lead_force=organisation_id))
        .distinct()
    )


def _organisation_schemes(visibility, organisation_id) -> tuple[SchemeSummary, ...]:
    """An organisation's schemes with each one's current (agreed) MoU the viewer may see."""
    mous = (
        listed_documents(visibility_for(visibility))
        .filter(scheme=OuterRef("pk"), kind=DocumentKind.MOU, status=DocumentStatus.AGREED)
        .order_by(F("effective_date").desc(nulls_last=True), "-pk")
    )
    schemes = (
        _schemes_of(visibility, organisation_id)
        .annotate(mou_id=Subquery(mous.values("pk")[:1]), mou_title=Subquery(mous.values("title")[:1]))
        .order_by("title")
    )
    base = library_url() if schemes else None
    result = []
    for scheme in schemes[:5]:
        mou = None
        if scheme.mou_id:
            document = GovernanceDocument(pk=scheme.mou_id, title=scheme.mou_title)
            mou = Item(title=scheme.mou_title, url=f"{base}{scheme.mou_id}-{document.slug}/" if base else "")
        result.append(SchemeSummary(title=scheme.title, url=scheme.url or "", mou=mou))
    return tuple(result)


def _my_schemes(request) -> list[SchemeSummary]:
    """Their organisation's schemes: the same for everyone of the organisation who may see the
    same things, so kept per organisation and visibility (no query once warm)."""
    organisation_id = viewer_for(request).organisation_id
    return list(
        kept(
            request,
            "home-schemes",
            organisation_id,
            lambda visibility: _organisation_schemes(visibility, organisation_id),
        )
    )


def _recent_changed_documents(visibility) -> tuple[tuple[datetime.datetime, Item], ...]:
    statuses = dict(DocumentStatus.choices)
    documents = (
        listed_documents(visibility_for(visibility))
        .filter(status__in=(DocumentStatus.AGREED, DocumentStatus.SUPERSEDED))
        .only("pk", "title", "status", "updated_at", "file")
        .order_by("-updated_at", "-pk")[:CHANGES]
    )
    return tuple(
        (
            d.updated_at,
            Item(
                title=d.title, url=document_url(d), detail=str(statuses[d.status]), date=_date(d.updated_at)
            ),
        )
        for d in documents
    )


def changed_documents(request, since) -> Section:
    """Documents agreed or superseded since ``since`` (their last change), that the viewer may
    see. The newest ``CHANGES`` of all are kept per visibility: whatever anyone's "since", the
    newest changed after it are the first of those."""
    recent = kept(request, "home-changed-documents", None, _recent_changed_documents)
    items = [item for changed_at, item in recent if changed_at > since]
    return Section("documents", _("Documents agreed or superseded"), items)


def _recent_solutions(visibility, workstream_ids) -> tuple[tuple[datetime.datetime, int, Item], ...]:
    solutions = visible_knowledge(visibility, SolutionPage).filter(first_published_at__isnull=False)
    if workstream_ids is not None:
        solutions = solutions.filter(tagged_workstreams__tag_id__in=workstream_ids).distinct()
    return tuple(
        (
            p.first_published_at,
            p.pk,
            Item(title=p.title, url=p.url or "", detail=p.summary, date=_date(p.first_published_at)),
        )
        for p in solutions.order_by("-first_published_at", "-pk")[:CHANGES]
    )


def _workstreams_in_use(organisation_id) -> tuple[int, ...] | None:
    """The workstreams the organisation's schemes use (None: every workstream)."""
    if organisation_id is None:
        return None
    return tuple(
        sorted(
            set(
                SchemeWorkstreamUse.objects.filter(
                    Q(scheme__partners=organisation_id) | Q(scheme__lead_force=organisation_id)
                ).values_list("workstream_id", flat=True)
            )
        )
    )


def new_solutions(request, since) -> Section:
    """Solutions first published since ``since`` in the workstreams their schemes use (every
    workstream if they belong to no scheme). Kept per organisation and visibility, as above."""
    organisation_id = viewer_for(request).organisation_id

    def build(visibility):
        return _recent_solutions(visibility, _workstreams_in_use(organisation_id))

    recent = kept(request, "home-new-solutions", organisation_id, build)
    items = [item for published_at, _pk, item in recent if published_at > since]
    return Section("solutions", _("New solutions in your workstreams"), items)


# What changed since the last visit, in this order: each kept per visibility (no query once warm).
CHANGE_SECTIONS = [changed_documents, new_solutions]


def _due(today) -> tuple[tuple[Item, ...], bool]:
    pages = list(due_pages(today)[: REVIEWS + 1])
    items = tuple(
        Item(title=p.title, url=reverse("wagtailadmin_pages:edit", args=[p.pk]), date=p.next_review)
        for p in pages[:REVIEWS]
    )
    return items, len(pages) > REVIEWS


def _reviews_due(request) -> tuple[list[Item], bool]:
    """For national editors: the same list for all of them, kept per day."""
    viewer = viewer_for(request)
    if not viewer.can_publish_pages:
        return [], False
    today = timezone.localdate()
    items, more = kept(request, "home-reviews-due", today, lambda visibility: _due(today))
    return list(items), more


def _personal(request, viewer, since, first_visit) -> Personal:
    personal = Personal(since=since, first_visit=first_visit)
    if viewer.is_approved or viewer.is_superuser:
        personal.schemes = _my_schemes(request)
        personal.changes = [section for section in (fn(request, since) for fn in CHANGE_SECTIONS) if section]
    personal.reviews_due, personal.more_reviews = _reviews_due(request)
    return personal


def personal_for(request) -> Fragment | None:
    """The signed-in person's part of the home page (None for visitors): its HTML, with the
    ``Personal`` it shows as the fact ``personal``.

    Everything it shows is fixed by the person's "since" (their last visit), their
    organisation, what they may see and edit, the day and the content version, so it is
    rendered once for that and kept (``kept_fragment`` adds the version, visibility and
    language), keyed by the person: never shown to anyone else. Only the visit itself is read
    on every request (``home_visit_record``)."""
    viewer = viewer_for(request)
    if not viewer.is_authenticated:
        return None
    since, first_visit = home_visit_record(viewer.user)
    params = (
        viewer.user.pk,
        since.isoformat(),
        first_visit,
        viewer.organisation_id,
        viewer.is_approved or viewer.is_superuser,
        viewer.can_publish_pages,
        timezone.localdate().isoformat(),
    )

    def build(visibility):
        personal = _personal(request, viewer, since, first_visit)
        return {"personal": personal}, {"personal": personal}

    return kept_fragment(request, "home-personal", params, "home/includes/personal.html", build)

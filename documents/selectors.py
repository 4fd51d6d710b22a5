"""Read paths of the document library: the filtered listing with its counts, and a document's
family of versions.

The listing costs a fixed number of queries whatever the number of documents: one for the
counts of kind, status, region and organisation together (grouped by all four, then counted
per filter in Python), one for the workstream counts, one for the page of results and one for
those results' workstreams (plus one for the search, when there is one).
"""

import logging
import re
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from schemes.models import Region, Workstream
from search.facets import Facet, FacetValue

from . import conf
from .models import (
    CURRENT_STATUSES,
    LISTED_STATUSES,
    DocumentKind,
    DocumentStatus,
    DocumentWorkstream,
    GovernanceDocument,
)
from .permissions import Visibility

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_VALUES = 30
SLUG = re.compile(r"^[-\w]{1,100}$")

SORTS = {
    "relevance": _("Best match"),
    "newest": _("Newest first"),
    "title": _("Title (A to Z)"),
    "review": _("Review due soonest"),
}


@dataclass(frozen=True)
class LibraryFilters:
    """What the viewer asked for, cleaned: anything unknown or malformed is simply dropped."""

    q: str = ""
    kinds: tuple[str, ...] = ()
    workstreams: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    include_superseded: bool = False
    sort: str = "newest"
    page: int = 1

    @classmethod
    def from_querydict(cls, data) -> "LibraryFilters":
        raw_q = data.get("q", "") or ""
        q = " ".join("".join(ch for ch in raw_q if ch.isprintable()).split())[:MAX_QUERY_LENGTH]

        def pick(name, allowed=None, pattern=None):
            values = []
            for value in data.getlist(name)[: MAX_VALUES * 2]:
                value = str(value).strip()
                if (allowed is None or value in allowed) and (pattern is None or pattern.match(value)):
                    if value not in values:
                        values.append(value)
            return tuple(sorted(values[:MAX_VALUES]))

        sort = data.get("sort") or ("relevance" if q else "newest")
        if sort not in SORTS or (sort == "relevance" and not q):
            sort = "relevance" if q else "newest"
        try:
            page = max(1, min(int(data.get("page", 1)), 100_000))
        except (TypeError, ValueError):
            page = 1
        return cls(
            q=q,
            kinds=pick("kind", set(DocumentKind.values)),
            workstreams=pick("workstream", pattern=SLUG),
            statuses=pick("status", set(LISTED_STATUSES)),
            regions=pick("region", set(Region.values)),
            organisations=pick("organisation", pattern=SLUG),
            include_superseded=data.get("superseded") in ("1", "on", "true"),
            sort=sort,
            page=page,
        )

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.q
            or self.kinds
            or self.workstreams
            or self.statuses
            or self.regions
            or self.organisations
            or self.include_superseded
        )

    def cache_key(self) -> str:
        return repr(
            (
                self.q,
                self.kinds,
                self.workstreams,
                self.statuses,
                self.regions,
                self.organisations,
                self.include_superseded,
                self.sort,
                self.page,
            )
        )

    def allowed_statuses(self) -> tuple[str, ...]:
        if self.statuses:
            return self.statuses
        return LISTED_STATUSES if self.include_superseded else CURRENT_STATUSES


@dataclass
class Listing:
    filters: LibraryFilters
    facets: list[Facet]
    page: object
    total: int
    search_failed: bool = False


def listed_documents(visibility: Visibility) -> QuerySet[GovernanceDocument]:
    """Every document a viewer may find in the library, before any filter."""
    return visibility.filter(GovernanceDocument.objects.filter(status__in=LISTED_STATUSES))


def _search_ids(filters: LibraryFilters, visibility: Visibility) -> tuple[list[int] | None, bool]:
    """Document ids matching the search words, best match first, through the search backend."""
    limit = int(conf.get("DOCUMENTS_LIBRARY_SEARCH_LIMIT"))
    try:
        # Visibility is applied by the database query this feeds: search backends only know
        # the document's own filter fields.
        hits = GovernanceDocument.objects.filter(status__in=LISTED_STATUSES).search(
            filters.q, operator="and", order_by_relevance=True
        )[:limit]
        return [hit.pk for hit in hits], False
    except Exception:  # noqa: BLE001 - a broken index must not take the library down
        logger.exception("Library search failed; falling back to a database search")
        words = filters.q.split()[:8]
        condition = Q()
        for word in words:
            condition &= Q(title__icontains=word) | Q(summary__icontains=word)
        ids = list(listed_documents(visibility).filter(condition).values_list("pk", flat=True)[:limit])
        return ids, True


def _workstream_filter(slugs: tuple[str, ...]) -> Q:
    condition = Q()
    for slug in slugs:
        condition &= Q(
            Exists(DocumentWorkstream.objects.filter(content_object=OuterRef("pk"), tag__slug=slug))
        )
    return condition


def _matches(row: dict, filters: LibraryFilters, skip: str | None) -> bool:
    if skip != "kind" and filters.kinds and row["kind"] not in filters.kinds:
        return False
    if skip != "status" and row["status"] not in filters.allowed_statuses():
        return False
    if skip != "region" and filters.regions and row["region"] not in filters.regions:
        return False
    if (
        skip != "organisation"
        and filters.organisations
        and row["organisation__slug"] not in filters.organisations
    ):
        return False
    return True


def _dimension_filter(filters: LibraryFilters) -> Q:
    condition = Q(status__in=filters.allowed_statuses())
    if filters.kinds:
        condition &= Q(kind__in=filters.kinds)
    if filters.regions:
        condition &= Q(region__in=filters.regions)
    if filters.organisations:
        condition &= Q(organisation__slug__in=filters.organisations)
    return condition


def _order(documents: QuerySet, sort: str) -> QuerySet:
    if sort == "title":
        return documents.order_by(Lower("title"), "pk")
    if sort == "review":
        return documents.order_by(F("review_date").asc(nulls_last=True), Lower("title"), "pk")
    return documents.order_by(F("effective_date").desc(nulls_last=True), "-created_at", "-pk")


def library_listing(*, filters: LibraryFilters, visibility: Visibility) -> Listing:
    base = listed_documents(visibility)
    search_failed = False
    ranked_ids = None
    if filters.q:
        ranked_ids, search_failed = _search_ids(filters, visibility)
        base = base.filter(pk__in=ranked_ids)

    # 1. Counts of kind, status, region and organisation, grouped together.
    grouped = base.filter(_workstream_filter(filters.workstreams)) if filters.workstreams else base
    rows = list(
        grouped.order_by()
        .values("kind", "status", "region", "organisation__slug", "organisation__name")
        .annotate(n=Count("pk"))
    )
    total = sum(row["n"] for row in rows if _matches(row, filters, None))

    def counts(dimension, key):
        counter = Counter()
        for row in rows:
            if _matches(row, filters, dimension):
                counter[row[key]] += row["n"]
        return counter

    kind_counts = counts("kind", "kind")
    status_counts = counts("status", "status")
    region_counts = counts("region", "region")
    organisation_counts = counts("organisation", "organisation__slug")
    organisation_names = {row["organisation__slug"]: row["organisation__name"] for row in rows}

    # 2. Workstream counts: every other filter applies, this one does not.
    others = base.filter(_dimension_filter(filters)).values("pk")
    workstreams = list(
        Workstream.objects.annotate(
            n=Count("tagged_documents", filter=Q(tagged_documents__content_object__in=others))
        )
        .order_by(Lower("name"))
        .values("slug", "name", "n")
    )

    facets = [
        Facet(
            "kind",
            _("Kind"),
            [
                FacetValue(value, label, kind_counts.get(value, 0), value in filters.kinds)
                for value, label in DocumentKind.choices
                if kind_counts.get(value) or value in filters.kinds
            ],
        ),
        Facet(
            "workstream",
            _("Workstream"),
            [
                FacetValue(w["slug"], w["name"], w["n"], w["slug"] in filters.workstreams)
                for w in workstreams
                if w["n"] or w["slug"] in filters.workstreams
            ],
        ),
        Facet(
            "status",
            _("Status"),
            [
                FacetValue(value, label, status_counts.get(value, 0), value in filters.statuses)
                for value, label in DocumentStatus.choices
                if value in LISTED_STATUSES and (status_counts.get(value) or value in filters.statuses)
            ],
        ),
        Facet(
            "region",
            _("Region"),
            [
                FacetValue(value, label, region_counts.get(value, 0), value in filters.regions)
                for value, label in Region.choices
                if region_counts.get(value) or value in filters.regions
            ],
        ),
        Facet(
            "organisation",
            _("Organisation"),
            sorted(
                (
                    FacetValue(
                        slug, organisation_names.get(slug) or slug, organisation_counts.get(slug, 0), True
                    )
                    for slug in filters.organisations
                ),
                key=lambda v: v.label.lower(),
            )
            + sorted(
                (
                    FacetValue(slug, organisation_names[slug], n, False)
                    for slug, n in organisation_counts.items()
                    if slug and n and slug not in filters.organisations
                ),
                key=lambda v: v.label.lower(),
            ),
        ),
    ]
    # 3. The page of results (4. their workstreams, prefetched).
    filtered = base.filter(_dimension_filter(filters))
    if filters.workstreams:
        filtered = filtered.filter(_workstream_filter(filters.workstreams))
    filtered = filtered.select_related("organisation", "scheme", "replaced_by").prefetch_related(
        "workstreams"
    )
    page_size = int(conf.get("DOCUMENTS_LIBRARY_PAGE_SIZE"))
    if filters.sort == "relevance" and ranked_ids is not None:
        rank = {pk: position for position, pk in enumerate(ranked_ids)}
        matching = sorted(filtered.values_list("pk", flat=True), key=lambda pk: rank.get(pk, len(rank)))
        paginator = Paginator(matching, page_size)
        page = paginator.get_page(filters.page)
        objects = {doc.pk: doc for doc in filtered.filter(pk__in=list(page.object_list))}
        page.object_list = [objects[pk] for pk in page.object_list if pk in objects]
    else:
        paginator = Paginator(_order(filtered, filters.sort), page_size)
        paginator.__dict__["count"] = total  # already known from the counts: no COUNT query
        page = paginator.get_page(filters.page)
        page.object_list = list(page.object_list)
    return Listing(filters=filters, facets=facets, page=page, total=total, search_failed=search_failed)


def document_family(document: GovernanceDocument) -> list[GovernanceDocument]:
    """Every version of the document's family, oldest first, in one query."""
    versions = list(
        GovernanceDocument.objects.filter(family=document.family)
        .select_related("collection")
        .only(
            "pk",
            "title",
            "status",
            "version_label",
            "effective_date",
            "created_at",
            "replaces_id",
            "collection__path",
            "family",
        )
    )
    by_replaced = {doc.replaces_id: doc for doc in versions if doc.replaces_id}
    roots = [
        doc for doc in versions if doc.replaces_id is None or doc.replaces_id not in {v.pk for v in versions}
    ]
    ordered, seen = [], set()
    for root in sorted(roots, key=lambda d: (d.effective_date or d.created_at.date(), d.pk)):
        node = root
        while node is not None and node.pk not in seen:
            ordered.append(node)
            seen.add(node.pk)
            node = by_replaced.get(node.pk)
    ordered.extend(doc for doc in versions if doc.pk not in seen)
    return ordered


def document_lineage(document: GovernanceDocument) -> list[GovernanceDocument]:
    """Documents of other families related to this document's family by adaptation, drafts
    left out, in one query: every version of the families it was adapted from (``lineage`` is
    "original"; ``direct`` when one of its versions names that very document), and the
    documents adapted from any of its versions (``lineage`` is "adaptation")."""
    family = document.family
    adapted_from_us = Q(adapted_from__family=family)
    original_families = GovernanceDocument.objects.filter(adaptations__family=family).values("family")
    related = list(
        GovernanceDocument.objects.filter(adapted_from_us | Q(family__in=original_families))
        .exclude(family=family)
        .exclude(status=DocumentStatus.DRAFT)
        .select_related("collection", "scheme", "adapted_from")
        .annotate(
            direct=Exists(GovernanceDocument.objects.filter(adapted_from=OuterRef("pk"), family=family))
        )
        .only(
            "pk",
            "title",
            "status",
            "version_label",
            "effective_date",
            "created_at",
            "replaces_id",
            "family",
            "collection__path",
            "scheme__title",
            "adapted_from__family",
        )
        .order_by("title", "effective_date", "pk")
    )
    for other in related:
        is_adaptation = other.adapted_from_id is not None and other.adapted_from.family == family
        other.lineage = "adaptation" if is_adaptation else "original"
    return related


LIBRARY_URL_KEY = "search:documents:library-url"


def library_url() -> str | None:
    """The document library's address (None without a live library), kept a minute in the
    cache: the site search, scheme pages, the knowledge section and the home page link there."""
    from .models import DocumentLibraryPage

    url = cache.get(LIBRARY_URL_KEY)
    if url is None:
        library = DocumentLibraryPage.objects.live().first()
        url = library.url if library else ""
        cache.set(LIBRARY_URL_KEY, url, 60)
    return url or None

"""Read paths of the knowledge section: the index's filtered listing with its counts, the
workstream hubs, and what a solution page shows beside its own fields.

What the viewer may see comes from ONE function, ``visible_pages`` below: live pages minus
those under a restriction the viewer does not pass. Everything else builds on it.

The index costs a fixed number of queries whatever the number of pages: one for the counts of
kind, evidence and outcome together (grouped, then counted per filter in Python), one for the
workstream counts, one for the organisation counts, one for the page of results and one for
their workstreams (plus the viewer's page restrictions, once per request).
"""

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from documents.models import CURRENT_STATUSES, LISTED_STATUSES, GovernanceDocument
from documents.permissions import visibility_for
from documents.selectors import library_url, listed_documents
from schemes.models import Organisation, SchemePage, SchemeWorkstreamUse, Workstream
from search.facets import Facet, FacetValue
from serving.visibility import visibility_of

from .models import EvidenceStrength, KnowledgePage, KnowledgeWorkstream, Outcome, SolutionPage

PAGE_SIZE = 20
HUB_LIMIT = 50
MAX_PAGE = 100_000
MAX_VALUES = 30
SLUG = re.compile(r"^[-\w]{1,100}$")

KINDS = {"solution": _("Solutions"), "guide": _("Guides")}
SORTS = {"newest": _("Newest first"), "reviewed": _("Last reviewed")}
PARAMETER_LABELS = {
    "workstream": _("workstream"),
    "organisation": _("organisation"),
    "evidence": _("evidence strength"),
    "outcome": _("outcome"),
    "kind": _("type"),
    "sort": _("sort order"),
    "page": _("page number"),
}


def visible_pages(scope) -> QuerySet:
    """Live pages (not the tree's root) this viewer may see: the one place the knowledge
    section asks, and it asks the viewer's visibility (``serving.visibility``)."""
    from wagtail.models import Page

    return visibility_of(scope).visible_pages(Page.objects.live().exclude(depth__lte=1))


def visible_knowledge(scope, model=KnowledgePage) -> QuerySet:
    """Live solutions and guides (or ``model``) the viewer may see."""
    return model.objects.live().filter(pk__in=visible_pages(scope).values("pk"))


def visible_schemes(scope) -> QuerySet:
    return SchemePage.objects.live().filter(pk__in=visible_pages(scope).values("pk"))


# The index's filters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KnowledgeFilters:
    """What the viewer asked for, cleaned. Unknown values are dropped and listed in
    ``rejected`` so the page can say so; nothing malformed reaches a query."""

    workstreams: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    sort: str = "newest"
    page: int = 1
    rejected: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @classmethod
    def from_querydict(cls, data) -> "KnowledgeFilters":
        rejected: list[tuple[str, str]] = []

        def pick(name, allowed=None, pattern=None):
            values = []
            for value in data.getlist(name)[: MAX_VALUES * 2]:
                value = str(value).strip()
                if not value:
                    continue
                if (allowed is None or value in allowed) and (pattern is None or pattern.match(value)):
                    if value not in values:
                        values.append(value)
                else:
                    rejected.append((name, value[:60]))
            return tuple(sorted(values[:MAX_VALUES]))

        sort = (data.get("sort") or "newest").strip()
        if sort not in SORTS:
            rejected.append(("sort", sort[:60]))
            sort = "newest"
        raw_page = (data.get("page") or "1").strip()
        try:
            page = int(raw_page)
            if page < 1:
                raise ValueError
            page = min(page, MAX_PAGE)
        except (TypeError, ValueError):
            rejected.append(("page", raw_page[:60]))
            page = 1
        return cls(
            workstreams=pick("workstream", pattern=SLUG),
            organisations=pick("organisation", pattern=SLUG),
            evidence=pick("evidence", set(EvidenceStrength.values)),
            outcomes=pick("outcome", set(Outcome.values)),
            kinds=pick("kind", set(KINDS)),
            sort=sort,
            page=page,
            rejected=tuple(rejected),
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.workstreams or self.organisations or self.evidence or self.outcomes or self.kinds)

    def query(self, **changes) -> list[tuple[str, str]]:
        params = [("workstream", v) for v in self.workstreams]
        params += [("organisation", v) for v in self.organisations]
        params += [("evidence", v) for v in self.evidence]
        params += [("outcome", v) for v in self.outcomes]
        params += [("kind", v) for v in self.kinds]
        if self.sort != "newest":
            params.append(("sort", self.sort))
        for key, value in changes.items():
            params = [(k, v) for k, v in params if k != key]
            if not (key == "page" and value in (None, 1)):
                params.append((key, str(value)))
        return params


@dataclass
class Listing:
    filters: KnowledgeFilters
    facets: list[Facet]
    page: object
    total: int
    messages: list[str]


def _row_matches(row: dict, filters: KnowledgeFilters, skip: str | None) -> bool:
    is_solution = row["evidence"] is not None
    if skip != "kind" and filters.kinds and ("solution" if is_solution else "guide") not in filters.kinds:
        return False
    if skip != "evidence" and filters.evidence and row["evidence"] not in filters.evidence:
        return False
    if skip != "outcome" and filters.outcomes and row["outcome"] not in filters.outcomes:
        return False
    return True


def _workstream_condition(slugs) -> Q:
    return Q(Exists(KnowledgeWorkstream.objects.filter(content_object=OuterRef("pk"), tag__slug__in=slugs)))


def _organisation_condition(slugs) -> Q:
    through = KnowledgePage.organisations.through
    return Q(Exists(through.objects.filter(knowledgepage_id=OuterRef("pk"), organisation__slug__in=slugs)))


def _own_condition(filters: KnowledgeFilters) -> Q:
    """Kind, evidence and outcome, in SQL, for the results and the other facets' counts."""
    condition = Q()
    if filters.kinds and len(filters.kinds) == 1:
        condition &= Q(solutionpage__isnull=filters.kinds[0] != "solution")
    if filters.evidence:
        condition &= Q(solutionpage__evidence_strength__in=filters.evidence)
    if filters.outcomes:
        condition &= Q(solutionpage__outcome__in=filters.outcomes)
    return condition


def _taxonomy_counts(base: QuerySet, filters: KnowledgeFilters) -> tuple[list[dict], list[dict]]:
    """Workstream and organisation counts in one query: for each, every other filter applies
    but its own does not. Every workstream is listed (with 0), organisations with matches or
    selected, so an unknown slug is one missing from the answer."""
    ws_condition = _workstream_condition(filters.workstreams) if filters.workstreams else Q()
    org_condition = _organisation_condition(filters.organisations) if filters.organisations else Q()
    ws_others = base.filter(org_condition, _own_condition(filters)).values("pk")
    org_others = base.filter(ws_condition, _own_condition(filters)).values("pk")
    workstreams = (
        Workstream.objects.order_by()
        .annotate(
            facet=Value("workstream"),
            n=Count("tagged_knowledge", filter=Q(tagged_knowledge__content_object__in=ws_others)),
        )
        .values_list("facet", "slug", "name", "n")
    )
    organisations = (
        Organisation.objects.order_by()
        .annotate(
            facet=Value("organisation"), n=Count("knowledge_pages", filter=Q(knowledge_pages__in=org_others))
        )
        .filter(Q(n__gt=0) | Q(slug__in=filters.organisations))
        .values_list("facet", "slug", "name", "n")
    )
    ws_rows, org_rows = [], []
    for facet, slug, name, n in workstreams.union(organisations, all=True):
        (ws_rows if facet == "workstream" else org_rows).append({"slug": slug, "name": name, "n": n})
    key = lambda row: row["name"].lower()  # noqa: E731
    return sorted(ws_rows, key=key), sorted(org_rows, key=key)


def knowledge_listing(scope, index_page, filters: KnowledgeFilters) -> Listing:
    base = visible_knowledge(scope).descendant_of(index_page)
    # 1. Workstream and organisation counts (and which of the slugs asked for exist).
    workstreams, organisations = _taxonomy_counts(base, filters)
    known_ws, known_orgs = {w["slug"] for w in workstreams}, {o["slug"] for o in organisations}
    unknown = [("workstream", slug) for slug in filters.workstreams if slug not in known_ws]
    unknown += [("organisation", slug) for slug in filters.organisations if slug not in known_orgs]
    if unknown:
        # Bad input only: drop what nobody has and count again.
        filters = replace(
            filters,
            workstreams=tuple(slug for slug in filters.workstreams if slug in known_ws),
            organisations=tuple(slug for slug in filters.organisations if slug in known_orgs),
            rejected=filters.rejected + tuple(unknown),
        )
        workstreams, organisations = _taxonomy_counts(base, filters)
    ws_condition = _workstream_condition(filters.workstreams) if filters.workstreams else Q()
    org_condition = _organisation_condition(filters.organisations) if filters.organisations else Q()

    # 2. Kind, evidence and outcome counts, grouped together.
    rows = list(
        base.filter(ws_condition, org_condition)
        .order_by()
        .values(evidence=F("solutionpage__evidence_strength"), outcome=F("solutionpage__outcome"))
        .annotate(n=Count("pk"))
    )
    total = sum(row["n"] for row in rows if _row_matches(row, filters, None))

    def counts(dimension):
        counter = Counter()
        for row in rows:
            if _row_matches(row, filters, dimension):
                if dimension == "kind":
                    counter["solution" if row["evidence"] is not None else "guide"] += row["n"]
                else:
                    counter[row[dimension]] += row["n"]
        return counter

    kind_counts, evidence_counts, outcome_counts = counts("kind"), counts("evidence"), counts("outcome")

    messages = [
        _("We do not know the %(name)s “%(value)s”, so it was ignored.")
        % {"name": PARAMETER_LABELS.get(name, name), "value": value}
        for name, value in filters.rejected
    ]

    def facet(name, label, options, counts, selected, keep_empty=False):
        return Facet(
            name,
            label,
            [
                FacetValue(value, text, counts.get(value, 0), value in selected)
                for value, text in options
                if keep_empty or counts.get(value) or value in selected
            ],
        )

    facets = [
        facet("kind", _("Type"), KINDS.items(), kind_counts, filters.kinds),
        facet(
            "workstream",
            _("Workstream"),
            [(w["slug"], w["name"]) for w in workstreams],
            {w["slug"]: w["n"] for w in workstreams},
            filters.workstreams,
        ),
        facet("evidence", _("Evidence"), EvidenceStrength.choices, evidence_counts, filters.evidence),
        facet("outcome", _("Outcome"), Outcome.choices, outcome_counts, filters.outcomes),
        facet(
            "organisation",
            _("Organisation"),
            [(o["slug"], o["name"]) for o in organisations],
            {o["slug"]: o["n"] for o in organisations},
            filters.organisations,
            keep_empty=True,
        ),
    ]

    # 3. The page of results (4. their workstreams, prefetched).
    filtered = (
        base.filter(ws_condition, org_condition, _own_condition(filters))
        .annotate(evidence=F("solutionpage__evidence_strength"), outcome_value=F("solutionpage__outcome"))
        .prefetch_related("workstreams")
    )
    if filters.sort == "reviewed":
        filtered = filtered.order_by(F("last_reviewed").desc(nulls_last=True), "-first_published_at", "-pk")
    else:
        filtered = filtered.order_by(F("first_published_at").desc(nulls_last=True), "-pk")
    paginator = Paginator(filtered, PAGE_SIZE)
    paginator.__dict__["count"] = total  # known from the counts: no COUNT query
    if filters.page > paginator.num_pages:
        messages.append(
            _("There are only %(count)s pages of results, so the last one is shown.")
            % {"count": paginator.num_pages}
        )
    page = paginator.get_page(filters.page)
    page.object_list = list(page.object_list)
    labels_evidence, labels_outcome = dict(EvidenceStrength.choices), dict(Outcome.choices)
    for item in page.object_list:
        item.is_solution = item.evidence is not None
        item.evidence_label = labels_evidence.get(item.evidence, "")
        item.outcome_label = labels_outcome.get(item.outcome_value, "")
    return Listing(filters=filters, facets=facets, page=page, total=total, messages=messages)


# What a solution shows beside its own fields ---------------------------------------------------


def document_url(document: GovernanceDocument) -> str:
    base = library_url()
    return f"{base}{document.pk}-{document.slug}/" if base else document.url


def related_documents_for(scope, page: SolutionPage) -> list[GovernanceDocument]:
    """The solution's related documents that the viewer may see (the library's own rule)."""
    documents = (
        GovernanceDocument.objects.filter(status__in=LISTED_STATUSES, knowledge_links__page=page)
        .select_related("organisation", "collection")
        .order_by("knowledge_links__sort_order")
    )
    # The viewer's collection restrictions are read only when there is something to check.
    result = list(documents)
    if result:
        visibility = visibility_for(scope)
        result = [document for document in result if not visibility.hides(document.collection.path)]
    for document in result:
        document.library_url = document_url(document)
    return result


def related_knowledge_for(scope, page: KnowledgePage, *, limit: int = 5) -> list[KnowledgePage]:
    """Other solutions and guides the viewer may see that share a workstream or a contributing
    scheme with ``page``, newest first, in one query."""
    workstreams = KnowledgeWorkstream.objects.filter(content_object_id=page.pk).values("tag_id")
    schemes = KnowledgePage.contributing_schemes.through.objects.filter(knowledgepage_id=page.pk).values(
        "schemepage_id"
    )
    return list(
        visible_knowledge(scope)
        .exclude(pk=page.pk)
        .filter(Q(tagged_workstreams__tag_id__in=workstreams) | Q(contributing_schemes__in=schemes))
        .distinct()
        .order_by(F("first_published_at").desc(nulls_last=True), "-pk")[:limit]
    )


def page_facts(page: KnowledgePage) -> dict[str, list[SimpleNamespace]]:
    """A page's workstreams, organisations and (for solutions) figures in one query."""
    from .models import SolutionFigure

    def columns(queryset, kind, a, b, order):
        return (
            queryset.order_by()
            .annotate(k=Value(kind), a=F(a), b=F(b), s=order)
            .values_list("k", "a", "b", "s")
        )

    rows = columns(
        Workstream.objects.filter(tagged_knowledge__content_object_id=page.pk),
        "workstream",
        "slug",
        "name",
        Value(0),
    ).union(
        columns(
            Organisation.objects.filter(knowledge_pages=page.pk), "organisation", "slug", "name", Value(0)
        ),
        columns(SolutionFigure.objects.filter(page_id=page.pk), "figure", "value", "label", F("sort_order")),
        all=True,
    )
    facts = {"workstream": [], "organisation": [], "figure": []}
    for kind, a, b, order in rows:
        facts[kind].append((order or 0, b if kind != "figure" else "", a, b))
    return {
        "workstreams": [SimpleNamespace(slug=a, name=b) for _o, _k, a, b in sorted(facts["workstream"])],
        "organisations": [SimpleNamespace(slug=a, name=b) for _o, _k, a, b in sorted(facts["organisation"])],
        "figures": [SimpleNamespace(value=a, label=b) for _o, _k, a, b in sorted(facts["figure"])],
    }


def scheme_uses_for(scope, page: KnowledgePage) -> list[SchemePage]:
    return list(visible_schemes(scope).filter(solutions=page).order_by("title"))


# Workstream hubs -------------------------------------------------------------------------------


def workstreams_overview(scope) -> list[Workstream]:
    """Every workstream with the number of solutions and guides the viewer may see."""
    visible = visible_knowledge(scope).values("pk")
    return list(
        Workstream.objects.annotate(
            n=Count("tagged_knowledge", filter=Q(tagged_knowledge__content_object__in=visible))
        ).order_by(Lower("name"))
    )


@dataclass
class Hub:
    workstream: Workstream
    solutions: list
    guides: list
    more_knowledge: bool
    documents: list
    more_documents: bool
    scheme_uses: list


def workstream_hub(scope, workstream: Workstream) -> Hub:
    pages = list(
        visible_knowledge(scope)
        .filter(tagged_workstreams__tag=workstream)
        .annotate(evidence=F("solutionpage__evidence_strength"), outcome_value=F("solutionpage__outcome"))
        .order_by(F("first_published_at").desc(nulls_last=True), "-pk")[: HUB_LIMIT + 1]
    )
    more_knowledge = len(pages) > HUB_LIMIT
    pages = pages[:HUB_LIMIT]
    labels_evidence, labels_outcome = dict(EvidenceStrength.choices), dict(Outcome.choices)
    for item in pages:
        item.is_solution = item.evidence is not None
        item.evidence_label = labels_evidence.get(item.evidence, "")
        item.outcome_label = labels_outcome.get(item.outcome_value, "")
    documents = list(
        listed_documents(visibility_for(scope))
        .filter(status__in=CURRENT_STATUSES, tagged_workstreams__tag=workstream)
        .select_related("organisation", "scheme")
        .order_by(F("effective_date").desc(nulls_last=True), "-pk")[: HUB_LIMIT + 1]
    )
    more_documents = len(documents) > HUB_LIMIT
    documents = documents[:HUB_LIMIT]
    for document in documents:
        document.library_url = document_url(document)
    scheme_uses = list(
        SchemeWorkstreamUse.objects.filter(
            workstream=workstream, scheme__in=visible_schemes(scope).values("pk")
        )
        .select_related("scheme")
        .order_by(Lower("scheme__title"))
    )
    return Hub(
        workstream=workstream,
        solutions=[p for p in pages if p.is_solution],
        guides=[p for p in pages if not p.is_solution],
        more_knowledge=more_knowledge,
        documents=documents,
        more_documents=more_documents,
        scheme_uses=scheme_uses,
    )


def knowledge_index(scope) -> KnowledgePage | None:
    from .models import KnowledgeIndexPage

    return KnowledgeIndexPage.objects.filter(pk__in=visible_pages(scope).values("pk")).first()


SCHEME_SOLUTIONS_LIMIT = 20


def scheme_solutions(scope, scheme: SchemePage) -> dict | None:
    """The solutions a scheme contributed that the viewer may see, newest first, in one query
    (a scheme page's section: ``schemes.sections``)."""
    solutions = list(
        visible_knowledge(scope, SolutionPage)
        .filter(contributing_schemes=scheme)
        .only("pk", "title", "url_path", "path", "depth", "summary", "outcome", "evidence_strength")
        .order_by(F("first_published_at").desc(nulls_last=True), "-pk")[: SCHEME_SOLUTIONS_LIMIT + 1]
    )
    if not solutions:
        return None
    return {"solutions": solutions[:SCHEME_SOLUTIONS_LIMIT], "more": len(solutions) > SCHEME_SOLUTIONS_LIMIT}

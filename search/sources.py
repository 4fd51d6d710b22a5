"""Search sources: what each app contributes to the site search.

The site search (``search.views``) knows nothing about pages, documents or forum topics: each
app registers a *source* with the ``register_site_search_source`` Wagtail hook, a function
returning an object with the interface of ``SearchSource``. A source answers four questions,
always for one viewer (one request), so that what the viewer may not see never reaches a
result, a count, a facet, a snippet or a suggestion:

- ``candidates``: the best matches (at most ``limit``), each with a score, a date and its facet
  values (kind, workstreams, organisations, year), read from the queryset the viewer may see;
- ``present``: the title, address, date, kind and snippet text of the hits on one page;
- ``suggest``: titles starting with what the viewer is typing (autocomplete);
- ``vocabulary``: words the viewer may see, for "did you mean".

``Candidate`` and ``Hit`` are plain data, shared by every source.

A page of results is kept and shared by everyone of one audience (``search.views._scope``:
approval, groups, restrictions passed, language, the pages and collections hidden, the right to
edit documents). A source whose answers depend on anything else about the person (memberships
of its own, say) sets ``personal = True``; results are then kept per person. A source whose
content changes without a new content version (forum posts, at volume) names its own version
with ``kept_key``.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy
from wagtail import hooks

from serving.viewer import viewer_for

logger = logging.getLogger(__name__)

HOOK_NAME = "register_site_search_source"

# Facet names, in the order the page shows them, and their labels. "evidence" and "outcome" are
# given by solutions (knowledge.models.KnowledgePage.site_search_facets); a facet no hit has is
# not shown.
FACETS = ("type", "workstream", "organisation", "evidence", "outcome", "year")
FACET_LABELS = {
    "type": gettext_lazy("Type"),
    "workstream": gettext_lazy("Workstream"),
    "organisation": gettext_lazy("Organisation"),
    "evidence": gettext_lazy("Evidence"),
    "outcome": gettext_lazy("Outcome"),
    "year": gettext_lazy("Year"),
}


@dataclass
class Candidate:
    """One match before presentation: enough to rank, filter and count it."""

    source: str
    pk: int
    score: float
    date: dt.date | None
    # facet name -> ((value, label), ...)
    facets: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # For the one ranking (``ranking.py``): the title, the names people would type for it
    # (organisations, workstreams, kind, version, summary), whether it is a current version,
    # its document family (versions of one document share it) and a gentle type boost.
    title: str = ""
    names: str = ""
    current: bool = True
    family: str | None = None
    boost: float = 0.0
    earlier: list = field(default_factory=list)
    # Found only by "all but one" of a question's words (``search.views._gather``): which one
    # it lacks is not known, so a concept not in its title or names may be missing.
    partial: bool = False

    @property
    def key(self) -> str:
        return f"{self.source}:{self.pk}"


@dataclass
class Hit:
    """One result as the page shows it. ``text`` is plain text; the view builds the snippet."""

    title: str
    url: str
    kind: str
    date: dt.date | None = None
    text: str = ""
    details: tuple[str, ...] = ()


@dataclass
class Suggestion:
    title: str
    url: str
    kind: str


@dataclass
class CandidateSet:
    candidates: list[Candidate]
    incomplete: bool = False


class SearchSource:
    """The interface of a search source. Subclasses fill in every method."""

    key = ""
    label = ""

    def candidates(self, request, query, *, limit: int, operator: str = "and") -> CandidateSet:
        """``query`` is a modelsearch query (``search.query.ParsedQuery.expression``) or text."""
        raise NotImplementedError

    def present(self, request, candidates: list[Candidate]) -> dict[int, Hit]:
        """The hits for these candidates (one page of results), by primary key."""
        raise NotImplementedError

    def suggest(self, request, prefix: str, *, limit: int) -> list[Suggestion]:
        raise NotImplementedError

    def vocabulary(self, request, *, limit: int) -> list[str]:
        raise NotImplementedError

    def kept_key(self, request) -> str:
        """What else kept results of this source depend on, beside the content version and the
        scope: a version of the source's own content that changes more often than pages do
        (forum posts). Empty: nothing."""
        return ""


def get_sources() -> list[SearchSource]:
    """Every registered source, in hook order; a source that fails to build is left out."""
    sources = []
    for fn in hooks.get_hooks(HOOK_NAME):
        source = fn()
        if source is not None:
            sources.append(source)
    return sources


def search_objects(queryset: QuerySet, query, *, limit: int, operator: str = "and") -> tuple[list, bool]:
    """The best ``limit`` matches, best first, and whether the index said its answer may be
    incomplete.

    ``queryset`` may only filter on the model's ``FilterField``s (every backend can express
    those) and should fetch only what the source needs (``only``/``select_related``): the
    source then drops, in Python, what the viewer may not see. A backend error (a damaged
    index, a query it cannot parse) answers "no results, may be incomplete", never an error.
    """
    try:
        if isinstance(query, str):
            results = queryset.search(query, operator=operator, order_by_relevance=True)
        else:  # a parsed query says its own operators
            results = queryset.search(query, order_by_relevance=True)
        objects = list(results[:limit])
        return objects, bool(getattr(results, "incomplete", False))
    except Exception:  # noqa: BLE001 - a broken index or backend must not break the page
        logger.exception("Site search failed for %r", str(query)[:80])
        return [], True


def autocomplete_ids(queryset: QuerySet, prefix: str, *, limit: int) -> list:
    try:
        return [obj.pk for obj in queryset.only("pk").autocomplete(prefix)[:limit]]
    except Exception:  # noqa: BLE001 - suggestions are a nicety, never an error
        logger.exception("Site search suggestions failed for %r", prefix[:80])
        return []


def in_order(rows, ids, key=lambda row: row[0]) -> list:
    """Database rows put back in the order of ``ids`` (the search's ranking)."""
    position = {pk: i for i, pk in enumerate(ids)}
    return sorted(rows, key=lambda row: position.get(key(row), len(position)))


def as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


# Pages ---------------------------------------------------------------------------------------


def visible_pages(request) -> QuerySet:
    """Live pages (not the tree's root) minus those under a restriction this viewer does not pass
    (``serving.viewer``: the same rule serving a page applies)."""
    from wagtail.models import Page

    return viewer_for(request).visible_pages(Page.objects.live().exclude(depth__lte=1))


def hidden_page_paths(request) -> tuple[str, ...]:
    """The tree paths of the restricted pages this viewer does not pass."""
    return viewer_for(request).hidden_page_paths


class PageSource(SearchSource):
    """Every live page the viewer may see, whatever its type."""

    key = "pages"

    @property
    def label(self):
        from django.utils.translation import gettext

        return gettext("Pages")

    def candidates(self, request, query, *, limit, operator="and"):
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Page

        hidden = hidden_page_paths(request)
        indexed = (
            Page.objects.live()
            .exclude(depth__lte=1)
            .only("pk", "path", "content_type_id", "first_published_at", "title", "search_description")
        )
        pages, incomplete = search_objects(indexed, query, limit=limit, operator=operator)
        candidates = []
        for rank, page in enumerate(pages):
            if hidden and page.path.startswith(hidden):
                continue
            model = ContentType.objects.get_for_id(page.content_type_id).model_class()
            label = page_label(model)
            published = as_date(page.first_published_at)
            facets = {"type": ((f"page.{slugify(label)}", label),)}
            if published:
                facets["year"] = ((str(published.year), str(published.year)),)
            candidate = Candidate(self.key, page.pk, -rank, published, facets, title=page.title)
            candidate.model = model
            candidate.boost = getattr(model, "search_boost", 0.0)
            candidate.names = page.search_description or ""
            candidates.append(candidate)
        add_page_type_facets(candidates, viewer_for(request).content_version)
        for candidate in candidates:
            candidate.names = " ".join([candidate.names, *facet_labels(candidate.facets)])
        return CandidateSet(candidates, incomplete)

    def present(self, request, candidates):
        """One query per page type among the pages not presented before under this content
        version, host and language (``presented``); no query for the base rows."""
        from wagtail.models import Page

        viewer = viewer_for(request)
        seen = presented(f"pages:{viewer.language}", viewer.content_version, request.get_host())
        by_model = {}
        for candidate in candidates:
            if candidate.pk not in seen:
                by_model.setdefault(getattr(candidate, "model", None) or Page, []).append(candidate.pk)
        for model, ids in by_model.items():
            for page in model.objects.live().filter(pk__in=ids):
                seen[page.pk] = (
                    page.path,
                    Hit(
                        title=page.title,
                        url=page.get_url(request) or "",
                        kind=page_label(type(page)),
                        date=as_date(page.last_published_at or page.first_published_at),
                        text=page_text(page),
                    ),
                )
        hidden = hidden_page_paths(request)
        hits = {}
        for candidate in candidates:
            path, hit = seen.get(candidate.pk, (None, None))
            if hit is not None and not (hidden and path.startswith(hidden)):
                hits[candidate.pk] = hit
        return hits

    def suggest(self, request, prefix, *, limit):
        from wagtail.models import Page

        ids = autocomplete_ids(Page.objects.live(), prefix, limit=limit * 3)
        pages = in_order(visible_pages(request).filter(pk__in=ids), ids, key=lambda page: page.pk)
        return [Suggestion(page.title, page.get_url(request) or "", "") for page in pages[:limit]]

    def vocabulary(self, request, *, limit):
        rows = (
            visible_pages(request).order_by("-last_published_at").values_list("title", "search_description")
        )
        return [" ".join(filter(None, row)) for row in rows[:limit]]


# Presented results, per kind (with the language: labels are translated), content version and
# host: {(kind, version, host): {pk: ...}}.
# What a result shows of a live page or a document (title, address, kind, date, text) is the
# same for every viewer of one site until something is published (a new content version); who
# may see it is checked on every search. So an item found again costs no query.
_PRESENTED: dict = {}
PRESENTED_LIMIT = 5_000


def presented(kind: str, version, host: str, limit: int | None = None) -> dict:
    """The kept presentations of one kind of result (a source's own), to read and fill; at
    most ``limit`` of them (``PRESENTED_LIMIT`` unless said) before they start afresh."""
    key = (kind, version, host)
    if key not in _PRESENTED:
        if any(kept[1] != version for kept in _PRESENTED):
            _PRESENTED.clear()
        _PRESENTED[key] = {}
    seen = _PRESENTED[key]
    if len(seen) > (PRESENTED_LIMIT if limit is None else min(limit, PRESENTED_LIMIT)):
        seen.clear()
    return seen


def page_label(model) -> str:
    """What people call a page type in results and filters: its ``search_label`` ("Solution",
    "Scheme"...), or "Page" (never the CMS's type names, "Standard page")."""
    from django.utils.translation import gettext

    return str(getattr(model, "search_label", None) or gettext("Page"))


def facet_labels(facets: dict) -> list[str]:
    """The names of a candidate's facet values (kind, workstreams, organisations...)."""
    return [label for name, values in facets.items() if name != "year" for _v, label in values]


# Page types' facet values, per content version: {(version, implementation): {pk: facets}}.
# A page's facets (its workstreams, organisations...) are the same for every viewer and change
# only with a new content version, so a warm search asks the database nothing for them.
_FACETS_SEEN: dict = {}
FACETS_SEEN_LIMIT = 20_000


def add_page_type_facets(candidates: list[Candidate], version=None) -> None:
    """Let page types add facet values of their own (a scheme's workstreams and organisations).

    A page model opts in with a classmethod ``site_search_facets(pks)`` answering
    ``{pk: {facet: ((value, label), ...)}}`` for the pages given; it is asked once per page type
    among the candidates, and once for all the page types that share one implementation (the
    solutions and guides of a common base), so the number of queries depends on the
    implementations, not the hits; and only for pages it was not asked about under this
    content ``version`` (kept per process).
    """
    by_implementation: dict[object, tuple[type, list[Candidate]]] = {}
    for candidate in candidates:
        model = getattr(candidate, "model", None)
        method = getattr(model, "site_search_facets", None) if model is not None else None
        if method is not None:
            implementation = getattr(method, "__func__", method)
            by_implementation.setdefault(implementation, (model, []))[1].append(candidate)
    if version is not None and any(key[0] != version for key in _FACETS_SEEN):
        _FACETS_SEEN.clear()
    for implementation, (model, group) in by_implementation.items():
        seen = _FACETS_SEEN.setdefault((version, implementation), {}) if version is not None else {}
        missing = [candidate.pk for candidate in group if candidate.pk not in seen]
        if missing:
            if len(seen) + len(missing) > FACETS_SEEN_LIMIT:
                seen.clear()
            found = model.site_search_facets(missing)
            for pk in missing:
                seen[pk] = found.get(pk, {})
        for candidate in group:
            candidate.facets.update(seen.get(candidate.pk, {}))


def page_text(page) -> str:
    """The plain text of a page's own search fields (summary, body...), for its snippet."""
    from modelsearch import index

    parts = [page.search_description or ""]
    for search_field in page.get_search_fields():
        if not isinstance(search_field, index.SearchField) or search_field.field_name in ("title",):
            continue
        if callable(getattr(type(page), search_field.field_name, None)):
            # A method (a scheme's names, the onboarding steps): index text that may cost
            # queries, never read for a snippet.
            continue
        try:
            value = search_field.get_value(page)
        except Exception:  # noqa: BLE001 - a field the page type lacks
            continue
        if isinstance(value, list | tuple):
            value = " ".join(str(v) for v in value)
        if value:
            parts.append(str(value))
    return " ".join(parts)

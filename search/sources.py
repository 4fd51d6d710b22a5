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

    def terms(self) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
        """The stemmed terms of its title (in order), of its names, and of its title again as a
        set, for the ranking; worked out once per candidate (and so once per kept candidate:
        ``again``)."""
        terms = self.__dict__.get("_terms")
        if terms is None:
            from .backends.whoosh.analysis import stemmed_terms

            title = tuple(stemmed_terms(self.title or ""))
            terms = self._terms = (title, frozenset(stemmed_terms(self.names or "")), frozenset(title))
        return terms

    def again(self, score: float) -> "Candidate":
        """A fresh copy of a kept candidate for one search, at ``score``: what a search changes
        (its score, the versions folded under it, "partial") is never changed on the kept one."""
        self.terms()
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.score, copy.earlier, copy.partial = score, [], False
        return copy


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


def search_keys(queryset: QuerySet, query, *, limit: int, operator: str = "and") -> tuple[list, bool]:
    """The primary keys of the best ``limit`` matches, best first, and whether the index said
    its answer may be incomplete; sources keep what they need of each object themselves
    (``kept_candidates``).

    ``queryset`` may only filter on the model's ``FilterField``s (every backend can express
    those): the source then drops, in Python, what the viewer may not see. Where the backend
    answers from its index alone (ours: ``WhooshSearchResults.keys``) no object is read;
    elsewhere (Wagtail's database backend, whose search is one SQL query) the objects are read
    with their key alone. A key may name an object deleted or changed since it was indexed:
    the source reads its objects through its own queryset, which drops it. A backend error (a
    damaged index, a query it cannot parse) answers "no results, may be incomplete", never an
    error.
    """
    queryset = queryset.only("pk")
    try:
        if isinstance(query, str):
            results = queryset.search(query, operator=operator, order_by_relevance=True)
        else:
            results = queryset.search(query, order_by_relevance=True)
        page = results[:limit]
        keys = page.keys() if hasattr(page, "keys") else [obj.pk for obj in page]
        return keys, bool(getattr(results, "incomplete", False))
    except Exception:  # noqa: BLE001 - a broken index or backend must not break the page
        logger.exception("Site search failed for %r", str(query)[:80])
        return [], True


# Candidates kept per kind, version and language: {pk: (facts, candidate) or None}. What a
# candidate holds (title, names, date, facets) is the same for every viewer until something is
# published (a new content version; for the forum, a new search version of its own as well);
# the facts are what decides, per viewer, whether it may be shown (a page's path, a document's
# collection and status, a post's group), checked on every search. A key read and not found
# (gone, not live, hidden) is kept as None.
KEPT_CANDIDATES = 10_000


def kept_candidates(kind: str, version, language: str, keys: list, read) -> dict:
    """The kept candidates for ``keys``, reading those not kept yet with ``read(missing)``
    (answering ``{pk: (facts, candidate)}``, one or a few queries whatever the number)."""
    kept = _kept(f"candidates:{kind}:{language}", version, "", KEPT_CANDIDATES)
    missing = [key for key in keys if key not in kept]
    if missing:
        found = read(missing)
        for key in missing:
            kept[key] = found.get(key)
    return kept


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
        from wagtail.models import Page

        viewer = viewer_for(request)
        keys, incomplete = search_keys(self._pages(Page), query, limit=limit, operator=operator)
        kept = kept_candidates(self.key, viewer.content_version, viewer.language, keys, self._read)
        hidden = viewer.hidden_page_paths
        candidates = []
        for rank, key in enumerate(keys):
            found = kept.get(key)
            if found is not None and not (hidden and found[0].startswith(hidden)):
                candidates.append(found[1].again(-rank))
        return CandidateSet(candidates, incomplete)

    @staticmethod
    def _pages(page_model):
        return page_model.objects.live().exclude(depth__lte=1)

    def _read(self, pks) -> dict:
        """Candidates for these pages, as every viewer would have them, with their paths: one
        query, and one per page type implementation with facets of its own."""
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Page

        pages = (
            self._pages(Page)
            .filter(pk__in=pks)
            .only("pk", "path", "content_type_id", "first_published_at", "title", "search_description")
        )
        found, candidates = {}, []
        for page in pages:
            model = ContentType.objects.get_for_id(page.content_type_id).model_class()
            label = page_label(model)
            published = as_date(page.first_published_at)
            facets = {"type": ((f"page.{slugify(label)}", label),)}
            if published:
                facets["year"] = ((str(published.year), str(published.year)),)
            candidate = Candidate(self.key, page.pk, 0, published, facets, title=page.title)
            candidate.model = model
            candidate.boost = getattr(model, "search_boost", 0.0)
            candidate.names = page.search_description or ""
            candidates.append(candidate)
            found[page.pk] = (page.path, candidate)
        add_page_type_facets(candidates)
        for candidate in candidates:
            candidate.names = " ".join([candidate.names, *facet_labels(candidate.facets)])
        return found

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
    return _kept(kind, version, host, PRESENTED_LIMIT if limit is None else min(limit, PRESENTED_LIMIT))


def forget_kept() -> None:
    """Drop every kept candidate and presentation of this process (a cold start, for tests)."""
    _PRESENTED.clear()


def _kept(kind: str, version, host: str, limit: int) -> dict:
    """What is kept of one kind for one host under ``version``; what was kept of that kind and
    host under another version goes."""
    key = (kind, version, host)
    seen = _PRESENTED.get(key)
    if seen is None:
        for old in [old for old in _PRESENTED if old[0] == kind and old[2] == host]:
            del _PRESENTED[old]
        seen = _PRESENTED[key] = {}
    if len(seen) > limit:
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


def add_page_type_facets(candidates: list[Candidate]) -> None:
    """Let page types add facet values of their own (a scheme's workstreams and organisations).

    A page model opts in with a classmethod ``site_search_facets(pks)`` answering
    ``{pk: {facet: ((value, label), ...)}}`` for the pages given; it is asked once per page type
    among the candidates, and once for all the page types that share one implementation (the
    solutions and guides of a common base), so the number of queries depends on the
    implementations, not the hits. (Candidates are kept per content version with their facets:
    ``kept_candidates``.)
    """
    by_implementation: dict[object, tuple[type, list[Candidate]]] = {}
    for candidate in candidates:
        model = getattr(candidate, "model", None)
        method = getattr(model, "site_search_facets", None) if model is not None else None
        if method is not None:
            implementation = getattr(method, "__func__", method)
            by_implementation.setdefault(implementation, (model, []))[1].append(candidate)
    for model, group in by_implementation.values():
        found = model.site_search_facets([candidate.pk for candidate in group])
        for candidate in group:
            candidate.facets.update(found.get(candidate.pk, {}))


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

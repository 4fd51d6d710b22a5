"""The site search at ``/search/?q=...`` and its suggestions as you type.

Every registered search source (``sources.py``) is asked for its best matches among what the
viewer may see, at most ``MAX_CANDIDATES`` each; filters, counts, sorting and pages are worked
out over those matches in memory, and only the page shown is fetched in full. The query count
is therefore fixed whatever the volume: per source one search and one query for its facet
values, then per source one query for the page of results.
"""

import logging
import re
from dataclasses import dataclass

from django.core.paginator import EmptyPage, Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .facets import Facet, FacetValue
from .sources import FACET_LABELS, FACETS, Candidate, get_sources
from .text import MAX_QUERY_LENGTH, build_vocabulary, clean_query, snippet, spelling_suggestion

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
# Matches considered per source: counts and filters cover the best this many of each source.
MAX_CANDIDATES = 500
MAX_FILTER_VALUES = 20
FACET_VALUES_SHOWN = 15
# "Did you mean" is offered when a search finds fewer results than this.
FEW_RESULTS = 3
VOCABULARY_ROWS = 1_000
SUGGESTIONS = 8
MIN_SUGGEST_CHARS = 2
VALUE = re.compile(r"^[-\w.]{1,100}$")

SORTS = {"relevance": gettext_lazy("Best match"), "newest": gettext_lazy("Newest first")}


@dataclass
class Result:
    title: str
    url: str
    kind: str
    date: object
    snippet: str
    details: tuple


def _selected(request) -> dict[str, tuple[str, ...]]:
    chosen = {}
    for name in FACETS:
        values = []
        for value in request.GET.getlist(name)[: MAX_FILTER_VALUES * 2]:
            value = str(value).strip()
            if VALUE.match(value) and value not in values:
                values.append(value)
        chosen[name] = tuple(values[:MAX_FILTER_VALUES])
    return chosen


def _passes(candidate: Candidate, selected: dict, skip: str | None = None) -> bool:
    for name, values in selected.items():
        if name == skip or not values:
            continue
        if not any(value in values for value, _label in candidate.facets.get(name, ())):
            return False
    return True


def _facets(candidates: list[Candidate], selected: dict) -> list[Facet]:
    facets = []
    for name in FACETS:
        counts, labels = {}, {}
        for candidate in candidates:
            if not _passes(candidate, selected, skip=name):
                continue
            for value, label in candidate.facets.get(name, ()):
                counts[value] = counts.get(value, 0) + 1
                labels[value] = label
        if name == "year":
            order = sorted(counts, reverse=True)
        else:
            order = sorted(counts, key=lambda v: (-counts[v], labels[v].lower()))
        shown = order[:FACET_VALUES_SHOWN]
        shown += [v for v in selected[name] if v in counts and v not in shown]
        values = [FacetValue(v, labels[v], counts[v], v in selected[name]) for v in shown]
        # A chosen value nothing matches any more stays visible, so it can be unticked.
        values += [FacetValue(v, v, 0, True) for v in selected[name] if v not in counts]
        if values:
            facets.append(Facet(name, FACET_LABELS[name], values))
    return facets


def _gather(request, sources, query: str, operator: str) -> tuple[list[Candidate], bool]:
    ranked, incomplete = [], False
    for order, source in enumerate(sources):
        found = source.candidates(request, query, limit=MAX_CANDIDATES, operator=operator)
        incomplete = incomplete or found.incomplete
        for rank, candidate in enumerate(found.candidates):
            # Scores from different indexes cannot be compared: interleave by rank instead.
            ranked.append(((rank, order), candidate))
    ranked.sort(key=lambda item: item[0])
    return [candidate for _key, candidate in ranked], incomplete


def _present(request, sources, page_candidates: list[Candidate], query: str) -> list[Result]:
    by_source = {}
    for candidate in page_candidates:
        by_source.setdefault(candidate.source, []).append(candidate)
    hits = {}
    for source in sources:
        if source.key in by_source:
            for pk, hit in source.present(request, by_source[source.key]).items():
                hits[f"{source.key}:{pk}"] = hit
    results = []
    for candidate in page_candidates:
        hit = hits.get(candidate.key)
        if hit is None:  # gone or hidden since the search: never shown
            continue
        results.append(Result(hit.title, hit.url, hit.kind, hit.date, snippet(hit.text, query), hit.details))
    return results


def _did_you_mean(request, sources, query: str) -> str | None:
    texts = []
    for source in sources:
        texts.extend(source.vocabulary(request, limit=VOCABULARY_ROWS))
    # Words come from titles and summaries the viewer may see, which are all indexed: a
    # suggestion finds something without a second search to prove it.
    suggestion = spelling_suggestion(query, build_vocabulary(texts))
    if not suggestion or suggestion == query.lower():
        return None
    return suggestion


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 100_000))
    except (TypeError, ValueError):
        return 1


def search(request):
    """Site search over the pages, documents and other content the viewer may see."""
    query, shortened = clean_query(request.GET.get("q", ""))
    selected = _selected(request)
    sort = request.GET.get("sort")
    if sort not in SORTS:
        sort = "relevance"
    context = {
        "search_query": query,
        "notice": (
            _("Your search was shortened to its first %(n)s characters.") % {"n": MAX_QUERY_LENGTH}
            if shortened
            else None
        ),
        "sorts": SORTS,
        "sort": sort,
        "selected": selected,
        "any_filter": any(selected.values()),
        "results": None,
    }
    if query:
        sources = get_sources()
        candidates, incomplete = _gather(request, sources, query, "and")
        some_words = False
        if not candidates and len(query.split()) > 1 and not incomplete:
            candidates, incomplete = _gather(request, sources, query, "or")
            some_words = bool(candidates)
        facets = _facets(candidates, selected)
        matching = [c for c in candidates if _passes(c, selected)]
        if sort == "newest":
            matching.sort(key=lambda c: (c.date is not None, c.date), reverse=True)
        paginator = Paginator(matching, PAGE_SIZE)
        try:
            page = paginator.page(_page_number(request))
        except EmptyPage:
            page = paginator.page(paginator.num_pages)
        results = _present(request, sources, list(page.object_list), query)
        did_you_mean = None
        if paginator.count < FEW_RESULTS and not incomplete and not some_words:
            did_you_mean = _did_you_mean(request, sources, query)
        context.update(
            {
                "results": results,
                "page_obj": page,
                "total": paginator.count,
                "facets": facets,
                "incomplete": incomplete,
                "some_words": some_words,
                "capped": any(
                    sum(1 for c in candidates if c.source == s.key) >= MAX_CANDIDATES for s in sources
                ),
                "max_candidates": MAX_CANDIDATES,
                "did_you_mean": did_you_mean,
            }
        )
    return render(request, "search/search.html", context)


def suggest(request):
    """Titles starting with what the viewer is typing: an htmx fragment of links."""
    query, _shortened = clean_query(request.GET.get("q", ""))
    suggestions = []
    if len(query) >= MIN_SUGGEST_CHARS:
        seen = set()
        for source in get_sources():
            try:
                found = source.suggest(request, query, limit=SUGGESTIONS)
            except Exception:  # noqa: BLE001 - suggestions are a nicety: never an error
                logger.exception("Suggestions failed for %s", source.key)
                continue
            for suggestion in found:
                if suggestion.url and suggestion.url not in seen:
                    seen.add(suggestion.url)
                    suggestions.append(suggestion)
        suggestions = sorted(suggestions, key=lambda s: not s.title.lower().startswith(query.lower()))
        suggestions = suggestions[:SUGGESTIONS]
    return render(
        request, "search/includes/suggestions.html", {"suggestions": suggestions, "search_query": query}
    )

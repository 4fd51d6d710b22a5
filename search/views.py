"""The site search at ``/search/?q=...`` and its suggestions as you type.

The query is parsed once with the editors' vocabulary (``query.py``); every registered search
source (``sources.py``) is asked for its best matches among what the viewer may see, at most
``MAX_CANDIDATES`` each, and they are ranked on one scale (``ranking.py``); filters, counts, sorting and pages are worked
out over those matches in memory, and only the page shown is fetched in full. The query count
is therefore fixed whatever the volume: per source one search and one query for its facet
values, then per source one query for the page of results.
"""

import hashlib
import logging
import re
from dataclasses import dataclass

from django.core.paginator import EmptyPage, Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from serving.version import SharedWhenAskedAgain, memo
from serving.viewer import viewer_for
from serving.visibility import Fragment

from .facets import Facet, FacetValue
from .page import search_page
from .query import WORD, ParsedQuery, parse, vocabulary_for
from .ranking import rank
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
SHOWN_TEXT = 20_000  # characters of each shown result's text that count as words spelt right
VOCABULARY_ROWS = 1_000
WORDS_TIMEOUT = 60 * 60
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
            facets.append(Facet(name, str(FACET_LABELS[name]), values))  # translated once
    return facets


def _gather(request, sources, parsed: ParsedQuery, operator: str) -> tuple[list[Candidate], bool]:
    """Every source's best matches, in one ranking (``ranking.py``). A question of three to six
    things asked for (``ParsedQuery.widens``) also takes what has all of them but one, ranked
    on what its title and names hold: "how do we share information with the council" finds
    the information-sharing agreement, which never says "council"."""
    found, incomplete = [], False
    expression = parsed.expression(operator)
    wider = parsed.expression("most") if operator == "and" and parsed.widens else None
    for source in sources:
        answer = source.candidates(request, expression, limit=MAX_CANDIDATES, operator=operator)
        incomplete = incomplete or answer.incomplete
        candidates = answer.candidates
        if wider is not None:
            more = source.candidates(request, wider, limit=MAX_CANDIDATES, operator="or")
            incomplete = incomplete or more.incomplete
            have = {candidate.pk for candidate in candidates}
            extra = [candidate for candidate in more.candidates if candidate.pk not in have]
            for candidate in extra:
                candidate.partial = True
            candidates = candidates + extra
        found.append(candidates)
    return rank(found, parsed, operator=operator), incomplete


def _present(
    request, sources, page_candidates: list[Candidate], parsed: ParsedQuery, texts: list | None = None
) -> list[Result]:
    """The page's results as shown; ``texts`` (if given) receives each shown result's text."""
    by_source = {}
    for candidate in page_candidates:
        by_source.setdefault(candidate.source, []).append(candidate)
    hits = {}
    for source in sources:
        if source.key in by_source:
            for pk, hit in source.present(request, by_source[source.key]).items():
                hits[f"{source.key}:{pk}"] = hit
    results = []
    highlight = parsed.highlight
    for candidate in page_candidates:
        hit = hits.get(candidate.key)
        if hit is None:  # gone or hidden since the search: never shown
            continue
        details = hit.details
        if candidate.earlier:
            n = len(candidate.earlier)
            details = (*details, ngettext("%(n)s earlier version", "%(n)s earlier versions", n) % {"n": n})
        results.append(Result(hit.title, hit.url, hit.kind, hit.date, snippet(hit.text, highlight), details))
        if texts is not None:
            texts.extend((hit.title or "", (hit.text or "")[:SHOWN_TEXT]))
    return results


def _known_words(request, sources) -> frozenset[str]:
    """Words of the titles and summaries the viewer may see, and the search vocabulary's, for
    "did you mean"; kept per content version and audience (people who see the same content),
    so a warm search asks the database nothing for them."""
    viewer = viewer_for(request)

    def build():
        texts = []
        for source in sources:
            texts.extend(source.vocabulary(request, limit=VOCABULARY_ROWS))
        return frozenset(build_vocabulary(texts))

    audience = viewer.audience_key
    if audience is None:
        words = build()
    else:
        digest = hashlib.sha256(audience.encode()).hexdigest()[:24]
        words = memo.get_or_set(f"search:words:{viewer.content_version}:{digest}", build, WORDS_TIMEOUT)
    return words | vocabulary_for(request).words


def _did_you_mean(request, sources, parsed: ParsedQuery, shown=()) -> str | None:
    # Words come from titles and summaries the viewer may see, which are all indexed: a
    # suggestion finds something without a second search to prove it. A word in the text of a
    # result shown (``shown``) is spelt as the site spells it: never "corrected".
    words = parsed.words
    if shown:
        in_results = set(WORD.findall(" ".join(shown).lower()))
        words = [word for word in words if word.lower() not in in_results]
    suggestion = spelling_suggestion(parsed.text, _known_words(request, sources), words)
    if not suggestion or suggestion == parsed.text.lower():
        return None
    return suggestion


def _search(request, sources, parsed: ParsedQuery) -> tuple[list[Candidate], bool, bool]:
    """All the words; failing that (several words, nothing has them all), some of them."""
    candidates, incomplete = _gather(request, sources, parsed, "and")
    # Found only with one of the words left out: none has them all.
    some_words = bool(candidates) and all(candidate.partial for candidate in candidates)
    if not candidates and len(parsed.concepts) > 1 and not incomplete:
        candidates, incomplete = _gather(request, sources, parsed, "or")
        some_words = bool(candidates)
    return candidates, incomplete, some_words


def _including(parsed: ParsedQuery) -> list[str]:
    """What else was searched for, shown as "including results for ..." (each once)."""
    return list(dict.fromkeys(meaning for _typed, meaning in parsed.expansions))


def _viewer_hint(request) -> str:
    """Which hint about members-only content is true for this viewer: an approved member is
    never told to sign in."""
    viewer = viewer_for(request)
    if viewer.is_approved:
        return "member"
    return "pending" if viewer.is_authenticated else "anonymous"


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 100_000))
    except (TypeError, ValueError):
        return 1


# A search's results, filters and pages are kept this long under one content version (every
# published change, index update included, makes a new one: ``serving.version``).
RESULTS_TIMEOUT = 10 * 60
# Their own per-worker memo: many different searches must not clear the one that keeps every
# other page's work (serving.version.memo clears itself when full). Most searches are made once:
# a page of results goes to the shared cache only when it is asked for again in this process.
results_memo = SharedWhenAskedAgain(size=256)


def _scope(request, sources) -> str:
    """Who may be given the same results: everyone of one audience (the facts that decide
    every shared page: approval, groups, restrictions passed, language), each person apart
    when they have no audience (editors see drafts) or a source answers per person
    (``SearchSource.personal``), and anonymous visitors by what is hidden from them. The
    visibility and edit right are part of every scope as well."""
    viewer = viewer_for(request)
    facts = f"{viewer.visibility.key}:{int(viewer.can_edit_documents)}:{viewer.language}"
    # What else a source's answers depend on, beside the content version (a version of its
    # own: the forum's changes at volume retire only searches, never the pages).
    for source in sources:
        if kept_key := getattr(source, "kept_key", None):
            facts += f":{kept_key(request)}"
    personal = any(getattr(source, "personal", False) for source in sources)
    if not viewer.is_authenticated:
        return f"anonymous:{facts}"
    if viewer.audience_key is not None and not personal:
        return "audience:" + hashlib.sha256(f"{viewer.audience_key}|{facts}".encode()).hexdigest()[:32]
    return f"person:{viewer.user.pk}:{facts}"


def _canonical_query(query: str, selected: dict, sort: str, page_number: int) -> QueryDict:
    """The search's own parameters, in one order: the links of a kept page of results are
    built from these, never from whatever else the address carried."""
    canonical = QueryDict(mutable=True)
    canonical["q"] = query
    for name, values in selected.items():
        if values:
            canonical.setlist(name, list(values))
    if sort != "relevance":
        canonical["sort"] = sort
    if page_number > 1:
        canonical["page"] = str(page_number)
    return canonical


def _results(request, sources, query: str, selected: dict, sort: str, page_number: int) -> tuple[dict, bool]:
    """Everything the results part of the page shows, and whether the search was incomplete."""
    parsed = parse(query, vocabulary_for(request))
    candidates, incomplete, some_words = _search(request, sources, parsed)
    did_you_mean = corrected = None
    if not incomplete and not candidates:
        did_you_mean = _did_you_mean(request, sources, parsed)
    if did_you_mean:
        # Nothing found, and a spelling that exists: show its results at once.
        retry = parse(did_you_mean, vocabulary_for(request))
        found, found_incomplete, found_some = _search(request, sources, retry)
        if found:
            parsed, candidates, incomplete, some_words = retry, found, found_incomplete, found_some
            corrected, did_you_mean = did_you_mean, None
    facets = _facets(candidates, selected)
    matching = [c for c in candidates if _passes(c, selected)]
    if sort == "newest":
        matching.sort(key=lambda c: (c.date is not None, c.date), reverse=True)
    paginator = Paginator(matching, PAGE_SIZE)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    shown = []
    results = _present(request, sources, list(page.object_list), parsed, shown)
    if not incomplete and not corrected and candidates and (len(candidates) < FEW_RESULTS or some_words):
        did_you_mean = _did_you_mean(request, sources, parsed, shown)
    context = {
        "results": results,
        "page_obj": page,
        "total": paginator.count,
        "facets": facets,
        "incomplete": incomplete,
        "some_words": some_words,
        "capped": any(sum(1 for c in candidates if c.source == s.key) >= MAX_CANDIDATES for s in sources),
        "max_candidates": MAX_CANDIDATES,
        "did_you_mean": did_you_mean,
        "corrected": corrected,
        "including": _including(parsed),
    }
    return context, incomplete


def _results_body(request, base: dict, selected: dict, page_number: int) -> Fragment:
    """The results part, rendered without the request and kept per content version, scope
    (``_scope``) and search; an incomplete search (the index failing) is never kept."""
    sources = get_sources()
    query, sort = base["search_query"], base["sort"]
    params = (query, tuple(selected.items()), sort, page_number, base["viewer_hint"])
    digest = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
    key = f"search:results:{viewer_for(request).content_version}:{_scope(request, sources)}:{digest}"
    made = {}

    def build():
        results, incomplete = _results(request, sources, query, selected, sort, page_number)
        html = render_to_string("search/includes/results.html", {**base, **results})
        made["fragment"] = fragment = Fragment(html=mark_safe(html), facts={"total": results["total"]})
        return None if incomplete else fragment

    return results_memo.get_or_set(key, build, RESULTS_TIMEOUT) or made["fragment"]


def search(request):
    """Site search over the pages, documents and other content the viewer may see."""
    query, shortened = clean_query(request.GET.get("q", ""))
    selected = _selected(request)
    sort = request.GET.get("sort")
    if sort not in SORTS:
        sort = "relevance"
    page_number = _page_number(request)
    canonical = _canonical_query(query, selected, sort, page_number)
    context = {
        "search_query": query,
        "notice": (
            _("Your search was shortened to its first %(n)s characters.") % {"n": MAX_QUERY_LENGTH}
            if shortened
            else None
        ),
        "sorts": {value: str(label) for value, label in SORTS.items()},  # translated once
        "sort": sort,
        "selected": selected,
        "any_filter": any(selected.values()),
        "viewer_hint": _viewer_hint(request),
        "query": canonical,
        "next_path": f"{reverse('search')}?{canonical.urlencode()}" if query else reverse("search"),
    }
    if query:
        context["search_body"] = _results_body(request, context, selected, page_number)
    return search_page(request, context)


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

"""One ranking for the site search: every source's matches scored on one scale.

Scores from different indexes (and different backends) cannot be compared, so each candidate
is scored here from what it says about itself, the same way whatever its source:

- **where the words are** (most of the score): for each thing asked for (a concept of
  ``search.query``, with its alternatives: ``ASB`` or anti-social behaviour), 3 if the title has
  it, 1.5 if its names or summary do (organisations, workstreams, kind, version), 1 if only the
  index found it (in the body or a document's text; 0.25 where it may be missing: "some
  words", or a question's match on all but one of its words), averaged over the concepts, each weighted
  by its rarity among the candidates (``rank``); a title that
  is exactly what was asked for, or holds every word of it, adds 1.5 or 0.75;
- **the engine's own order** within its source, from 0.8 for its best match down, so among
  equally good matches the one the index ranked higher stays ahead;
- **the current version** of a governance document ahead of superseded and withdrawn ones
  (-1); earlier versions found with the current one are folded under it (``fold_families``);
- **gentle tie-breakers**: freshness (up to 0.2 for the last two years) and the content type
  (a source or page type's ``boost``, up to 0.2).
"""

import datetime as dt
import math

from .backends.whoosh.analysis import stemmed_terms

TITLE, NAMES, ELSEWHERE = 3.0, 1.5, 1.0
MAYBE = 0.25  # a concept the title and names lack, where the candidate may not have it at all
EXACT_TITLE, ALL_IN_TITLE = 1.5, 0.75
ENGINE = 0.8
SUPERSEDED = -1.0
FRESH_DAYS, FRESH = 730, 0.2


class Scorer:
    def __init__(self, parsed, *, today: dt.date | None = None, operator: str = "and"):
        self.concepts = []
        for concept in parsed.concepts:
            forms = [frozenset(stemmed_terms(a)) for a in (concept.text, *concept.alternatives)]
            forms = [form for form in forms if form]
            if forms:
                self.concepts.append(forms)
        self.wanted = tuple(stemmed_terms(" ".join(c.text for c in parsed.concepts)))
        self.wanted_set = frozenset(self.wanted)
        self.today = today or dt.date.today()
        # With "some words", a concept the title and names lack may not be there at all.
        self.elsewhere = ELSEWHERE if operator == "and" else MAYBE

    def levels(self, candidate) -> list[float]:
        """How well the candidate holds each concept: in its title, its names, or elsewhere
        (perhaps not at all for a candidate that has only most of the words)."""
        elsewhere = MAYBE if candidate.partial else self.elsewhere

        _, names, title = candidate.terms()
        found = []
        for forms in self.concepts:
            if any(form <= title for form in forms):
                found.append(TITLE)
            elif any(form <= names for form in forms):
                found.append(NAMES)
            else:
                found.append(elsewhere)
        return found

    def score(self, candidate, rank: int, levels: list[float], weights: list[float]) -> float:
        score = sum(w * level for w, level in zip(weights, levels, strict=True)) / (sum(weights) or 1)
        title_terms, _, title = candidate.terms()
        if self.wanted and title_terms == self.wanted:
            score += EXACT_TITLE
        elif self.wanted and self.wanted_set <= title:
            score += ALL_IN_TITLE
        score += ENGINE / (1 + rank / 5)
        if not candidate.current:
            score += SUPERSEDED
        if candidate.date:
            age = (self.today - candidate.date).days
            score += FRESH * max(0.0, 1 - max(age, 0) / FRESH_DAYS)
        score += max(-0.2, min(0.2, candidate.boost))
        return score


def rank(found: list[list], parsed, *, operator: str = "and") -> list:
    """Every source's candidates (each list best first) in one list, best first.

    A concept that many candidates show in their titles or names tells them apart less than
    a rare one ("shared" against "information"), so each concept weighs by its rarity among
    the candidates (inverse document frequency over the pool, as BM25 does over an index).
    """
    scorer = Scorer(parsed, operator=operator)
    pool = [(order, position, c) for order, cs in enumerate(found) for position, c in enumerate(cs)]
    levels = [scorer.levels(candidate) for _o, _p, candidate in pool]
    weights = []
    for k in range(len(scorer.concepts)):
        shown = sum(1 for found_levels in levels if found_levels[k] >= NAMES)
        weights.append(math.log(1 + (len(pool) + 1) / (shown + 1)))
    scored = []
    for (order, position, candidate), found_levels in zip(pool, levels, strict=True):
        candidate.score = scorer.score(candidate, position, found_levels, weights)
        scored.append((-candidate.score, order, position, candidate))
    scored.sort(key=lambda item: item[:3])
    return fold_families([item[3] for item in scored])


def fold_families(candidates: list) -> list:
    """One result per document family: its best current version (or, if none matched, its best
    version), with the family's other matching versions folded under it (``earlier``)."""
    leaders = {}
    for candidate in candidates:
        if candidate.family is None:
            continue
        leader = leaders.get(candidate.family)
        if leader is None or (candidate.current and not leader.current):
            leaders[candidate.family] = candidate
    folded = []
    for candidate in candidates:
        leader = leaders.get(candidate.family) if candidate.family is not None else None
        if leader is None or leader is candidate:
            folded.append(candidate)
        else:
            leader.earlier.append(candidate)
    return folded

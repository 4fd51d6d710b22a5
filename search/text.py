"""Plain-text helpers of the site search: cleaning a query, highlighted snippets, spelling
suggestions. Everything here is bounded in time whatever the input."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
SNIPPET_WORDS = 36
# Only the first part of a long text is searched for the snippet (extracted PDFs can be huge).
SNIPPET_SOURCE_CHARS = 60_000

WORD = re.compile(r"\w+")


def clean_query(raw: str) -> tuple[str, bool]:
    """Drop control and other unprintable characters, collapse spaces, cap the length.

    Returns the cleaned query and whether it was shortened.
    """
    raw = (raw or "")[: MAX_QUERY_LENGTH * 50]
    query = " ".join("".join(ch for ch in raw if ch.isprintable()).split())
    if len(query) > MAX_QUERY_LENGTH:
        return query[:MAX_QUERY_LENGTH].rstrip(), True
    return query, False


def query_words(query: str) -> list[str]:
    """The words of a query, lower-cased, without repeats, at most ``MAX_QUERY_WORDS``."""
    words = []
    for word in WORD.findall(query.lower()):
        if word not in words:
            words.append(word)
        if len(words) == MAX_QUERY_WORDS:
            break
    return words


def _stem(word: str) -> str:
    """A crude prefix that matches a word's inflections (agreement, agreements, agreed)."""
    if len(word) <= 4:
        return word
    for suffix in ("ing", "ies", "es", "ed", "s", "e", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _matcher(words: list[str]):
    stems = [(w, _stem(w)) for w in words]

    def matches(token: str) -> bool:
        token = token.lower()
        for word, stem in stems:
            if len(word) <= 4:
                if token == word or token == word + "s":
                    return True
            elif token.startswith(stem) and len(token) - len(stem) <= 4:
                return True
        return False

    return matches


def snippet(text: str, query: str, *, words: int = SNIPPET_WORDS) -> SafeString:
    """About ``words`` words of ``text`` around its best match for ``query``, every matching
    word wrapped in ``<mark>``, everything else escaped."""
    text = " ".join((text or "")[:SNIPPET_SOURCE_CHARS].split())
    if not text:
        return mark_safe("")
    tokens = list(WORD.finditer(text))
    if not tokens:
        return mark_safe(escape(text[:300]))
    matches = _matcher(query_words(query))
    hits = [i for i, token in enumerate(tokens) if matches(token.group())]
    start = 0
    if hits:
        # The window of ``words`` tokens holding most matches, starting a little before the first.
        best, best_count, j = hits[0], 0, 0
        for i, first in enumerate(hits):
            while j < len(hits) and hits[j] < first + words:
                j += 1
            if j - i > best_count:
                best, best_count = first, j - i
        start = max(0, best - 4)
    end = min(len(tokens), start + words)
    char_start = tokens[start].start() if start else 0
    char_end = tokens[end - 1].end() if end < len(tokens) else len(text)
    hit_set = set(hits)
    out = ["… " if start else ""]
    cursor = char_start
    for i in range(start, end):
        token = tokens[i]
        out.append(escape(text[cursor : token.start()]))
        if i in hit_set:
            out.append(f"<mark>{escape(token.group())}</mark>")
        else:
            out.append(escape(token.group()))
        cursor = token.end()
    out.append(escape(text[cursor:char_end]))
    if end < len(tokens):
        out.append(" …")
    return mark_safe("".join(out))


def build_vocabulary(texts, *, max_words: int = 20_000) -> set[str]:
    vocabulary = set()
    for text in texts:
        for word in WORD.findall((text or "")[:2_000].lower()):
            if 3 <= len(word) <= 30 and not word.isdigit():
                vocabulary.add(word)
                if len(vocabulary) >= max_words:
                    return vocabulary
    return vocabulary


def spelling_suggestion(query: str, vocabulary: set[str]) -> str | None:
    """The query with each unknown word replaced by its closest known word, or None."""
    words = query_words(query)[:6]
    if not words or not vocabulary:
        return None
    changed = False
    corrected = []
    candidates = sorted(vocabulary)
    for word in words:
        if word in vocabulary or len(word) < 3 or word.isdigit() or len(word) > 30:
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
        if close:
            corrected.append(close[0])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None

"""Plain-text helpers of the site search: cleaning a query, highlighted snippets, spelling
suggestions. Everything here is bounded in time whatever the input."""

import difflib
import html
import re

from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
SNIPPET_WORDS = 36
# Only the first part of a long text is searched for the snippet (extracted PDFs can be huge).
SNIPPET_SOURCE_CHARS = 60_000
# The best window is chosen among the first matches only: enough for a good one, cheap always.
SNIPPET_MAX_HITS = 100

WORD = re.compile(r"\w+")
SPACES = re.compile(r"\s+")


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


def _hit_pattern(words: list[str]):
    """A regular expression matching, as whole tokens, the words that count as hits for
    ``words``: a short word (four letters or fewer) or its plural; a longer one's crude stem
    (``_stem``) followed by at most four more letters (agreement, agreements, agreed)."""
    alternatives = []
    for word in words:
        if len(word) <= 4:
            alternatives.append(re.escape(word) + "s?")
        else:
            alternatives.append(re.escape(_stem(word)) + r"\w{0,4}")
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def snippet(text: str, query: str, *, words: int = SNIPPET_WORDS) -> SafeString:
    """About ``words`` words of ``text`` around its best match for ``query``, every matching
    word wrapped in ``<mark>``, everything else escaped.

    Matches are found by one regular expression and only the chosen window is split into
    words, so the cost stays low on the long texts extracted from documents."""
    # Whitespace is made single spaces in what is shown only, never across the whole text (a
    # document's text is long): words, and so the window, are the same either way.
    text = (text or "")[:SNIPPET_SOURCE_CHARS].strip()
    if not text:
        return mark_safe("")
    first = WORD.search(text)
    if first is None:
        return mark_safe(html.escape(" ".join(text.split())[:300]))
    pattern = _hit_pattern(query_words(query))
    hits, positions = [], []  # each hit's index among the text's words, and where it starts
    if pattern is not None:
        index, cursor = 0, 0
        for match in pattern.finditer(text):
            index += len(WORD.findall(text, cursor, match.start()))
            hits.append(index)
            positions.append(match.start())
            index, cursor = index + 1, match.end()
            if len(hits) == SNIPPET_MAX_HITS:
                break
    start, char_start = 0, 0
    if hits:
        # The window of ``words`` words holding most matches, starting a little before the first.
        best, best_count, j = 0, 0, 0
        for i, first_hit in enumerate(hits):
            while j < len(hits) and hits[j] < first_hit + words:
                j += 1
            if j - i > best_count:
                best, best_count = i, j - i
        start = max(0, hits[best] - 4)
        if start:
            before = list(WORD.finditer(text, max(0, positions[best] - 2_000), positions[best]))
            lead = before[len(before) - (hits[best] - start) :] if hits[best] > start else []
            char_start = lead[0].start() if lead else positions[best]
    window = []
    for token in WORD.finditer(text, char_start if start else first.start()):
        window.append(token)
        if len(window) == words:
            break
    more = WORD.search(text, window[-1].end()) is not None
    char_end = window[-1].end() if more else len(text)
    out = ["… " if start else ""]
    cursor = char_start
    for token in window:
        if pattern is not None and pattern.fullmatch(token.group()):
            # Only the matching words break the text shown into pieces.
            out.append(_shown(text[cursor : token.start()]))
            out.append(f"<mark>{html.escape(token.group())}</mark>")
            cursor = token.end()
    out.append(_shown(text[cursor:char_end]))
    if more:
        out.append(" …")
    return mark_safe("".join(out))


def _shown(text: str) -> str:
    """Plain text as a snippet shows it: whitespace made single spaces, escaped."""
    return html.escape(SPACES.sub(" ", text))


def build_vocabulary(texts, *, max_words: int = 20_000) -> set[str]:
    vocabulary = set()
    for text in texts:
        for word in WORD.findall((text or "")[:2_000].lower()):
            if 3 <= len(word) <= 30 and not word.isdigit():
                vocabulary.add(word)
                if len(vocabulary) >= max_words:
                    return vocabulary
    return vocabulary


def spelling_suggestion(query: str, vocabulary: set[str], words: list[str] | None = None) -> str | None:
    """The query with each unknown word (of ``words``, by default every word of the query)
    replaced by its closest known word, or None if no word changed."""
    words = (query_words(query) if words is None else [w.lower() for w in words])[:6]
    if not words or not vocabulary:
        return None
    replacements = {}
    candidates = None
    for word in words:
        if word in vocabulary or len(word) < 3 or word.isdigit() or len(word) > 30:
            continue
        if candidates is None:
            candidates = sorted(vocabulary)
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
        if close:
            replacements[word] = close[0]
    if not replacements:
        return None
    return WORD.sub(lambda match: replacements.get(match.group().lower(), match.group()), query).lower()

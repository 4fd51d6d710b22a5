"""Text analysis for the Whoosh index: the same terms as Whoosh's ``StemmingAnalyzer``, faster.

Whoosh analyses text one ``Token`` object at a time through a chain of Python generators,
which makes a full rebuild of a large corpus several times slower than the database
backends. These field types produce exactly the terms the standard analysers would (so the
index stays a plain Whoosh 2.7 index that any Whoosh can open and query), but compute them
with one regular-expression pass and a cache of stemmed words.

The query compiler uses the same functions, so what is searched for is always analysed the
way it was indexed.
"""

import re
from collections import defaultdict

from whoosh import fields, formats
from whoosh.analysis import LowercaseFilter, NgramFilter, RegexTokenizer, StemmingAnalyzer, StopFilter
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem
from whoosh.system import pack_uint

# Whoosh's default tokenizer pattern, without the capturing group.
TOKEN_RE = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)

#: Autocomplete indexes every word's prefixes up to this length; longer query words are
#: truncated to it (they then match any word sharing those first characters).
MAX_PREFIX = 20

#: Longer "words" (encoded blobs, a key held down) are not indexed or searched for: nobody
#: types them, and fuzzy matching against one would cost seconds.
MAX_WORD = 60

_STEM_CACHE_LIMIT = 200_000
_SINGLE_POSITION: dict[int, bytes] = {}
_stem_cache: dict[str, str | None] = {}


def _stem_token(token: str) -> str | None:
    """The indexed form of one raw token, or None for a stop word or a one-letter word."""
    lowered = token.lower()
    if len(lowered) < 2 or len(lowered) > MAX_WORD or lowered in STOP_WORDS:
        result = None
    else:
        result = stem(lowered)
    if len(_stem_cache) >= _STEM_CACHE_LIMIT:
        _stem_cache.clear()
    _stem_cache[token] = result
    return result


def stemmed_terms(text: str) -> list[str]:
    """The terms ``StemmingAnalyzer`` would produce for ``text``, in order."""
    cache = _stem_cache
    out = []
    for token in TOKEN_RE.findall(text):
        term = cache.get(token, False)
        if term is False:
            term = _stem_token(token)
        if term is not None:
            out.append(term)
    return out


def stemmed_positions(text: str) -> dict[str, list[int]]:
    """Each term of ``text`` with its positions, numbered as Whoosh's ``StopFilter`` does.

    The first kept word keeps its place in the token stream and the rest follow it one by
    one, which is what ``StemmingAnalyzer`` records for phrase matching.
    """
    cache = _stem_cache
    positions: dict[str, list[int]] = defaultdict(list)
    position = None
    for index, token in enumerate(TOKEN_RE.findall(text)):
        term = cache.get(token, False)
        if term is False:
            term = _stem_token(token)
        if term is None:
            continue
        position = index if position is None else position + 1
        positions[term].append(position)
    return positions


def plain_words(text: str) -> list[str]:
    """Lower-cased words without stemming or stop words: what autocomplete matches against."""
    return [word for word in (token.lower() for token in TOKEN_RE.findall(text)) if len(word) <= MAX_WORD]


class StemmedText(fields.TEXT):
    """A ``TEXT`` field with English stemming and positions (for phrases), analysed quickly.

    Declares ``StemmingAnalyzer`` so that plain Whoosh tools reading the index (the query
    parser, highlighting) treat it exactly as the fast path indexed it.
    """

    def __init__(self, **kwargs):
        super().__init__(analyzer=StemmingAnalyzer(maxsize=MAX_WORD), phrase=True, **kwargs)

    def index(self, value, **kwargs):
        if isinstance(value, (list, tuple)):
            value = "\n".join(value)
        positions = stemmed_positions(value)
        encode = self.format.encode
        boost = self.format.field_boost
        single = _SINGLE_POSITION
        for term, poslist in positions.items():
            if len(poslist) == 1:
                # Most words occur once in a document: reuse the encoding of a lone position.
                encoded = single.get(poslist[0])
                if encoded is None:
                    encoded = single[poslist[0]] = encode(poslist)
                yield term.encode("utf-8"), 1, boost, encoded
            else:
                yield term.encode("utf-8"), len(poslist), float(len(poslist)) * boost, encode(poslist)


class PrefixText(fields.TEXT):
    """Every word's leading characters as terms, so autocomplete is a term lookup, not a scan."""

    def __init__(self, **kwargs):
        analyzer = (
            RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=None, minsize=1, maxsize=MAX_WORD)
        )
        super().__init__(analyzer=analyzer | NgramFilter(minsize=1, maxsize=MAX_PREFIX, at="start"), **kwargs)
        self.format = formats.Frequency(field_boost=self.format.field_boost)

    def index(self, value, **kwargs):
        if isinstance(value, (list, tuple)):
            value = "\n".join(value)
        counts: dict[str, int] = defaultdict(int)
        for word in plain_words(value):
            for size in range(1, min(len(word), MAX_PREFIX) + 1):
                counts[word[:size]] += 1
        boost = self.format.field_boost
        for term, freq in counts.items():
            yield term.encode("utf-8"), freq, float(freq) * boost, pack_uint(freq)

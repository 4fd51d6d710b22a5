"""What a person typed, parsed into a query every search backend runs the same way.

``parse(text, vocabulary)`` turns a site-search query into *concepts*, each one thing the
person asked for with its alternative forms, and ``ParsedQuery.expression`` builds a
modelsearch query from them (``And``/``Or`` of ``PlainText`` and ``Phrase``), which Whoosh,
Wagtail's database backends and OpenSearch all understand. So:

- English stop words and question words are dropped outside quotes ("how do we share
  information with the council" asks for *share*, *information* and *council*);
- words in quotes are a phrase, kept as typed;
- hyphen, space and compound forms are alternatives of each other: ``fly-tipping``,
  ``fly tipping`` and ``flytipping``; ``anti-social`` and ``antisocial``;
- an abbreviation or synonym in the editors' vocabulary (``search.models.SearchTerm``) adds
  its meanings (``ASB`` also finds "anti-social behaviour", and the other way for two-way
  entries), one step only, so entries that loop or chain expand nothing further.

Everything is bounded whatever the input or the vocabulary holds: at most ``MAX_CONCEPTS``
concepts, ``MAX_ALTERNATIVES`` alternatives each, ``MAX_WORDS`` words an alternative, and
only word characters ever reach a backend (no query syntax).
"""

import re
from dataclasses import dataclass, field

from modelsearch.query import And, Or, Phrase, PlainText

MAX_CONCEPTS = 12
# "All but one" (``ParsedQuery.expression("most")``) for 3 to 6 concepts: n ways of leaving one
# out, so the query stays small.
MOST_FROM, MOST_UP_TO = 3, 6
MAX_ALTERNATIVES = 6
MAX_WORDS = 8
MAX_ENTRIES = 2_000

# English stop words and question words: not required, never searched for outside quotes.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up us very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves get got find show tell need want please anyone someone something any does
    tbd yet may might must shall don doesn didn isn aren wasn won shouldn couldn""".split()
)
#: Words that make a question phrase after "how" (how long, how often...).
QUESTION_FOLLOWERS = frozenset({"long", "often", "many", "much", "far", "soon", "quickly"})
#: Word beginnings that make compounds people write joined, hyphenated or apart.
PREFIXES = ("anti", "non", "multi", "cross", "cyber", "counter", "self")

WORD = re.compile(r"\w+")
TOKEN = re.compile(r"\w[\w'\-]*")
QUOTED = re.compile(r'"([^"]*)"')
# "what's", "partners'", "don't": the word without its ending.
CONTRACTION = re.compile(r"'(s|t|re|ll|ve|d|m)?$", re.IGNORECASE)


def meaning_lines(text: str) -> list[str]:
    """The meanings of a vocabulary entry, one a line (commas separate them too), without
    repeats."""
    lines = []
    for line in re.split(r"[\n,;]+", text or ""):
        line = " ".join(line.split())
        if line and line.lower() not in (existing.lower() for existing in lines):
            lines.append(line)
    return lines


def is_stop_word(text: str) -> bool:
    return text.lower() in STOP_WORDS


def words_of(text: str) -> tuple[str, ...]:
    """Lower-cased words, hyphens and apostrophes as separators (``anti-social`` -> anti social)."""
    return tuple(WORD.findall((text or "").lower().replace("_", " ")))


@dataclass(frozen=True)
class Expansion:
    """One alternative a vocabulary key adds: the text searched for and the entry's term."""

    text: str
    term: str
    match_case: bool
    shown: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """The editors' abbreviations and synonyms, compiled: normalised words -> expansions, and
    the known compounds (``flytipping`` -> fly tipping). Immutable: cached per content version."""

    expansions: dict = field(default_factory=dict)  # tuple[str, ...] -> tuple[Expansion, ...]
    compounds: dict = field(default_factory=dict)  # joined word -> tuple[str, ...]
    longest: int = 1
    words: frozenset = frozenset()
    pairs: frozenset = frozenset()  # the compounds' parts: ("fly", "tipping")

    @classmethod
    def build(cls, entries, names=()) -> "Vocabulary":
        """From ``(term, meanings, two_way, match_case)`` rows and other names people type
        (workstreams), each bounded: see the module's docstring."""
        expansions: dict[tuple, list[Expansion]] = {}
        compounds: dict[str, tuple] = {}
        known: set[str] = set()

        def add(key, expansion):
            if not key or len(key) > MAX_WORDS or words_of(expansion.text) == key:
                return
            found = expansions.setdefault(key, [])
            if len(found) < MAX_ALTERNATIVES and expansion not in found:
                found.append(expansion)

        def learn(text):
            for token in TOKEN.findall(text or ""):
                parts = words_of(token)
                if len(parts) > 1:
                    compounds.setdefault("".join(parts), parts)
            known.update(words_of(text))

        for term, meanings, two_way, match_case in list(entries)[:MAX_ENTRIES]:
            term_key = words_of(term)
            if not term_key or len(term_key) > MAX_WORDS:
                continue
            learn(term)
            for meaning in meaning_lines(meanings)[:MAX_ALTERNATIVES]:
                meaning_key = words_of(meaning)[:MAX_WORDS]
                if not meaning_key:
                    continue
                learn(meaning)
                add(term_key, Expansion(" ".join(meaning_key), term, match_case, meaning))
                if two_way:
                    add(meaning_key, Expansion(" ".join(term_key), term, False, term))
        for name in names:
            learn(name)
        frozen = {key: tuple(found) for key, found in expansions.items()}
        longest = max((len(key) for key in frozen), default=1)
        words = frozenset(w for w in known if len(w) >= 3)
        return cls(frozen, compounds, longest, words, frozenset(compounds.values()))


EMPTY = Vocabulary()


@dataclass(frozen=True)
class Concept:
    """One thing asked for: the words as typed and every form that counts as it."""

    text: str
    alternatives: tuple[str, ...]
    phrase: bool = False

    def expression(self):
        if self.phrase:
            return Phrase(self.text)
        parts = [PlainText(alternative, operator="and") for alternative in self.alternatives]
        return parts[0] if len(parts) == 1 else Or(parts)


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    concepts: tuple[Concept, ...] = ()
    #: (what was typed, what else was searched for) for "including results for ..."
    expansions: tuple[tuple[str, str], ...] = ()
    dropped: tuple[str, ...] = ()

    def __bool__(self):
        return bool(self.concepts)

    @property
    def widens(self) -> bool:
        """Whether "all but one" (``expression("most")``) differs from "all" here."""
        return MOST_FROM <= len(self.concepts) <= MOST_UP_TO

    def expression(self, operator: str = "and"):
        """Every concept (``and``), any of them (``or``), or all but one (``most``: for a
        question of three or more things, where one of them is often not in the best answer's
        words, "share information with the council" answered by an information-sharing
        agreement that never says "council")."""
        parts = [concept.expression() for concept in self.concepts]
        if len(parts) == 1:
            return parts[0]
        if operator == "most" and MOST_FROM <= len(parts) <= MOST_UP_TO:
            return Or([And(parts[:i] + parts[i + 1 :]) for i in range(len(parts))])
        return And(parts) if operator in ("and", "most") else Or(parts)

    @property
    def highlight(self) -> str:
        """Every word that counts as a match, for snippets."""
        return " ".join(
            dict.fromkeys(w for c in self.concepts for a in (c.text, *c.alternatives) for w in a.split())
        )

    @property
    def words(self) -> list[str]:
        """The words asked for (not the stop words), for "did you mean"."""
        return [w for concept in self.concepts if not concept.phrase for w in words_of(concept.text)]


@dataclass
class _Token:
    original: str
    words: tuple[str, ...]


def _split(token: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    parts = words_of(token)
    if len(parts) == 1:
        word = parts[0]
        if word in vocabulary.compounds:
            return vocabulary.compounds[word]
        for prefix in PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 4:
                return (prefix, word[len(prefix) :])
    return parts


def _forms(parts: tuple[str, ...], vocabulary: Vocabulary, *, hyphenated: bool = False) -> list[str]:
    """The spellings of a word or words that count as the same: apart and joined (``fly
    tipping``, ``flytipping``; ``anti social behaviour``, ``antisocial behaviour``) where two
    words form a known compound, start with a prefix, or were typed with a hyphen."""
    forms = [" ".join(parts)]
    if hyphenated and len(parts) > 1:
        forms.append("".join(parts))
    for k in range(len(parts) - 1):
        pair = parts[k] + parts[k + 1]
        if pair in vocabulary.compounds or parts[k] in PREFIXES:
            forms.append(" ".join((*parts[:k], pair, *parts[k + 2 :])))
    return list(dict.fromkeys(forms))


def _same_letters(typed: str, term: str) -> bool:
    return re.sub(r"\W", "", typed) == re.sub(r"\W", "", term)


def _content_words(text: str) -> str:
    kept = [w for w in words_of(text) if w not in STOP_WORDS]
    return " ".join((kept or list(words_of(text)))[:MAX_WORDS])


def parse(text: str, vocabulary: Vocabulary = EMPTY) -> ParsedQuery:
    """Parse a cleaned query (``text.clean_query``) with the editors' vocabulary."""
    concepts: list[Concept] = []
    expansions: list[tuple[str, str]] = []
    dropped: list[str] = []
    for quoted in QUOTED.findall(text):
        phrase = " ".join(WORD.findall(quoted)[:MAX_WORDS])
        if phrase:
            concepts.append(Concept(phrase, (phrase,), phrase=len(phrase.split()) > 1))
    rest = QUOTED.sub(" ", text).replace('"', " ")
    tokens = []
    for raw in TOKEN.findall(rest):
        original = CONTRACTION.sub("", raw.strip("'-")).strip("'-")
        tokens.append(_Token(original, _split(original, vocabulary)))
    tokens = [t for t in tokens if t.words][: MAX_CONCEPTS * 2]
    # "how long", "how often"...: the whole question phrase asks, its words are not wanted.
    for k in range(len(tokens) - 1, 0, -1):
        if tokens[k - 1].words == ("how",) and tokens[k].words[0] in QUESTION_FOLLOWERS:
            dropped.append(tokens.pop(k).original)
    plain: list[Concept] = []
    i = 0
    while i < len(tokens):
        matched = False
        # The longest run of tokens that is a vocabulary key ("anti social behaviour", "ASB").
        for j in range(len(tokens), i, -1):
            key = tuple(w for t in tokens[i:j] for w in t.words)
            if len(key) > vocabulary.longest:
                continue
            found = vocabulary.expansions.get(key)
            if not found:
                continue
            typed = " ".join(t.original for t in tokens[i:j])
            usable = [e for e in found if not e.match_case or _same_letters(typed, e.term)]
            if not usable:
                continue
            alternatives = _forms(key, vocabulary)
            for expansion in usable:
                alternatives += _forms(tuple(expansion.text.split()), vocabulary)
            plain.append(Concept(typed, tuple(dict.fromkeys(alternatives))[:MAX_ALTERNATIVES]))
            for expansion in usable:
                expansions.append((typed, expansion.shown or expansion.text))
            i, matched = j, True
            break
        if matched:
            continue
        token = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            following is not None
            and len(token.words) == 1
            and len(following.words) == 1
            and (token.words[0] in PREFIXES or token.words + following.words in vocabulary.pairs)
        ):
            # Two words that people also write as one: "fly tipping" -> flytipping too.
            parts = token.words + following.words
            plain.append(Concept(f"{token.original} {following.original}", tuple(_forms(parts, vocabulary))))
            i += 2
            continue
        if len(token.words) == 1 and token.words[0] in STOP_WORDS:
            dropped.append(token.original)
        else:
            forms = _forms(token.words, vocabulary, hyphenated=True)
            plain.append(Concept(token.original, tuple(forms)))
        i += 1
    if not plain and not concepts and dropped:
        # Only stop words: search for them after all rather than for nothing.
        plain = [Concept(word, (word.lower(),)) for word in dropped]
        dropped = []
    for concept in plain:
        alternatives = tuple(dict.fromkeys(_content_words(a) for a in concept.alternatives if a))
        concepts.append(Concept(concept.text, alternatives[:MAX_ALTERNATIVES]))
    unique = list({(c.text.lower(), c.phrase): c for c in concepts}.values())
    return ParsedQuery(
        text,
        tuple(unique[:MAX_CONCEPTS]),
        tuple(dict.fromkeys(expansions))[:MAX_ALTERNATIVES],
        tuple(dropped),
    )


VOCABULARY_KEY = "search:vocabulary"
VOCABULARY_TIMEOUT = 60 * 60 * 24


def load_vocabulary() -> Vocabulary:
    """The vocabulary as the database holds it now (two queries)."""
    from schemes.models import Workstream

    from .models import SearchTerm

    entries = SearchTerm.objects.order_by("term").values_list("term", "meanings", "two_way", "match_case")
    names = Workstream.objects.values_list("name", flat=True)
    return Vocabulary.build(entries[:MAX_ENTRIES], names[:MAX_ENTRIES])


def vocabulary_for(request) -> Vocabulary:
    """The vocabulary, built once per content version (saving an entry retires it): no query
    when warm."""
    from serving.version import memo
    from serving.viewer import viewer_for

    version = viewer_for(request).content_version
    return memo.get_or_set(f"{VOCABULARY_KEY}:{version}", load_vocabulary, VOCABULARY_TIMEOUT)

"""The fast analysers index exactly what Whoosh's standard analysers would."""

import random

import pytest
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import TEXT

from search.backends.whoosh.analysis import MAX_WORD, PrefixText, StemmedText

WORDS = [
    "The", "a", "I", "running", "Runs", "3.5", "e.g.", "naïve", "東京", "don't", "U.K.", "fly-tipping",
    "anti-social", "Behaviour", "and", "of", "MoU", "x" * (MAX_WORD + 1), "y" * MAX_WORD, "İstanbul",
]  # fmt: skip


@pytest.mark.parametrize("seed", range(20))
def test_same_terms_positions_and_weights_as_whoosh(seed):
    rng = random.Random(seed)
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 60)))
    standard = TEXT(analyzer=StemmingAnalyzer(maxsize=MAX_WORD), phrase=True)
    assert sorted(StemmedText().index(text)) == sorted(standard.index(text))
    prefixes = PrefixText()
    expected = sorted(term[:2] for term in TEXT(analyzer=prefixes.analyzer).index(text))
    assert sorted(term[:2] for term in prefixes.index(text)) == expected

"""What people type into a search box, answered with results or none, quickly, never an error.

The backend never hands user input to Whoosh's query parser: words are extracted by the
analyser, so operators, quotes, brackets, ``field:`` and wildcards are just punctuation.
"""

import time

import pytest
from modelsearch.query import Fuzzy, Phrase, PlainText
from modelsearch.test.testapp.models import Book

BAD_INPUTS = [
    '"unbalanced quote',
    'javascript "good',
    "(javascript",
    "javascript)",
    "((((((((((",
    "[javascript] {good}",
    "AND",
    "OR NOT",
    "javascript AND OR NOT",
    "-javascript +good",
    "title:javascript",
    "title:",
    ":",
    "javascript*",
    "java?cript",
    "*",
    "?",
    "~2",
    "javascript~",
    "^3",
    "x" * 10_000,
    "javascript " * 1000,
    " ".join(f"word{i}" for i in range(1700)),
    "\x00\x01\x02javascript\x1b[31m\x7f",
    "\u200b\u200d\ufeff",
    "Привет мир",
    "東京タワー",
    "مرحبا بالعالم",
    "नमस्ते",
    "🚓🔥👮‍♀️",
    "javascript 🚓",
    "e\u0301te\u0301",
    "\\",
    "%_%",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "",
    "   ",
]


@pytest.mark.django_db
@pytest.mark.parametrize("text", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_bad_input_answers_quickly_without_error(indexed_library, text):
    backend = indexed_library
    started = time.monotonic()
    for operator in ("and", "or"):
        results = backend.search(text, Book, operator=operator)
        assert isinstance(list(results[:10]), list)
        assert results.count() >= 0
        assert not results.incomplete if hasattr(results, "incomplete") else True
        list(backend.autocomplete(text, Book, operator=operator)[:10])
    list(backend.search(Phrase(text), Book)[:10])
    list(backend.search(Fuzzy(text), Book)[:10])
    list(backend.search(PlainText(text) | PlainText("javascript"), Book)[:10])
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_operators_in_the_text_are_words_not_syntax(indexed_library):
    titles = {book.title for book in indexed_library.search("javascript NOT good", Book, operator="or")}
    assert "JavaScript: The good parts" in titles


@pytest.mark.django_db
def test_a_real_word_still_matches_among_noise(indexed_library):
    results = indexed_library.search('"javascript (definitive*', Book, operator="and")
    assert [book.title for book in results] == ["JavaScript: The Definitive Guide"]

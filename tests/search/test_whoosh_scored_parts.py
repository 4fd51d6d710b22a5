"""A search is answered from its words' scores kept per searcher (``scored_parts``): the same
documents in the same order with the same scores as Whoosh's own matching, whatever the shape
of the query, and never a score read from an earlier generation of the index."""

import datetime
import random
import uuid

import pytest
from modelsearch.test.testapp.models import Book
from whoosh import fields
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage
from whoosh.searching import Searcher

from search.backends.whoosh import MAX_SCORED_PART, TOO_MANY, Union, scored_parts
from search.backends.whoosh import _best_first as best_first
from search.backends.whoosh.storage import _nothing_kept

from .conftest import indexed_books

WORDS = "hate crime council sharing agreement street outreach police report partner data review".split()


def _entry(documents: int = 400, seed: int = 7):
    rng = random.Random(seed)
    schema = fields.Schema(pk=fields.ID(stored=True), title=fields.TEXT, body=fields.TEXT, names=fields.TEXT)
    # A name of its own: the writer's temporary files go to /tmp/<name>.tmp, which another test
    # process writing a RAM index at the same time would share (and remove) under the default.
    index = RamStorage().create_index(schema, indexname=f"t{uuid.uuid4().hex}")
    with index.writer() as writer:
        for pk in range(documents):
            writer.add_document(
                pk=str(pk),
                title=" ".join(rng.choices(WORDS, k=rng.randint(1, 4))),
                body=" ".join(rng.choices(WORDS, k=rng.randint(0, 40))),
                names=" ".join(rng.choices(WORDS, k=rng.randint(0, 3))),
            )
    return {"searcher": index.searcher(), **_nothing_kept()}


def _word(word):
    return Union(
        [wq.Term("title", word, boost=2.0), wq.Term("body", word), wq.Term("names", word, boost=1.5)]
    )


def _shapes():
    w = _word
    return [
        w("hate"),  # one word
        wq.And([w("hate"), w("crime")]),  # all the words
        wq.And([w("street"), w("outreach"), w("police")]),
        Union([w("council"), w("sharing")]),  # some of them
        Union(
            [
                wq.And([w("data"), w("review")]),
                wq.And([w("data"), w("partner")]),
                wq.And([w("review"), w("partner")]),
            ]
        ),
        wq.And([Union([wq.And([w("hate"), w("crime")]), w("sharing")]), w("council")]),  # an expansion
        wq.And([w("police"), wq.Phrase("body", ["hate", "crime"])]),  # a phrase beside a word
        wq.And([wq.Every(), wq.Not(w("council"))]),
    ]


def _whoosh(searcher, query, limit=None):
    return [(int(hit["pk"]), hit.score) for hit in searcher.search(query, limit=limit)]


def _ours(entry, query, limit=None, allow=None):
    scores = scored_parts(query, entry)
    if allow is not None:
        scores = {docnum: score for docnum, score in scores.items() if docnum in allow}
    best = sorted(scores.items(), key=best_first)[:limit]
    stored = entry["searcher"].stored_fields
    return [(int(stored(docnum)["pk"]), score) for docnum, score in best]


def _same(ours, theirs):
    assert [pk for pk, _ in ours] == [pk for pk, _ in theirs]
    assert all(a == pytest.approx(b, rel=1e-12) for (_, a), (_, b) in zip(ours, theirs, strict=True))


def test_every_shape_of_search_finds_what_whoosh_finds_in_the_same_order_with_the_same_scores():
    entry = _entry()
    searcher = entry["searcher"]
    for query in _shapes():
        theirs = _whoosh(searcher, query)
        assert theirs, query  # the corpus has matches for every shape
        _same(_ours(entry, query), theirs)
        _same(_ours(entry, query, limit=10), _whoosh(searcher, query, limit=10))
        # Filtered, as the site's filters are (live pages, no drafts): a set of documents
        # (one segment, added in order: a document's number is its pk).
        allow = set(range(0, searcher.doc_count_all(), 3))
        _same(_ours(entry, query, allow=allow), [hit for hit in theirs if hit[0] % 3 == 0])


def whoosh_asked(monkeypatch) -> list:
    """The queries Whoosh is asked to match from now on."""
    asked = []
    original = Searcher.search_with_collector
    monkeypatch.setattr(
        Searcher,
        "search_with_collector",
        lambda self, q, c, **k: asked.append(q) or original(self, q, c, **k),
    )
    return asked


def test_each_word_is_scored_by_whoosh_once_and_kept_for_the_searches_that_follow(monkeypatch):
    entry = _entry()
    asked = whoosh_asked(monkeypatch)
    scored_parts(wq.And([_word("hate"), _word("crime")]), entry)
    scored_parts(wq.And([_word("crime"), _word("council")]), entry)
    scored_parts(Union([_word("council"), _word("hate")]), entry)
    assert asked == [_word("hate"), _word("crime"), _word("council")]


def test_a_word_matching_too_much_is_left_to_whoosh_every_time(monkeypatch):
    entry = _entry(documents=60)
    monkeypatch.setattr("search.backends.whoosh.MAX_SCORED_PART", 10)
    assert scored_parts(wq.And([_word("hate"), _word("crime")]), entry) is None
    assert entry["scores"][_word("hate")] is TOO_MANY  # not scored again to find that out
    assert MAX_SCORED_PART > 10


@pytest.fixture
def books(db, backend):
    indexed_books(
        30,
        title=lambda n: f"Partnership report {n}" + (" on hate crime" if n % 2 else ""),
        summary=lambda n: "information sharing" if n % 3 else "street outreach",
    )
    return backend


def test_the_backend_answers_from_kept_scores_as_whoosh_would_and_afresh_after_a_change(books, monkeypatch):
    backend = books

    def found(query, queryset=None):
        return [
            (book.pk, book.score)
            for book in backend.search(query, queryset or Book.objects.all()).annotate_score("score")
        ]

    searches = ["partnership hate", "report sharing", "crime outreach"]
    long_books = Book.objects.filter(number_of_pages__gt=110)
    kept = {query: (found(query), found(query, long_books)) for query in searches}
    # The same answers with the kept scores switched off (Whoosh matching every time).
    monkeypatch.setattr("search.backends.whoosh.scored_parts", lambda query, entry: None)
    for query in searches:
        assert kept[query] == (found(query), found(query, long_books))
    monkeypatch.undo()
    # Words searched before: Whoosh is not asked again.
    asked = whoosh_asked(monkeypatch)
    assert found("hate partnership") == kept["partnership hate"][0]
    assert asked == []
    monkeypatch.undo()
    # A new book is indexed: the next search reads a new generation of the index.
    book = Book.objects.create(
        title="Partnership report on hate",
        summary="",
        publication_date=datetime.date(2021, 1, 1),
        number_of_pages=500,
    )
    backend.add(book)
    assert book.pk in {pk for pk, _ in found("partnership hate")}


def test_a_part_that_cannot_be_kept_is_left_to_whoosh():
    class Unhashable(wq.Term):
        def __hash__(self):
            raise NotImplementedError  # as Whoosh's base Query does

    entry = _entry(documents=40)
    assert (
        scored_parts(
            wq.And([_word("hate"), Union([Unhashable("body", "crime"), wq.Term("title", "x")])]), entry
        )
        is None
    )

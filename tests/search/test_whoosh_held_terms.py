"""The query is cut to the terms the index holds before Whoosh builds its matchers: same hits,
same scores, fewer lookups (``search.backends.whoosh.held_terms_only``)."""

import uuid

from whoosh import fields
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage

from search.backends.whoosh import Union, held_terms_only

TEXTS = [
    ("1", "hate crime reporting", "a protocol for third-party reporting centres", ""),
    ("2", "information sharing agreement", "hate crime data shared with the council", "Sussex Police"),
    ("3", "street homelessness", "outreach with the council and partners", "Brighton and Hove"),
]


def _entry():
    schema = fields.Schema(pk=fields.ID(stored=True), title=fields.TEXT, body=fields.TEXT, names=fields.TEXT)
    # A name of its own: the writer's temporary files go to /tmp/<name>.tmp, which another test
    # process writing a RAM index at the same time would share (and remove) under the default.
    index = RamStorage().create_index(schema, indexname=f"t{uuid.uuid4().hex}")
    with index.writer() as writer:
        for pk, title, body, names in TEXTS:
            writer.add_document(pk=pk, title=title, body=body, names=names)
    return {"searcher": index.searcher(), "columns": {}}


def _word(word):
    return Union(
        [wq.Term("title", word, boost=2.0), wq.Term("body", word), wq.Term("names", word, boost=1.5)]
    )


def _hits(searcher, query):
    return [(hit["pk"], round(hit.score, 9)) for hit in searcher.search(query, limit=None)]


def test_absent_terms_go_and_what_is_found_and_its_scores_stay():
    entry = _entry()
    searcher = entry["searcher"]
    queries = [
        wq.And([_word("hate"), _word("crime")]),  # "crime" is in no names: two branches go
        wq.And([_word("council"), _word("sussex")]),
        Union([_word("homelessness"), _word("reporting")]),
        wq.And([_word("hate"), _word("unicorn")]),  # a word nowhere: nothing at all
        wq.And([wq.Every(), wq.Not(_word("council"))]),
        wq.Phrase("title", ["hate", "crime"]),
    ]
    for query in queries:
        held = held_terms_only(query, entry)
        assert _hits(searcher, held) == _hits(searcher, query), query
    pruned = held_terms_only(queries[0], entry)
    assert "names" not in repr(pruned)
    assert held_terms_only(queries[3], entry) is wq.NullQuery
    # Each (field, term) is looked up once per searcher, then kept.
    assert entry["terms"][("names", "crime")] is False
    assert entry["terms"][("title", "crime")] is True

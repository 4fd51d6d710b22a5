"""A Whoosh search backend for modelsearch (Wagtail's search framework).

Configure it as::

    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.whoosh",
            "PATH": "/var/lib/forum/search-index",
            "AUTO_UPDATE": False,        # modelsearch's own in-transaction updates: off
            "UPDATE_ON_COMMIT": True,    # ours: a background task queued after the commit
        }
    }

Why it exists: Wagtail's database backend on SQLite runs its full-text match once per indexed
row and takes seconds a query at our volumes; Whoosh answers in milliseconds on one machine
with no extra service. Search text, autocomplete prefixes, filter values and sort keys all live
in the index, so a filtered, ordered first page costs what a page costs. Only lookups the index
cannot express (across relations, on subqueries, case-insensitive matches...) are answered by
the database.

Options (besides modelsearch's ``AUTO_UPDATE``):

``PATH``             directory holding the indexes (required)
``LOCK_TIMEOUT``     seconds a writer waits for another writer before giving up (default 30)
``UPDATE_ON_COMMIT`` queue index updates after each commit (default True; see ``signals``)
``WRITER_PROCS``     processes a full rebuild writes with (default: CPU count, at most 4)
``WRITER_LIMITMB``   memory budget per rebuild writer process, in MB (default 1024)

The structure follows modelsearch's own backends: index, query compilers, results, rebuilder,
backend, and ``SearchBackend`` at the bottom.
"""

import heapq
import logging
import os
import time
from collections import Counter, OrderedDict
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.db.models import F, OrderBy
from django.db.models.expressions import Col
from django.db.models.functions.datetime import Extract as ExtractDate
from django.db.models.lookups import Lookup
from modelsearch.backends.base import (
    BaseIndex,
    BaseSearchBackend,
    BaseSearchQueryCompiler,
    BaseSearchResults,
    FilterFieldError,
    OrderByFieldError,
    get_model_root,
)
from modelsearch.index import class_is_indexed, get_indexed_instance
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from whoosh import collectors, sorting
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec
from whoosh.idsets import DocIdSet
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import LockError

from .analysis import MAX_PREFIX, plain_words, stemmed_terms
from .schema import (
    build_document,
    decode,
    encode,
    index_name,
    multi_untoken,
    pk_is_integer,
    schema_fields,
    search_spec,
    whoosh_schema,
)
from .storage import IndexLocation, IndexLocked, SearchIndexUnavailable, die_with_parent

__all__ = ["SearchBackend", "SearchIndexUnavailable", "IndexLocked", "WhooshSearchBackend"]

logger = logging.getLogger("search.whoosh")

#: Words of a query beyond this many are ignored, so a pasted essay still answers quickly.
MAX_QUERY_TERMS = 32

#: Marks a filter the index cannot express; the database answers the whole filter instead.
NEEDS_DATABASE = type("NeedsDatabase", (), {"__repr__": lambda self: "<NEEDS_DATABASE>"})()

#: A filter that allows no document at all.
NOTHING = type("Nothing", (), {"__repr__": lambda self: "<NOTHING>"})()


class WhooshIndex(BaseIndex):
    """One Whoosh index: a root model and every model inheriting from it.

    With ``generation=None`` it writes to the live index, one short transaction per call,
    waiting for the write lock; a rebuild passes the directory of the new generation, which is
    written in bulk by one long-lived (possibly multi-process) writer.
    """

    def __init__(self, backend, root_model, generation: Path | None = None):
        super().__init__(backend)
        self.root_model = root_model
        self.name = index_name(root_model)
        self.location = IndexLocation(backend.path, self.name)
        self.generation = generation
        self._bulk_writer = None
        self._bulk_seen: set[str] = set()

    def __str__(self):
        return self.name

    def get_key(self):
        return self.name

    def schema(self):
        return whoosh_schema(self.root_model)

    # Writing to the live index

    def _write_live(self, apply, journal_lines: list[str]) -> None:
        """Run ``apply(writer)`` against the live index as one committed change.

        Waits up to ``LOCK_TIMEOUT`` for the write lock, follows a rebuild's swap if one
        happens meanwhile, and notes the change in the journal when a rebuild is running.
        """
        location = self.location
        deadline = time.monotonic() + self.backend.lock_timeout
        while True:
            live = location.live_dir() or location.create_empty(self.schema())
            remaining = max(0.0, deadline - time.monotonic())
            try:
                ix = whoosh_index.open_dir(str(live))
            except Exception:
                logger.exception("Search index %s is damaged; update skipped until it is rebuilt", live)
                lock = location.wait_for_writelock(live, remaining)
                try:
                    if location.rebuild_running():
                        location.note_in_journal(journal_lines)
                finally:
                    lock.release()
                return
            try:
                writer = ix.writer(timeout=remaining, delay=0.02)
            except LockError as error:
                raise IndexLocked(f"Timed out waiting for the write lock of {live}") from error
            try:
                if location.live_dir() != live:
                    writer.cancel()
                    continue
                for name, field_type in schema_fields(self.root_model).items():
                    if name not in writer.schema:
                        writer.add_field(name, field_type)
                apply(writer)
                if location.rebuild_running():
                    location.note_in_journal(journal_lines)
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            return

    # BaseIndex

    def add_model(self, model):
        pass

    def refresh(self):
        """Writes are committed as they happen; searchers notice them on their next search."""

    def reset(self):
        """Swap in an empty index (atomically, like a rebuild)."""
        generation = self.location.new_generation()
        whoosh_index.create_in(str(generation), self.schema())
        previous = self.location.live_dir()
        self.location.swap_to(generation)
        self.location.remove_old_generations(previous)

    def add_items(self, model, items):
        if not class_is_indexed(model):
            return
        documents = [build_document(item) for item in items]
        if not documents:
            return
        if self.generation is not None:
            self._bulk_add(documents)
            return
        label = f"{model._meta.app_label}.{model._meta.model_name}"

        def apply(writer):
            for document in documents:
                writer.update_document(**document)

        self._write_live(apply, [f"add {label} {document['pk']}" for document in documents])

    def delete_item(self, item):
        self.delete_pks(type(item), [item.pk])

    def delete_pks(self, model, pks) -> None:
        pks = [str(pk) for pk in pks]
        label = f"{model._meta.app_label}.{model._meta.model_name}"

        def apply(writer):
            for pk in pks:
                writer.delete_by_term("pk", pk)

        self._write_live(apply, [f"delete {label} {pk}" for pk in pks])

    def update_pks(self, model, pks) -> None:
        """Re-read objects from the database and index them, or delete those now gone.

        ``model`` may be a parent (a moved subtree is passed as ``Page``): each object is
        indexed as its most specific indexed type, if that type still indexes it.
        """
        pks = [str(pk) for pk in pks]
        found = []
        for obj in model._default_manager.filter(pk__in=pks):
            indexed = get_indexed_instance(obj)
            if indexed is not None:
                found.append(indexed)
        for indexed_model in {type(obj) for obj in found}:
            self.add_items(indexed_model, [obj for obj in found if type(obj) is indexed_model])
        present = {str(obj.pk) for obj in found}
        missing = [pk for pk in pks if pk not in present]
        if missing:
            self.delete_pks(model, missing)

    # Writing a new generation (rebuilds)

    def _bulk_add(self, documents) -> None:
        if self._bulk_writer is None:
            ix = whoosh_index.open_dir(str(self.generation))
            self._bulk_writer = open_bulk_writer(ix, self.backend.bulk_writer_options())
        writer = self._bulk_writer
        for document in documents:
            if document["pk"] in self._bulk_seen:
                # Seen before in this rebuild (another model of the family claimed the same
                # object): commit so that the replacement can find and delete the first copy.
                writer.commit()
                writer = self._bulk_writer = whoosh_index.open_dir(str(self.generation)).writer()
                writer.update_document(**document)
            else:
                writer.add_document(**document)
                self._bulk_seen.add(document["pk"])

    def commit_bulk(self) -> None:
        if self._bulk_writer is not None:
            self._bulk_writer.commit()
            self._bulk_writer = None
        self._bulk_seen.clear()


class WhooshRebuilder:
    """Builds a new generation beside the live index, then swaps it in atomically.

    Searches and ordinary updates keep using the live index throughout. Updates made while the
    rebuild runs are journalled; ``finish`` holds the live index's write lock, replays them into
    the new generation, swaps the link and deletes the journal, so none is lost.
    """

    def __init__(self, index: WhooshIndex):
        self.index = index
        self.new_index = None
        self._rebuild_lock = None

    def start(self):
        location = self.index.location
        self._rebuild_lock = location.file_lock(location.rebuild_lock_path)
        self._rebuild_lock.__enter__()
        location.journal.write_text("", encoding="utf-8")
        generation = location.new_generation()
        whoosh_index.create_in(str(generation), self.index.schema())
        self.new_index = WhooshIndex(self.index.backend, self.index.root_model, generation=generation)
        return self.new_index

    def finish(self):
        location = self.index.location
        try:
            self.new_index.commit_bulk()
            live = location.live_dir()
            lock = None
            if live is not None:
                lock = location.wait_for_writelock(live, max(self.index.backend.lock_timeout, 60.0))
            try:
                self._replay(location.read_journal())
                location.swap_to(self.new_index.generation)
                location.journal.unlink(missing_ok=True)
            finally:
                if lock is not None:
                    lock.release()
            location.remove_old_generations(previous=live)
        finally:
            self._rebuild_lock.__exit__(None, None, None)

    def _replay(self, lines: list[str]) -> None:
        """Apply the journalled updates to the new generation, reading objects afresh."""
        if not lines:
            return
        latest: dict[tuple[str, str], str] = {}
        for line in lines:
            operation, label, pk = line.split(" ", 2)
            latest[(label, pk)] = operation
        ix = whoosh_index.open_dir(str(self.new_index.generation))
        writer = ix.writer(timeout=self.index.backend.lock_timeout)
        try:
            for (label, pk), operation in latest.items():
                obj = None
                if operation == "add":
                    model = apps.get_model(label)
                    obj = model.get_indexed_objects().filter(pk=pk).first()
                    obj = obj.get_indexed_instance() if obj is not None else None
                if obj is None:
                    writer.delete_by_term("pk", pk)
                else:
                    writer.update_document(**build_document(obj))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise


# Alternatives (fields of one word, words of "some words", a concept's spellings) are joined by
# Whoosh's binary tree of unions. Whoosh's own ``Or`` picks, on an index under 5,000 documents,
# a matcher that fills a 2,048-slot array per ``Or``: with the site search's nested alternatives
# that cost ~4x the search itself on a small index. Large indexes get this matcher anyway.
Union = wq.DefaultOr


class WhooshSearchQueryCompiler(BaseSearchQueryCompiler):
    """Translates a modelsearch query, the queryset's filters and its ordering into Whoosh terms."""

    DEFAULT_OPERATOR = "and"
    HANDLES_ORDER_BY_EXPRESSIONS = True
    prefix_matching = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.model = self.queryset.model
        self.root_model = get_model_root(self.model)
        self.spec = search_spec(self.model)
        #: Shared by every slice of one search: cached hits and whether the index failed us.
        self.state: dict = {}

    # Fields searched

    def text_fields(self) -> dict[str, float]:
        if self.prefix_matching:
            names = self.spec.autocomplete
            if self.fields is not None:
                wanted = {"a__" + name for name in self.fields}
                names = [name for name in names if name in wanted]
            return dict.fromkeys(names, 1.0)
        boosts = self.spec.text_boosts
        if self.fields is not None:
            wanted = {"t__" + name for name in self.fields}
            return {name: boost for name, boost in boosts.items() if name in wanted}
        return boosts

    def analyse(self, text: str) -> list[str]:
        if self.prefix_matching:
            words = [word[:MAX_PREFIX] for word in plain_words(text)]
        else:
            words = stemmed_terms(text)
        return words[:MAX_QUERY_TERMS]

    # Search query

    def _term(self, word: str, fuzzy: bool = False):
        """One word, in any of the searched fields, each with its boost."""
        alternatives = []
        for name, boost in self.text_fields().items():
            if fuzzy and len(word) > 2:
                distance = 1 if len(word) <= 5 else 2
                alternatives.append(wq.FuzzyTerm(name, word, boost=boost, maxdist=distance, prefixlength=1))
            else:
                alternatives.append(wq.Term(name, word, boost=boost))
        if not alternatives:
            return wq.NullQuery
        return alternatives[0] if len(alternatives) == 1 else Union(alternatives)

    def _words(self, text: str, operator: str, fuzzy: bool = False):
        terms = [self._term(word, fuzzy) for word in dict.fromkeys(self.analyse(text))]
        if not terms:
            return wq.NullQuery
        if len(terms) == 1:
            return terms[0]
        return wq.And(terms) if operator == "and" else Union(terms)

    def phrase_fields(self) -> dict[str, float]:
        """The fields a phrase is looked for in: full-text fields, which keep word positions.

        Autocomplete fields keep only word prefixes, without positions, and a phrase names
        whole words anyway; so an autocomplete search (the Wagtail admin's searches are) looks
        for a phrase in the full-text fields of the same model fields (``a__title`` ->
        ``t__title``).
        """
        if not self.prefix_matching:
            return self.text_fields()
        boosts = self.spec.text_boosts
        wanted = {"t__" + name[3:] for name in self.text_fields()}
        return {name: boost for name, boost in boosts.items() if name in wanted}

    def _phrase(self, text: str):
        """Words next to each other, in this order (stop words skipped, as when indexed)."""
        words = stemmed_terms(text)[:MAX_QUERY_TERMS]
        fields = self.phrase_fields()
        if len(words) < 2 or not fields:
            # One word is no phrase; with no positional field, every word must still match.
            return self._words(text, "and")
        phrases = [wq.Phrase(name, words, boost=boost) for name, boost in fields.items()]
        return phrases[0] if len(phrases) == 1 else Union(phrases)

    def compile_query(self, query):
        if isinstance(query, MatchAll):
            return wq.Every()
        if isinstance(query, PlainText):
            compiled = self._words(query.query_string, query.operator)
            return compiled.with_boost(query.boost) if query.boost != 1 else compiled
        if isinstance(query, Fuzzy):
            return self._words(query.query_string, query.operator, fuzzy=True)
        if isinstance(query, Phrase):
            return self._phrase(query.query_string)
        if isinstance(query, Boost):
            compiled = self.compile_query(query.subquery)
            return compiled.with_boost(compiled.boost * query.boost)
        if isinstance(query, And):
            return wq.And([self.compile_query(sub) for sub in query.subqueries])
        if isinstance(query, Or):
            return Union([self.compile_query(sub) for sub in query.subqueries])
        if isinstance(query, Not):
            return wq.And([wq.Every(), wq.Not(self.compile_query(query.subquery))])
        raise NotImplementedError(
            f"`{query.__class__.__name__}` is not supported by the Whoosh search backend."
        )

    # Filters (called by the base class as it walks the queryset's WHERE clause)

    def _is_own_primary_key(self, column) -> bool:
        """Whether ``column`` is the searched model's primary key (or a parent's, via ptr links)."""
        target = getattr(column, "target", None)
        if target is None or not target.primary_key:
            return False
        alias_map = self.queryset.query.alias_map
        alias = column.alias
        while alias is not None:
            join = alias_map[alias]
            if join.parent_alias is None:
                return True
            field = join.join_field
            if not (field.one_to_one and getattr(field.remote_field, "parent_link", False)) and not (
                getattr(field, "parent_link", False)
            ):
                return False
            alias = join.parent_alias
        return True

    def _get_filters_from_where_node(self, where_node, check_only=False):
        if isinstance(where_node, Lookup) and not isinstance(where_node.lhs, ExtractDate):
            column = where_node.lhs
            if not isinstance(column, Col):
                return None if check_only else NEEDS_DATABASE
            if self._is_own_primary_key(column):
                return (
                    None if check_only else self._primary_key_lookup(where_node.lookup_name, where_node.rhs)
                )
        return super()._get_filters_from_where_node(where_node, check_only=check_only)

    def _primary_key_lookup(self, lookup, value):
        if hasattr(value, "resolve_expression"):
            return NEEDS_DATABASE
        if pk_is_integer(self.root_model):
            return self._typed_lookup("pkn", "int", None, lookup, value)
        return self._typed_lookup("pk", "str", None, lookup, value)

    def _process_lookup(self, field_path, lookup, value):
        if len(field_path) != 1:
            return NEEDS_DATABASE  # through a relation: correlated rows only the database knows
        filter_ = self.spec.filters.get(field_path[0].field_name)
        if filter_ is None or filter_.multi or hasattr(value, "resolve_expression"):
            return NEEDS_DATABASE
        return self._typed_lookup(filter_.index_field, filter_.kind, filter_.name, lookup, value)

    def _typed_lookup(self, field, kind, null_name, lookup, value):
        def term(v):
            if v is None:
                return wq.Term("nulls", null_name) if null_name else wq.NullQuery
            encoded = encode(kind, v)
            return wq.NumericRange(field, encoded, encoded) if kind != "str" else wq.Term(field, encoded)

        def bound(v):
            return encode(kind, v)

        range_class = wq.TermRange if kind == "str" else wq.NumericRange
        try:
            if lookup == "exact":
                return term(value)
            if lookup == "isnull":
                if not null_name:
                    return wq.NullQuery if value else wq.Every()
                missing = wq.Term("nulls", null_name)
                return missing if value else wq.And([wq.Every(), wq.Not(missing)])
            if lookup == "in":
                values = list(value)
                if not values:
                    return wq.NullQuery
                return wq.Or([term(v) for v in values])
            if lookup == "range":
                start, end = value
                return range_class(field, bound(start), bound(end))
            if lookup in ("lt", "lte"):
                return range_class(field, None, bound(value), endexcl=lookup == "lt")
            if lookup in ("gt", "gte"):
                return range_class(field, bound(value), None, startexcl=lookup == "gt")
            if lookup == "startswith" and kind == "str":
                return wq.Prefix(field, encode(kind, value))
        except (TypeError, ValueError):
            pass
        return NEEDS_DATABASE

    def _process_match_none(self):
        return wq.NullQuery

    def _connect_filters(self, filters, connector, negated):
        if any(f is NEEDS_DATABASE for f in filters):
            return NEEDS_DATABASE
        if not filters:
            combined = wq.Every()
        elif len(filters) == 1:
            combined = filters[0]
        else:
            combined = wq.And(filters) if connector == "AND" else wq.Or(filters)
        return wq.And([wq.Every(), wq.Not(combined)]) if negated else combined

    # Ordering

    def _get_order_by(self):
        """As the base class, but the primary key may always be ordered by."""
        if self.order_by_relevance:
            return
        for item in self.queryset.query.order_by:
            if isinstance(item, OrderBy):
                continue
            name = item.lstrip("-")
            if name in self._pk_names() or self._get_filterable_field(name) is not None:
                continue
            raise OrderByFieldError(
                f'Cannot sort search results with field "{name}". Please add index.FilterField("{name}") '
                f"to {self.model.__name__}.search_fields.",
                field_name=name,
            )
        yield from ()

    def _pk_names(self):
        pk = self.model._meta.pk
        return {"pk", pk.name, pk.attname}

    def sort_facets(self):
        """Whoosh sort keys for the queryset's ordering, or None to sort by relevance."""
        if self.order_by_relevance:
            return None
        pk_field = "pkn" if pk_is_integer(self.root_model) else "pk"
        facets = []
        for item in self.queryset.query.order_by:
            if isinstance(item, OrderBy):
                if not isinstance(item.expression, F):
                    continue
                name, reverse = item.expression.name, item.descending
            else:
                name, reverse = item.lstrip("-"), item.startswith("-")
            if name in self._pk_names():
                facets.append(sorting.FieldFacet(pk_field, reverse=reverse))
                continue
            search_field = self._get_filterable_field(name)
            filter_ = self.spec.filters.get(search_field.field_name) if search_field else None
            if filter_ is not None and filter_.sortable:
                facets.append(sorting.FieldFacet(filter_.index_field, reverse=reverse))
        if not facets:
            return [sorting.FieldFacet(pk_field, reverse=True)]
        facets.append(sorting.FieldFacet(pk_field))
        return facets

    # Running it

    def plan(self):
        """(text query, index filter query or None, whether the database must filter, sort keys)."""
        if "plan" not in self.state:
            text_query = self.compile_query(self.query)
            filters = []
            if self.model is not self.root_model:
                filters.append(wq.Term("ct", self.spec.content_type))
            needs_database = False
            if self.queryset.query.where:
                translated = self._get_filters_from_queryset()
                if translated is NEEDS_DATABASE:
                    needs_database = True
                elif translated is not None:
                    filters.append(translated)
            filter_query = None
            if filters:
                filter_query = filters[0] if len(filters) == 1 else wq.And(filters)
            self.state["plan"] = (text_query, filter_query, needs_database, self.sort_facets())
        return self.state["plan"]

    def allowed_docnums(self, searcher, columns) -> set:
        """Document numbers the database says the queryset allows (the fallback for filters)."""
        allowed = {str(pk) for pk in self.queryset.values_list("pk", flat=True)}
        pks = columns_reader(searcher, columns, "pk")
        return {docnum for docnum in range(searcher.doc_count_all()) if pks[docnum] in allowed}

    def _allow(self, entry):
        """What the collector may keep: a filter query, a set of document numbers, None (all)
        or ``NOTHING``."""
        _, filter_query, needs_database, _ = self.plan()
        if filter_query is wq.NullQuery:
            return NOTHING
        if not needs_database:
            return allowed_by(filter_query, entry)
        searcher = entry["searcher"]
        allow = self.allowed_docnums(searcher, entry["columns"])
        if filter_query is not None:
            allow &= set(searcher.docs_for_query(filter_query))
        return allow or NOTHING

    def run(self, entry, limit):
        """The top ``limit`` hits (all when None) as (pk, score) pairs, and the total count."""
        searcher = entry["searcher"]
        text_query, _, _, sortedby = self.plan()
        text_query = held_terms_only(text_query, entry)
        allow = self._allow(entry)
        if text_query is wq.NullQuery or allow is NOTHING:
            return [], 0
        if (
            sortedby is None
            and (allow is None or isinstance(allow, set | DocIdSet))
            and (scores := scored_parts(text_query, entry)) is not None
        ):
            return self._top(entry, scores, allow, limit)
        if sortedby is not None:
            collector = collectors.SortingCollector(sortedby, limit=limit)
        elif limit is None:
            collector = collectors.UnlimitedCollector()
        else:
            # replace=0: Whoosh's top-N collector otherwise swaps in a cheaper matcher once the
            # page is full, dropping the branches of an OR (a low-boost field) that can no
            # longer reach it, and the matches only they had go uncounted.
            collector = collectors.TopCollector(limit=limit, usequality=False, replace=0)
        if allow is not None:
            collector = collectors.FilterCollector(collector, allow=allow)
        searcher.search_with_collector(text_query, collector)
        results = collector.results()
        if not results.top_n:  # an empty index has no columns to read
            return [], len(results)
        pks = columns_reader(searcher, entry["columns"], "pk")
        hits = [(pks[docnum], score) for score, docnum in results.top_n]
        return hits, len(results)

    @staticmethod
    def _top(entry, scores: dict, allow, limit):
        """``run``'s answer from the scores of every match: filtered, the best ``limit`` in
        Whoosh's own order (score, then document number)."""
        if allow is not None:
            scores = {docnum: score for docnum, score in scores.items() if docnum in allow}
        if not scores:
            return [], 0
        best = (
            sorted(scores.items(), key=_best_first)
            if limit is None
            else heapq.nsmallest(limit, scores.items(), key=_best_first)
        )
        pks = columns_reader(entry["searcher"], entry["columns"], "pk")
        return [(pks[docnum], score) for docnum, score in best], len(scores)

    def matching_docnums(self, entry) -> set:
        text_query = held_terms_only(self.plan()[0], entry)
        allow = self._allow(entry)
        if text_query is wq.NullQuery or allow is NOTHING:
            return set()
        searcher = entry["searcher"]
        collector = collectors.UnlimitedCollector()
        if allow is not None:
            collector = collectors.FilterCollector(collector, allow=allow)
        searcher.search_with_collector(text_query, collector)
        return set(collector.results().docs())


class WhooshAutocompleteQueryCompiler(WhooshSearchQueryCompiler):
    """Matches words by their beginnings, in ``AutocompleteField`` fields only, unstemmed."""

    prefix_matching = True


# Terms looked up per searcher (per generation of the index): enough for every word of a busy
# day's searches in every field, then started afresh.
MAX_HELD_TERMS = 100_000


def held_terms_only(query, entry):
    """``query`` without the terms the index does not hold (and what only they made up).

    A word is looked for in every searched field (a page type has a dozen), and Whoosh, for
    each term, looks it up three times while building its matchers (how many documents have it,
    whether it is there, its postings), most of them for fields that never contain it. Here
    each (field, term) is looked up once per searcher and kept, and the query keeps only those
    present: an OR loses its absent branches, an AND with an absent part matches nothing. The
    scores are unchanged (an absent term adds nothing to any score); phrases, fuzzy terms and
    negations are left as they are.
    """
    held = entry.setdefault("terms", {})
    if len(held) > MAX_HELD_TERMS:
        held.clear()
    reader = entry["searcher"].reader()
    schema = entry["searcher"].schema

    def present(fieldname: str, text) -> bool:
        key = (fieldname, text)
        found = held.get(key)
        if found is None:
            try:
                found = (fieldname, schema[fieldname].to_bytes(text)) in reader
            except (KeyError, ValueError):  # no such field, or not a value of it
                found = False
            held[key] = found
        return found

    def prune(node):
        if type(node) is wq.Term:
            return node if present(node.fieldname, node.text) else wq.NullQuery
        if type(node) is wq.And:
            parts = [prune(sub) for sub in node.subqueries]
            if any(part is wq.NullQuery for part in parts):
                return wq.NullQuery
            return wq.And(parts, boost=node.boost)
        if type(node) in (wq.Or, Union):
            parts = [part for part in (prune(sub) for sub in node.subqueries) if part is not wq.NullQuery]
            return type(node)(parts, boost=node.boost) if parts else wq.NullQuery
        return node

    return prune(query)


# The scores of queries' parts kept per searcher: every match of each part, up to this many in
# all (then started afresh); a part matching more than MAX_SCORED_PART documents is not kept.
MAX_KEPT_SCORES = 200_000
MAX_SCORED_PART = 20_000
COMPOUND = (wq.And, wq.Or, Union)
TOO_MANY = object()
KEPT_SIZE = "size"  # the kept scores' number, beside the parts (queries) they are kept under


def _best_first(item):
    docnum, score = item
    return (-score, docnum)


def scored_parts(query, entry) -> dict | None:
    """Every document ``query`` matches, with its score, made from its parts' scores kept per
    searcher; None where the query is not one this can answer (Whoosh answers it then).

    A search is an ``And`` (all the words), an ``Or`` (some of them) or an ``Or`` of ``And``s
    (all but one) of its words, and a word is an ``Or`` of one term per searched field (or of
    its expansions). Whoosh scores an ``And`` or ``Or`` as the sum of its matching parts'
    scores, so a search's scores can be made from its words' scores: each word (any query with
    no ``And`` or ``Or`` inside it) is scored by Whoosh once per generation of the index, all
    its matches kept, and then combined here: the words of a new search made of words searched
    before cost a few dictionary operations instead of a walk through the index. The same
    documents and scores as Whoosh's (up to the order of floating-point additions:
    ``tests/search/test_whoosh_scored_parts.py``).
    """
    kept = entry["scores"]
    if kept.get(KEPT_SIZE, 0) > MAX_KEPT_SCORES:
        kept.clear()
    searcher = entry["searcher"]

    def scores_of(node):
        if type(node) in COMPOUND and any(type(sub) in COMPOUND for sub in node.subqueries):
            if node.boost != 1 or getattr(node, "minmatch", 0) or getattr(node, "scale", None):
                return None
            parts = []
            for sub in node.subqueries:
                scores = scores_of(sub)
                if scores is None:
                    return None
                parts.append(scores)
            return _combine(parts, every=type(node) is wq.And)
        try:
            found = kept.get(node)
        except (TypeError, NotImplementedError):  # a query that cannot be a key (Whoosh's base
            return None  # ``Query.__hash__`` raises NotImplementedError)
        if found is None:
            collector = collectors.UnlimitedCollector()
            searcher.search_with_collector(node, collector)
            found = {docnum: score for score, docnum in collector.results().top_n}
            if len(found) > MAX_SCORED_PART:
                found = TOO_MANY  # and Whoosh answers every search with this part
            kept[node] = found
            kept[KEPT_SIZE] = kept.get(KEPT_SIZE, 0) + (0 if found is TOO_MANY else len(found))
        return None if found is TOO_MANY else found

    if query is wq.NullQuery:
        return None
    return scores_of(query)


def _combine(parts: list[dict], *, every: bool) -> dict:
    """Parts' scores summed: over the documents all of them match (``every``), or any."""
    if every:
        smallest = min(parts, key=len)
        return {
            docnum: sum(part[docnum] for part in parts)
            for docnum in smallest
            if all(docnum in part for part in parts)
        }
    combined: dict = {}
    for part in parts:
        for docnum, score in part.items():
            combined[docnum] = combined.get(docnum, 0.0) + score
    return combined


# Filters' document sets kept per searcher: the filters a site asks are few (live pages, a
# model's type, documents not drafts...), each with its own set.
MAX_KEPT_FILTERS = 256


def allowed_by(filter_query, entry):
    """The documents ``filter_query`` allows, as a set of document numbers kept per searcher.

    Whoosh turns a filter query into a bit set on every search, walking the postings of every
    document it allows (every live page, every visible post): the same work each time until the
    index changes. The set is made once per searcher (per generation of the index) instead.
    """
    if filter_query is None:
        return None
    kept = entry.setdefault("filters", {})
    try:
        found = kept.get(filter_query)
    except TypeError:  # a query that cannot be a key: Whoosh's own way
        return filter_query
    if found is None:
        if len(kept) >= MAX_KEPT_FILTERS:
            kept.clear()
        found = kept[filter_query] = entry["searcher"]._filter_to_comb(filter_query)
    return found


def columns_reader(searcher, cache: dict, name: str):
    """A column of the index, read once per searcher (per generation of the index)."""
    if name not in cache:
        cache[name] = searcher.reader().column_reader(name)
    return cache[name]


class WhooshSearchResults(BaseSearchResults):
    """Search results: hits from the index, objects from the database for the requested slice.

    ``incomplete`` is True when the index was missing or unreadable: the results are then empty
    rather than an error, and the page can say they may be incomplete.
    """

    supports_facet = True

    @property
    def incomplete(self) -> bool:
        return bool(self.query_compiler.state.get("incomplete"))

    def _searcher_entry(self):
        return self.backend.get_index_for_model(self.query_compiler.model).location.searcher()

    def _unavailable(self, error) -> None:
        logger.error("Search index unavailable, answering with no results: %r", error)
        self.query_compiler.state["incomplete"] = True
        if not isinstance(error, SearchIndexUnavailable):
            IndexLocation.forget_searchers()  # open afresh next time: it may have been repaired

    def _hits(self, limit):
        state = self.query_compiler.state
        cached = state.get("hits")
        if cached is not None:
            hits, total, cached_limit = cached
            if cached_limit is None or (limit is not None and limit <= cached_limit):
                return hits, total
        try:
            hits, total = self.query_compiler.run(self._searcher_entry(), limit)
        except DatabaseError:
            raise
        except Exception as error:  # noqa: BLE001 - a damaged index fails in many ways
            self._unavailable(error)
            hits, total = [], 0
        state["hits"] = (hits, total, limit)
        return hits, total

    def _do_search(self):
        if self.stop is not None and self.stop <= self.start:
            return []
        # A first page also answers the paginator's count: fetch a little ahead.
        limit = None if self.stop is None else max(self.stop, 20)
        hits, _ = self._hits(limit)
        hits = hits[self.start : self.stop]
        if not hits:
            return []
        queryset = self.query_compiler.queryset
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        objects = {str(obj.pk): obj for obj in queryset.filter(pk__in=[pk for pk, _ in hits])}
        results = []
        for pk, score in hits:
            obj = objects.get(pk)
            if obj is None:
                continue  # deleted, or no longer matching the queryset, since it was indexed
            if self._score_field:
                setattr(obj, self._score_field, float(score) if score is not None else None)
            results.append(obj)
        return results

    def keys(self) -> list:
        """The primary keys of this slice's hits, best first, from the index alone: no database
        query (``search.sources.search_keys``). Unlike the objects, a key may name an object
        deleted or changed since it was indexed: the caller reads through its own queryset."""
        if self.stop is not None and self.stop <= self.start:
            return []
        limit = None if self.stop is None else max(self.stop, 20)
        hits, _ = self._hits(limit)
        to_python = self.query_compiler.model._meta.pk.to_python
        return [to_python(pk) for pk, _ in hits[self.start : self.stop]]

    def _do_count(self):
        limit = None if self.stop is None else self.stop
        _, total = self._hits(limit if limit is not None else 20)
        total = max(0, total - self.start)
        return min(total, self.stop - self.start) if self.stop is not None else total

    def facet(self, field_name):
        search_field = self.query_compiler._get_filterable_field(field_name)
        filter_ = self.query_compiler.spec.filters.get(search_field.field_name) if search_field else None
        if filter_ is None:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add '
                f'index.FilterField("{field_name}") to {self.query_compiler.model.__name__}.search_fields.',
                field_name=field_name,
            )
        try:
            return self._facet(filter_)
        except DatabaseError:
            raise
        except Exception as error:  # noqa: BLE001 - a damaged index fails in many ways
            self._unavailable(error)
            return OrderedDict()

    def _facet(self, filter_):
        entry = self._searcher_entry()
        docnums = self.query_compiler.matching_docnums(entry)
        searcher = entry["searcher"]
        counts: Counter = Counter()
        empty = set(searcher.docs_for_query(wq.Term("nulls", filter_.name))) & docnums
        if filter_.multi:
            reader = searcher.reader()
            for term in reader.lexicon(filter_.index_field):
                matching = reader.postings(filter_.index_field, term).all_ids()
                count = sum(1 for docnum in matching if docnum in docnums)
                if count:
                    counts[multi_untoken(filter_.kind, term.decode("utf-8"))] = count
        else:
            column = searcher.reader().column_reader(filter_.index_field)
            for docnum in docnums - empty:
                counts[decode(filter_.kind, column[docnum])] += 1
        if empty:
            counts[None] = len(empty)
        return OrderedDict(counts.most_common())


class _MortalSubWriterTask(SubWriterTask):
    """Whoosh's writer process, made to die with the process that forked it.

    Without this, a rebuild killed with ``kill -9`` left its writer processes waiting on their
    job queue for ever, holding copies of the rebuild's lock descriptors, so the next rebuild
    waited for ever too.
    """

    def __init__(self, *args, parent_pid, writelock, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_pid = parent_pid
        self.writelock = writelock
        # Ended (not waited for) if the rebuilding process exits without committing.
        self.daemon = True

    def run(self):
        inherited = set()
        if self.writelock is not None and self.writelock.fd is not None:
            # Our copy of the parent's lock on the new generation: close it, and make sure this
            # process's copy of the lock object can never release the parent's lock.
            inherited.add(self.writelock.fd)
            self.writelock.fd = None
        die_with_parent(self.parent_pid, inherited)
        super().run()


class RebuildWriter(MpWriter):
    """Whoosh's multi-process writer, whose processes die with the rebuild (see above)."""

    def _new_task(self):
        task = _MortalSubWriterTask(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
            parent_pid=os.getpid(),
            writelock=getattr(self, "writelock", None),
        )
        self.tasks.append(task)
        task.start()
        return task


def open_bulk_writer(ix, options: dict):
    """A writer for a rebuild's new generation, with ``options`` from ``bulk_writer_options``."""
    options = dict(options)
    procs = options.pop("procs", 1)
    if procs > 1:
        return RebuildWriter(ix, procs=procs, **options)
    return ix.writer(**options)


class RebuildCodec(W3Codec):
    """Whoosh's standard codec, without block length statistics (see ``bulk_writer_options``)."""

    length_stats = False


class WhooshSearchBackend(BaseSearchBackend):
    query_compiler_class = WhooshSearchQueryCompiler
    autocomplete_query_compiler_class = WhooshAutocompleteQueryCompiler
    index_class = WhooshIndex
    results_class = WhooshSearchResults
    rebuilder_class = WhooshRebuilder
    catch_indexing_errors = True

    def __init__(self, params):
        super().__init__(params)
        if not params.get("PATH"):
            raise ImproperlyConfigured("The Whoosh search backend needs a PATH to keep its indexes in.")
        self.params = params
        self.path = Path(params["PATH"])
        self.lock_timeout = float(params.get("LOCK_TIMEOUT", 30))
        self.update_on_commit = bool(params.get("UPDATE_ON_COMMIT", True))
        self.writer_procs = int(params.get("WRITER_PROCS", min(os.cpu_count() or 1, 4)))
        self.writer_limitmb = int(params.get("WRITER_LIMITMB", 1024))
        self._indexes: dict[str, WhooshIndex] = {}

    def bulk_writer_options(self) -> dict:
        """How a rebuild writes: several processes, more memory, no per-posting length stats.

        The length statistics Whoosh keeps in each postings block only tighten its block-skipping
        optimisation, which this backend does not use (it counts every hit in the same pass), and
        computing them is a quarter of the build time. Segments written later by ordinary
        updates, and merges, keep them as usual.
        """
        options = {"limitmb": self.writer_limitmb, "codec": RebuildCodec(), "compound": False}
        if self.writer_procs > 1:
            options.update(procs=self.writer_procs, multisegment=True)
        return options

    def get_index_for_model(self, model):
        root = get_model_root(model)
        name = index_name(root)
        if name not in self._indexes:
            self._indexes[name] = self.index_class(self, root)
        return self._indexes[name]

    def is_available(self, model) -> bool:
        """Whether the index ``model`` is searched in exists and opens (for health checks)."""
        try:
            self.get_index_for_model(model).location.searcher()
        except SearchIndexUnavailable:
            return False
        return True


SearchBackend = WhooshSearchBackend

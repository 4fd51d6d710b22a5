"""Wagtail's database search backend (modelsearch's ``modelsearch.backends.database``), with one
change on PostgreSQL: a search does not select each matching row's search vector.

modelsearch filters PostgreSQL rows on a search vector it adds to the query as an annotation,
which also puts the vector in the query's SELECT: every matching row's vector (all its indexed
fields) is sent back and never read, and Django, working out the ORDER BY, hashes the whole
expression of every selected column (a walk over the vector's and the rank's expression trees
for each search: most of a search's time here, more than the SQL itself). Here the vector is
kept as an alias, as Django's ``alias()`` would (used by the filter, not selected): the same
rows in the same order, a smaller query and answer. On SQLite and elsewhere the backend is
modelsearch's own.
"""

from functools import cached_property

from django.db.models import FloatField, Func
from modelsearch.backends.database import SearchBackend as _database_backend

VECTOR = "_vector_"  # the annotation modelsearch's PostgreSQL query compiler filters on


def _unselect_vector(queryset):
    query = queryset.query
    if VECTOR in query.annotations:
        query.set_annotation_mask(set(query.annotation_select) - {VECTOR})
    return queryset


class Ranked(Func):
    """A rank expression as it is (the same SQL), which Django need not walk to compare.

    Django compares the ORDER BY's expressions with the selected ones by hashing them, and an
    expression's hash walks its whole tree, binding each node's arguments again: for the rank
    of a search over many fields, most of the time a search took. This one is equal only to
    itself."""

    template = "%(expressions)s"

    def __init__(self, expression):
        super().__init__(expression, output_field=FloatField())

    @cached_property
    def identity(self):
        return (type(self), id(self))


_classes = {}


def _postgres_backend_class(base):
    """modelsearch's PostgreSQL backend with a query compiler that leaves the vector out."""
    if base not in _classes:
        compiler_base = base.query_compiler_class

        class QueryCompiler(compiler_base):
            def search(self, *args, **kwargs):
                return _unselect_vector(super().search(*args, **kwargs))

            def _apply_ordering_and_scoring(self, queryset, rank_expression, *args, **kwargs):
                return super()._apply_ordering_and_scoring(queryset, Ranked(rank_expression), *args, **kwargs)

        _classes[base] = type(
            base.__name__, (base,), {"query_compiler_class": QueryCompiler, "__module__": __name__}
        )
    return _classes[base]


def SearchBackend(params):  # noqa: N802 - modelsearch looks a backend module's ``SearchBackend`` up by name
    backend = _database_backend(params)
    if type(backend).__name__ != "PostgresSearchBackend":
        return backend
    return _postgres_backend_class(type(backend))(params)

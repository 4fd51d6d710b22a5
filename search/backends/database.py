"""Wagtail's database search backend (modelsearch's ``modelsearch.backends.database``), with two
changes on PostgreSQL, neither changing which rows a search finds nor their order.

- **The rank is not walked.** Working out the ORDER BY, Django looks each ordering expression
  up among the selected ones by hashing it, and an expression's hash walks its whole tree,
  binding every node's arguments again: for the rank of a search over a model's many fields,
  about 40% of a search's time, more than the SQL itself. The rank is wrapped (``Ranked``: the
  same SQL) in an expression equal only to itself, whose hash is immediate.
- **The vector is not selected.** modelsearch filters rows on a search vector it adds as an
  annotation, which also puts it in the SELECT: each matching row's vector was sent back and
  never read. It is kept as an alias, as Django's ``alias()`` would (used by the filter only).

On SQLite and elsewhere the backend is modelsearch's own.
"""

from functools import cached_property

from django.db import connection
from django.db.models import FloatField, Func
from modelsearch.backends.database import SearchBackend as _database_backend

VECTOR = "_vector_"  # the annotation modelsearch's PostgreSQL query compiler filters on


def _unselect_vector(queryset):
    query = queryset.query
    if VECTOR in query.annotations:
        query.set_annotation_mask(set(query.annotation_select) - {VECTOR})
    return queryset


class Ranked(Func):
    """A rank expression as it is (the same SQL), equal only to itself: Django hashes it without
    walking the expression inside (see the module's docstring)."""

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
    if connection.vendor != "postgresql":
        return _database_backend(params)
    from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

    return _postgres_backend_class(PostgresSearchBackend)(params)

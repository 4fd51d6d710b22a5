"""Rows read by primary key on every request, with their SQL compiled once per process.

Django compiles a queryset's SQL anew each time it runs. For the two rows every signed-in page
request reads (the person, by the id in their session; the page, by the kept route walk) the
compiling cost more than the query itself: on the bench machine 0.36 ms to compile the person's
query and 0.66 ms the page's (a join with Wagtail's page table, some forty columns), against
0.3 and 0.4 ms to run them.

``get_by_pk(Model, pk)`` compiles ``Model._default_manager.filter(pk=...)`` once per model and
database, then runs it through Django's own cursor (query counting, logging and the current
transaction see it as any other query), applies the same converters a queryset applies (JSON,
StreamField, dates) and builds the instance with ``Model.from_db``, as the queryset would. It
reads the row afresh every time: nothing of the row itself is kept.
"""

from __future__ import annotations

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connections, router


class _Prepared(NamedTuple):
    sql: str
    init_list: tuple[str, ...]
    compiler: object  # the SQLCompiler the SQL came from (its converters)
    converters: dict


_prepared: dict[tuple, _Prepared] = {}


def _prepare(model, alias: str) -> _Prepared:
    probe = model._meta.pk.get_db_prep_value(0, connections[alias])
    queryset = model._default_manager.db_manager(alias).filter(pk=probe)
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    if list(params) != [probe] or compiler.klass_info is None:
        raise ValueError(f"{model.__name__}: a plain query by primary key was expected, got {sql!r}")
    fields = compiler.klass_info["select_fields"]
    selected = compiler.select[fields[0] : fields[-1] + 1]
    return _Prepared(
        sql=sql,
        init_list=tuple(item[0].target.attname for item in selected),
        compiler=compiler,
        converters=compiler.get_converters([item[0] for item in compiler.select]),
    )


def get_by_pk(model, pk, using: str | None = None):
    """``model._default_manager.get(pk=pk)``, without compiling the query again; raises
    ``model.DoesNotExist`` as ``get`` does."""
    alias = using or router.db_for_read(model)
    prepared = _prepared.get((model, alias))
    if prepared is None:
        prepared = _prepared[(model, alias)] = _prepare(model, alias)
    connection = connections[alias]
    field = model._meta.pk
    try:
        value = field.get_db_prep_value(field.to_python(pk), connection)
    except (ValidationError, TypeError, ValueError):
        value = None
    column = field.target_field if field.is_relation else field  # a child page's link to Page
    low, high = connection.ops.integer_field_ranges.get(column.get_internal_type(), (None, None))
    if value is None or (low is not None and value < low) or (high is not None and value > high):
        # Not an id the column can hold (an address's digits, say): no such row, as a queryset
        # answers, rather than a database error.
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    with connection.cursor() as cursor:
        cursor.execute(prepared.sql, [value])
        row = cursor.fetchone()
    if row is None:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    if prepared.converters:
        row = next(prepared.compiler.apply_converters([row], prepared.converters))
    return model.from_db(alias, prepared.init_list, row)

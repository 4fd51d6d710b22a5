from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag
def query_with(filters, **changes):
    """The library's query string for ``filters``, with some values changed (e.g. the page)."""
    params = [("q", filters.q)] if filters.q else []
    params += [("kind", v) for v in filters.kinds]
    params += [("workstream", v) for v in filters.workstreams]
    params += [("status", v) for v in filters.statuses]
    params += [("region", v) for v in filters.regions]
    params += [("organisation", v) for v in filters.organisations]
    if filters.include_superseded:
        params.append(("superseded", "1"))
    default_sort = "relevance" if filters.q else "newest"
    if filters.sort != default_sort:
        params.append(("sort", filters.sort))
    for key, value in changes.items():
        params = [(k, v) for k, v in params if k != key]
        if value not in (None, "", 1) or key != "page":
            params.append((key, value))
    return urlencode(params)


@register.filter
def file_kind(document) -> str:
    return {"pdf": "PDF", "docx": "Word", "odt": "OpenDocument", "txt": "Text"}.get(
        document.file_extension.lower(), document.file_extension.upper()
    )

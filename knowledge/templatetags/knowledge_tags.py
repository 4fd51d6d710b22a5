from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

register = template.Library()


@register.filter
def workstream_url(workstream) -> str:
    """The address of a workstream's hub: ``{{ workstream|workstream_url }}``. Takes a
    ``Workstream`` or its slug."""
    slug = getattr(workstream, "slug", workstream)
    if not slug:
        return ""
    try:
        return reverse("knowledge:workstream", args=[slug])
    except NoReverseMatch:
        return ""


@register.simple_tag
def knowledge_query(filters, **changes) -> str:
    """The index's query string for ``filters`` with some values changed (e.g. the page)."""
    return urlencode(filters.query(**changes))


@register.simple_tag(takes_context=True)
def visible_document(context, document):
    """The document of a body's document link, or None when the viewer may not see it (by the
    library's own rule), so that a title never leaks from a restricted collection. Rendered with
    the request, the viewer is asked; in a kept fragment (no request), the fragment's
    ``visibility`` and ``may_edit_documents``."""
    from documents.permissions import can_view_document, may_view_document

    from ..selectors import document_url

    if document is None:
        return None
    request = context.get("request")
    if request is not None:
        allowed = can_view_document(request, document)
    else:
        visibility = context.get("visibility")
        may_edit = context.get("may_edit_documents", False)
        allowed = visibility is not None and may_view_document(visibility, document, may_edit=may_edit)
    if not allowed:
        return None
    document.library_url = document_url(document)
    return document

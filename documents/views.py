"""The library's views: listing, document page, comparison, and the permission-checked download.

The listing's results and counts are cached as rendered HTML, keyed by the library's version
(which changes with any document), the viewer's *visibility* (which restricted collections
they may not see) and the cleaned filters. Two viewers share an entry only when they may see
exactly the same documents, and nothing personal (names, tokens) is in the cached part.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.documents.views import serve as wagtail_serve
from wagtail.models import Collection

from serving.page_cache import mark_audience_only
from serving.prepared import get_by_pk
from serving.refusals import members_only
from serving.visibility import kept_fragment

from . import conf
from .comparison import compare_texts
from .models import DocumentStatus, GovernanceDocument
from .permissions import (
    awaits_approval_for,
    can_download_document,
    can_edit_documents,
    can_view_document,
    is_restricted,
    visibility_for,
)
from .selectors import (
    SORTS,
    LibraryFilters,
    document_family,
    document_lineage,
    library_listing,
)
from .services import document_record_download
from .uploads import stored_file_name


def deny(request, document=None):
    """Never say whether a document exists to someone who may not see it, except to tell a
    person awaiting approval why a members-only document is not theirs yet."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if awaits_approval_for(request, document):
        return members_only(request)
    raise Http404(_("Document not found"))


def _private(response):
    patch_cache_control(response, private=True, no_cache=True, no_store=True, max_age=0)
    patch_vary_headers(response, ["Cookie"])
    return response


def _not_shared(request, response):
    """What an anonymous visitor sees is the same for all of them, and what a signed-in person
    sees the same for their audience: the site's page caches (serving.page_cache) may keep it,
    and mark a signed-in person's copy private. Restricted documents' pages are for their
    audience only (``mark_audience_only``); downloads of them are private."""
    patch_vary_headers(response, ["HX-Request", "Cookie"])
    return response


def library_index(page, request):
    filters = LibraryFilters.from_querydict(request.GET)
    visibility = visibility_for(request)
    library_url = page.get_url(request)
    today = timezone.localdate()

    def build(kept_visibility):
        listing = library_listing(filters=filters, visibility=visibility_for(kept_visibility))
        context = {
            "listing": listing,
            "filters": filters,
            "library_url": library_url,
            "sorts": SORTS,
            "today": today,
        }
        facts = {
            "total": listing.total,
            "number": listing.page.number,
            "pages": listing.page.paginator.num_pages,
            "search_failed": listing.search_failed,
        }
        return context, facts

    # The listing (filters, facets, results, pages) is the same for everyone who may see the
    # same documents: rendered once per content version (every document change retires it),
    # visibility, filters and day; never kept when the search index failed (the database's
    # plainer answer is shown, and the next request asks the index again).
    body = kept_fragment(
        request,
        "documents-library",
        (page.pk, library_url, filters.cache_key(), today.isoformat()),
        "documents/includes/library_body.html",
        build,
        timeout=int(conf.get("DOCUMENTS_LIBRARY_CACHE_TIMEOUT")),
        keep_if=lambda facts: not facts["search_failed"],
    )
    cached = {"html": body.html, **body.facts}

    context = {
        "library_body": cached["html"],
        "total": cached["total"],
        "page_number": cached["number"],
        "page_count": cached["pages"],
        "filters": filters,
        "library_url": library_url,
        "hidden_from_viewer": bool(visibility.hidden_paths),
    }
    if request.htmx:
        response = page.render(
            request, template="documents/includes/library_update.html", context_overrides=context
        )
    else:
        response = page.render(request, context_overrides=context)
    patch_vary_headers(response, ["HX-Request"])
    return _not_shared(request, response)


def _get_document(request, document_id):
    """The document (with its collection, all the permission rule needs) and whether the viewer
    may see it. Its owner, scheme and text reading are loaded by ``_with_details`` when a kept
    page body is built, not on every request: the five joins cost more to plan than to run."""
    try:
        # Two reads by primary key with their SQL compiled once (``serving.prepared``) cost less
        # than compiling the join each time.
        document = get_by_pk(GovernanceDocument, document_id)
        document.collection = get_by_pk(Collection, document.collection_id)
    except ObjectDoesNotExist:  # no such document, or it went between the two reads
        return None, False
    return document, can_view_document(request, document)


def _with_details(document):
    """``document`` again with what its page shows beside its own fields, in one query."""
    return (
        GovernanceDocument.objects.select_related(
            "collection", "organisation", "scheme", "replaces", "extraction"
        )
        .defer("extraction__text")
        .get(pk=document.pk)
    )


def _visible_versions(scope, document, may_edit: bool):
    """``scope``: the request or its viewer's ``Visibility``; ``may_edit``: whether the viewer
    edits documents (drafts are theirs to see)."""
    visibility = visibility_for(scope)
    versions = document_family(document)
    editor = may_edit and any(v.status == DocumentStatus.DRAFT for v in versions)
    return [
        version
        for version in versions
        if not visibility.hides(version.collection.path)
        and (version.status != DocumentStatus.DRAFT or editor)
    ]


SECTIONS_HOOK = "document_page_sections"


def _sections(visibility, document) -> list[str]:
    """HTML other apps add to a document's page (the forum: its consultation's comment counts),
    each from a ``document_page_sections`` hook function ``fn(visibility, document) -> str``.
    It is given the viewer's ``serving.visibility.Visibility``, never the request: the page's
    body is kept per visibility (and the whole page shared by its audience), so a section must
    hold nothing personal and nothing only some of those people may see, and cost the same
    whatever the volume."""
    found = []
    for fn in hooks.get_hooks(SECTIONS_HOOK):
        html = fn(visibility, document)
        if html:
            found.append(mark_safe(html))  # rendered by the app's own template
    return found


def _visible_lineage(scope, document):
    """Other schemes' documents this family was adapted from or that were adapted from it,
    as far as the viewer may see them (the library's collection rule)."""
    visibility = visibility_for(scope)
    return [other for other in document_lineage(document) if not visibility.hides(other.collection.path)]


def _compare_fields(lineage, a_id, b_id) -> list[tuple]:
    """The comparison form's two choices (name, label, chosen id), on the document page and
    the comparison page alike."""
    if not lineage:
        return [("a", _("Earlier version"), a_id), ("b", _("Later version"), b_id)]
    return [("a", _("Earlier version or original"), a_id), ("b", _("Later version or adaptation"), b_id)]


def document_detail(page, request, document_id: int, slug: str | None):
    document, visible = _get_document(request, document_id)
    if not visible:
        return deny(request, document)
    if slug != document.slug:
        return redirect(page.document_url(document), permanent=False)
    may_edit = can_edit_documents(request)
    today = timezone.localdate()
    library_url = page.get_url(request)
    # From the library's address for this request (Wagtail keeps it on the request), rather
    # than ``page.url``, which reads the site's root paths from the cache each time.
    document_url = page.document_url(document, request)
    compare_url = library_url + f"{document.pk}/compare/"
    shown = document

    def build(visibility):
        document = _with_details(shown)
        versions = _visible_versions(visibility, document, may_edit)
        newer = [v for v in versions if v.replaces_id == document.pk]
        current = next((v for v in reversed(versions) if v.status == DocumentStatus.AGREED), None)
        # The schemes that adopted it, as far as the viewer may see them (the site's one rule).
        adopters = list(
            visibility.visible_pages(document.adopted_by.live())
            .order_by("title")
            .only("pk", "title", "url_path", "path")
        )
        lineage = _visible_lineage(visibility, document)
        body = {
            "document": document,
            "versions": versions,
            "originals": [other for other in lineage if other.lineage == "original" and other.direct],
            "adaptations": [other for other in lineage if other.lineage == "adaptation"],
            "lineage": lineage,
            "compare_fields": _compare_fields(lineage, document.replaces_id, document.pk),
            "newer_version": newer[0] if newer else None,
            "current_version": current if current and current.pk != document.pk else None,
            "previous_version": next((v for v in versions if v.pk == document.replaces_id), None),
            "workstreams": list(document.workstreams.all()),
            "signatories": list(document.signatories.order_by("name").only("pk", "name")),
            "adopters": adopters,
            "scheme_is_live": bool(document.scheme and document.scheme.live),
            "review_overdue": bool(
                document.review_date
                and document.review_date < today
                and document.status == DocumentStatus.AGREED
            ),
            "library_url": library_url,
            "document_url": document_url,
            "compare_url": compare_url,
            "today": today,
            "sections": _sections(visibility, document),
        }
        return body, {}

    # Everything below the breadcrumbs is the same for everyone who may see the same documents
    # and pages with the same edit right: rendered once per content version and day.
    context = {
        "document": document,
        "library_url": library_url,
        "document_url": document_url,
        "document_body": kept_fragment(
            request,
            "document-page",
            (document.pk, may_edit, today, library_url),
            "documents/includes/document_body.html",
            build,
        ),
    }
    response = page.render(request, template="documents/document_page.html", context_overrides=context)
    if is_restricted(request, document):
        # Members only: shared by the audience cache, never by the anonymous one or a browser.
        return mark_audience_only(_not_shared(request, response))
    return _not_shared(request, response)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def document_compare(page, request, document_id: int):
    document, visible = _get_document(request, document_id)
    if not visible:
        return deny(request, document)
    may_edit = can_edit_documents(request)
    asked_a, asked_b = _int(request.GET.get("a")), _int(request.GET.get("b"))
    library_url = page.get_url(request)
    # From the library's address for this request (Wagtail keeps it on the request), rather
    # than ``page.url``, which reads the site's root paths from the cache each time.
    document_url = page.document_url(document, request)
    compare_url = library_url + f"{document.pk}/compare/"

    def build(visibility):
        versions = _visible_versions(visibility, document, may_edit)
        # Other schemes' documents in its lineage (adapted from it, or it from them) compare too:
        # Thames Valley's MoU 3.1 against Pan-Sussex's 2.0 it was adapted from, clause by clause.
        lineage = _visible_lineage(visibility, document)
        by_pk = {v.pk: v for v in [*versions, *lineage]}
        a_id, b_id = asked_a, asked_b
        if a_id is None and b_id is None:
            b_id = document.pk
            a_id = document.replaces_id if document.replaces_id in by_pk else None
            if a_id is None:
                newer = [v for v in versions if v.replaces_id == document.pk]
                if newer:
                    a_id, b_id = document.pk, newer[0].pk
                elif document.adapted_from_id in by_pk:
                    a_id = document.adapted_from_id
        errors = []
        if a_id not in by_pk or b_id not in by_pk:
            errors.append(
                _("Choose two versions of this document, or a document adapted from it, to compare.")
            )
        elif a_id == b_id:
            errors.append(_("Choose two different versions to compare."))
        comparison = old = new = None
        if not errors:
            ids = {a_id, b_id}
            loaded = {
                d.pk: d
                for d in GovernanceDocument.objects.filter(pk__in=ids)
                .select_related("extraction")
                .only(
                    "pk",
                    "title",
                    "version_label",
                    "status",
                    "effective_date",
                    "created_at",
                    "replaces_id",
                    "family",
                    "extraction__text",
                    "extraction__status",
                    "extraction__extracted_at",
                    "extraction__file_hash",
                )
            }
            old, new = loaded[a_id], loaded[b_id]
            order = [v.pk for v in versions]
            if a_id in order and b_id in order and order.index(a_id) > order.index(b_id):
                old, new = new, old
            if not (old.has_text and new.has_text):
                errors.append(
                    _(
                        "The text of one of these versions could not be read, so they cannot be compared. You can still download both."
                    )
                )
            else:
                key = (
                    "documents:compare:"
                    + hashlib.sha256(
                        f"{old.pk}:{old.extraction.file_hash}:{old.extraction.extracted_at}|"
                        f"{new.pk}:{new.extraction.file_hash}:{new.extraction.extracted_at}".encode()
                    ).hexdigest()
                )
                comparison = cache.get(key)
                if comparison is None:
                    comparison = compare_texts(old.extraction.text, new.extraction.text)
                    cache.set(key, comparison, 60 * 60 * 24)
        context = {
            "document": document,
            "versions": versions,
            "lineage": lineage,
            "compare_fields": _compare_fields(lineage, a_id, b_id),
            "across_families": bool(old and new and old.family != new.family),
            "old": old,
            "new": new,
            "a_id": a_id,
            "b_id": b_id,
            "comparison": comparison,
            "errors": errors,
            "library_url": library_url,
            "document_url": document_url,
            "compare_url": compare_url,
        }
        return context, {"errors": bool(errors)}

    # The comparison is the same for everyone who may see the same documents with the same edit
    # right: rendered once per content version and pair (the texts are read only then).
    body = kept_fragment(
        request,
        "document-compare",
        (document.pk, may_edit, asked_a, asked_b, library_url),
        "documents/includes/compare_body.html",
        build,
    )
    context = {
        "document": document,
        "library_url": library_url,
        "document_url": document_url,
        "compare_body": body,
    }
    response = page.render(request, template="documents/compare_page.html", context_overrides=context)
    if body.facts["errors"] and ("a" in request.GET or "b" in request.GET):
        response.status_code = 400
    if is_restricted(request, document):
        # Members only: shared by the audience cache, never by the anonymous one or a browser.
        return mark_audience_only(_not_shared(request, response))
    return _not_shared(request, response)


def _download_headers(response, document):
    """Wagtail's sendfile writes ``Content-Encoding: None`` for every plain file; files are sent
    as stored, so there is never a content encoding. The type comes from the extension (the
    upload check made sure the content matches it) and the name is the safe stored name."""
    response.headers.pop("Content-Encoding", None)
    response["Content-Type"] = document.content_type
    inline = document.content_disposition == "inline"
    response["Content-Disposition"] = content_disposition_header(
        not inline, stored_file_name(document.filename)
    )
    response["X-Content-Type-Options"] = "nosniff"


def serve(request, document_id, document_filename):
    """Wagtail's document download, with our permission rule, counting and cache headers."""
    document = GovernanceDocument.objects.select_related("collection").filter(pk=document_id).first()
    if document is None or not can_download_document(request, document):
        return deny(request, document)
    response = wagtail_serve.serve(request, document_id, document_filename)
    if response.status_code == 200:
        _download_headers(response, document)
        if request.method == "GET":
            document_record_download(document=document)
    if is_restricted(request, document):
        _private(response)
    return response

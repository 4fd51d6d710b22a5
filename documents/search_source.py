"""Governance documents in the site search: the documents a viewer may see, by the library's
own rules (``permissions.py``), found through their title, summary and extracted text.

Registered with the ``register_site_search_source`` hook in ``wagtail_hooks.py``.
"""

from collections import defaultdict

from django.db.models import QuerySet
from django.utils.translation import gettext

from search.sources import (
    Candidate,
    CandidateSet,
    Hit,
    SearchSource,
    Suggestion,
    autocomplete_ids,
    in_order,
    search_ids,
)

from .models import DocumentKind, DocumentLibraryPage, DocumentStatus, DocumentWorkstream, GovernanceDocument
from .permissions import can_edit_documents, visibility_for


def searchable_documents(request) -> QuerySet[GovernanceDocument]:
    """Documents outside the collections hidden from this viewer; drafts only for editors."""
    documents = visibility_for(request).filter(GovernanceDocument.objects.all())
    if not can_edit_documents(request.user):
        documents = documents.exclude(status=DocumentStatus.DRAFT)
    return documents


class DocumentSource(SearchSource):
    key = "documents"

    @property
    def label(self):
        return gettext("Governance documents")

    def candidates(self, request, query, *, limit, operator="and"):
        # The index is asked with the filter fields it knows; visibility is applied below.
        indexed = GovernanceDocument.objects.all()
        if not can_edit_documents(request.user):
            indexed = indexed.exclude(status=DocumentStatus.DRAFT)
        ids, incomplete = search_ids(indexed, query, limit=limit, operator=operator)
        rows = (
            searchable_documents(request)
            .filter(pk__in=ids)
            .values_list(
                "pk",
                "kind",
                "effective_date",
                "effective_year",
                "created_at",
                "organisation__slug",
                "organisation__name",
            )
        )
        rows = in_order(rows, ids)
        workstreams = defaultdict(list)
        if rows:
            tagged = DocumentWorkstream.objects.filter(content_object_id__in=[row[0] for row in rows])
            for pk, slug, name in tagged.values_list("content_object_id", "tag__slug", "tag__name"):
                workstreams[pk].append((slug, name))
        kinds = dict(DocumentKind.choices)
        candidates = []
        for rank, (pk, kind, effective, year, created, org_slug, org_name) in enumerate(rows):
            facets = {
                "type": ((f"document.{kind}", str(kinds.get(kind, kind))),),
                "workstream": tuple(workstreams[pk]),
            }
            if org_slug:
                facets["organisation"] = ((org_slug, org_name),)
            if year:
                facets["year"] = ((str(year), str(year)),)
            candidates.append(Candidate(self.key, pk, -rank, effective or created.date(), facets))
        return CandidateSet(candidates, incomplete)

    def _library(self):
        return DocumentLibraryPage.objects.live().first()

    def present(self, request, pks):
        library = self._library()
        kinds = dict(DocumentKind.choices)
        statuses = dict(DocumentStatus.choices)
        hits = {}
        documents = searchable_documents(request).filter(pk__in=pks).select_related("organisation")
        for document in documents:
            details = [str(statuses.get(document.status, document.status))]
            if document.version_label:
                details.append(gettext("version %(version)s") % {"version": document.version_label})
            if document.organisation_id:
                details.append(document.organisation.name)
            hits[document.pk] = Hit(
                title=document.title,
                url=library.document_url(document, request) if library else document.url,
                kind=str(kinds.get(document.kind, document.kind)),
                date=document.effective_date or document.created_at.date(),
                text=" ".join(filter(None, [document.summary, document.extracted_text])),
                details=tuple(details),
            )
        return hits

    def suggest(self, request, prefix, *, limit):
        ids = autocomplete_ids(GovernanceDocument.objects.all(), prefix, limit=limit * 3)
        if not ids:
            return []
        library = self._library()
        documents = in_order(
            searchable_documents(request).filter(pk__in=ids).only("pk", "title", "file"),
            ids,
            key=lambda d: d.pk,
        )
        return [
            Suggestion(d.title, library.document_url(d, request) if library else d.url, "")
            for d in documents[:limit]
        ]

    def vocabulary(self, request, *, limit):
        rows = searchable_documents(request).order_by("-created_at").values_list("title", "summary")
        return [" ".join(filter(None, row)) for row in rows[:limit]]

"""Governance documents in the site search: the documents a viewer may see, by the library's
own rules (``permissions.py``), found through their title, summary and extracted text.

Registered with the ``register_site_search_source`` hook in ``wagtail_hooks.py``.
"""

from collections import defaultdict

from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext

from search.sources import (
    Candidate,
    CandidateSet,
    Hit,
    SearchSource,
    Suggestion,
    autocomplete_ids,
    facet_labels,
    in_order,
    kept_candidates,
    presented,
    search_keys,
)
from search.text import SNIPPET_SOURCE_CHARS
from serving.viewer import viewer_for

from .models import (
    CURRENT_STATUSES,
    DocumentKind,
    DocumentStatus,
    DocumentWorkstream,
    GovernanceDocument,
)
from .permissions import can_edit_documents, visibility_for
from .selectors import library_url

# The summary's first characters count as the document's names in the one ranking.
NAMES_CHARS = 500
# Documents whose presentation (with up to SNIPPET_SOURCE_CHARS of their text) each process
# keeps per content version: about 18 MB at most, far less for documents of usual length.
KEPT_PRESENTED = 300


def searchable_documents(request) -> QuerySet[GovernanceDocument]:
    """Documents outside the collections hidden from this viewer; drafts only for editors."""
    documents = visibility_for(request).filter(GovernanceDocument.objects.all())
    if not can_edit_documents(request):
        documents = documents.exclude(status=DocumentStatus.DRAFT)
    return documents


class DocumentSource(SearchSource):
    key = "documents"

    @property
    def label(self):
        return gettext("Governance documents")

    def candidates(self, request, query, *, limit, operator="and"):
        # The index is asked with the filter fields it knows; collections and drafts are
        # checked here again, on the kept facts, for this viewer.
        viewer = viewer_for(request)
        visibility = visibility_for(request)
        may_edit = can_edit_documents(request)
        indexed = GovernanceDocument.objects.all()
        if not may_edit:
            indexed = indexed.exclude(status=DocumentStatus.DRAFT)
        keys, incomplete = search_keys(indexed, query, limit=limit, operator=operator)
        kept = kept_candidates(self.key, viewer.content_version, viewer.language, keys, self._read)
        candidates = []
        for rank, key in enumerate(keys):
            found = kept.get(key)
            if found is None:
                continue
            (path, status), candidate = found
            if visibility.hides(path) or (status == DocumentStatus.DRAFT and not may_edit):
                continue
            candidates.append(candidate.again(-rank))
        return CandidateSet(candidates, incomplete)

    def _read(self, pks) -> dict:
        """Candidates for these documents, as every viewer would have them, with what decides
        who may see each (collection, status): two queries whatever their number."""
        documents = (
            GovernanceDocument.objects.filter(pk__in=pks)
            .select_related("organisation", "collection")
            .only(
                "pk",
                "title",
                "summary",
                "status",
                "version_label",
                "family",
                "kind",
                "effective_date",
                "effective_year",
                "created_at",
                "collection__path",
                "organisation__slug",
                "organisation__name",
            )
        )
        documents = list(documents)
        workstreams = defaultdict(list)
        if documents:
            tagged = DocumentWorkstream.objects.filter(content_object_id__in=[d.pk for d in documents])
            for pk, slug, name in tagged.values_list("content_object_id", "tag__slug", "tag__name"):
                workstreams[pk].append((slug, name))
        kinds = dict(DocumentKind.choices)
        found = {}
        for document in documents:
            facets = {
                "type": ((f"document.{document.kind}", str(kinds.get(document.kind, document.kind))),),
                "workstream": tuple(workstreams[document.pk]),
            }
            if document.organisation_id:
                facets["organisation"] = ((document.organisation.slug, document.organisation.name),)
            if document.effective_year:
                facets["year"] = ((str(document.effective_year), str(document.effective_year)),)
            day = document.effective_date or document.created_at.date()
            names = [document.summary[:NAMES_CHARS], document.version_label, *facet_labels(facets)]
            candidate = Candidate(
                self.key,
                document.pk,
                0,
                day,
                facets,
                title=document.title,
                names=" ".join(filter(None, names)),
                current=document.status in CURRENT_STATUSES,
                family=str(document.family),
            )
            found[document.pk] = ((document.collection.path, document.status), candidate)
        return found

    def _url(self, document) -> str:
        base = library_url()
        return f"{base}{document.pk}-{document.slug}/" if base else document.url

    def present(self, request, candidates):
        """What the page of results shows of each document: kept per content version, host and
        language for the documents presented before (``search.sources.presented``), read in one
        query for the others; who may see each is checked every time."""
        viewer = viewer_for(request)
        seen = presented(
            f"documents:{viewer.language}", viewer.content_version, request.get_host(), limit=KEPT_PRESENTED
        )
        missing = [candidate.pk for candidate in candidates if candidate.pk not in seen]
        if missing:
            for document in self._presented_documents(missing):
                seen[document.pk] = (document.collection.path, document.status, self._hit(document))
        visibility = visibility_for(request)
        may_edit = can_edit_documents(request)
        hits = {}
        for candidate in candidates:
            path, status, hit = seen.get(candidate.pk, (None, None, None))
            if hit is None or visibility.hides(path) or (status == DocumentStatus.DRAFT and not may_edit):
                continue
            hits[candidate.pk] = hit
        return hits

    @staticmethod
    def _presented_documents(pks):
        return (
            GovernanceDocument.objects.filter(pk__in=pks)
            .select_related("organisation", "collection")
            .annotate(snippet_source=Substr("extraction__text", 1, SNIPPET_SOURCE_CHARS))
            .only(
                "pk",
                "title",
                "file",
                "kind",
                "status",
                "version_label",
                "summary",
                "effective_date",
                "created_at",
                "collection__path",
                "organisation__name",
            )
        )

    def _hit(self, document) -> Hit:
        kinds = dict(DocumentKind.choices)
        statuses = dict(DocumentStatus.choices)
        details = [
            str(kinds.get(document.kind, document.kind)),
            str(statuses.get(document.status, document.status)),
        ]
        if document.version_label:
            details.append(gettext("version %(version)s") % {"version": document.version_label})
        if document.organisation_id:
            details.append(document.organisation.name)
        return Hit(
            title=document.title,
            url=self._url(document),
            kind=gettext("Document"),
            date=document.effective_date or document.created_at.date(),
            # Only what a snippet reads of the text is fetched and kept.
            text=" ".join(filter(None, [document.summary, document.snippet_source])),
            details=tuple(details),
        )

    def suggest(self, request, prefix, *, limit):
        ids = autocomplete_ids(GovernanceDocument.objects.all(), prefix, limit=limit * 3)
        if not ids:
            return []
        documents = in_order(
            searchable_documents(request).filter(pk__in=ids).only("pk", "title", "file"),
            ids,
            key=lambda d: d.pk,
        )
        return [Suggestion(d.title, self._url(d), "") for d in documents[:limit]]

    def vocabulary(self, request, *, limit):
        rows = searchable_documents(request).order_by("-created_at").values_list("title", "summary")
        return [" ".join(filter(None, row)) for row in rows[:limit]]

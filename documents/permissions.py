"""Who may see which governance documents: the library's rules, asked of the request's viewer.

What is hidden is decided by the viewer (``serving.viewer``) with the site's one rule per
restriction type: a "login" restriction needs an approved member, not just any signed-in
account; a "groups" restriction needs an approved member in one of its groups; a password
restriction needs the password to have been given in this session. Drafts are for the people
who edit documents.

When someone may not see a document the answer never tells them it exists: anonymous visitors
are asked to sign in whether or not the document exists, approved members get a 404. The one
exception is a signed-in person awaiting approval (or not approved) asking for a members-only
document: they are told why (the "for approved members only" page), as for members-only pages.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from serving.viewer import LOGIN, viewer_for
from serving.visibility import visibility_of

from .models import DocumentStatus, GovernanceDocument


@dataclass(frozen=True)
class Visibility:
    """The collection subtrees hidden from one viewer, as materialised paths.

    Two viewers with the same ``hidden_paths`` see exactly the same documents in the library,
    which is what makes it safe to share a cached listing between them.
    """

    hidden_paths: tuple[str, ...]
    restricted_paths: tuple[str, ...]

    def hides(self, collection_path: str) -> bool:
        return collection_path.startswith(self.hidden_paths) if self.hidden_paths else False

    def is_restricted(self, collection_path: str) -> bool:
        return collection_path.startswith(self.restricted_paths) if self.restricted_paths else False

    def filter(self, documents: QuerySet) -> QuerySet:
        from serving.visibility import under_paths

        return (
            documents.exclude(under_paths(self.hidden_paths, "collection__path"))
            if self.hidden_paths
            else documents
        )

    @property
    def key(self) -> str:
        return ",".join(self.hidden_paths) or "-"


def visibility_for(scope) -> Visibility:
    """What the viewer may not see among collections (no query once warm). ``scope`` is a
    request, or the viewer's ``serving.visibility.Visibility`` inside work kept per visibility."""
    visibility = visibility_of(scope)
    return Visibility(
        hidden_paths=visibility.hidden_collection_paths,
        restricted_paths=visibility.restricted_collection_paths,
    )


def can_edit_documents(request) -> bool:
    """Contributors and editors: anyone who may add or change documents in some collection."""
    return viewer_for(request).can_edit_documents


def can_view_document(request, document: GovernanceDocument) -> bool:
    return may_view_document(
        viewer_for(request).visibility, document, may_edit=lambda: can_edit_documents(request)
    )


def may_view_document(visibility, document: GovernanceDocument, *, may_edit) -> bool:
    """The library's rule, for a ``Visibility`` and whether the viewer edits documents (a bool,
    or a function asked only for drafts): work kept per visibility asks this one."""
    if not visibility.may_see_collection(document.collection.path):
        return False
    if document.status == DocumentStatus.DRAFT:
        return bool(may_edit() if callable(may_edit) else may_edit)
    return True


def can_download_document(request, document: GovernanceDocument) -> bool:
    return can_view_document(request, document)


def awaits_approval_for(request, document: GovernanceDocument | None) -> bool:
    """Whether the refusal is only for want of approval: a signed-in person not (yet) approved,
    asking for a published document that approval alone would open to them."""
    viewer = viewer_for(request)
    if document is None or not viewer.awaits_approval or document.status == DocumentStatus.DRAFT:
        return False
    refusal = viewer.refusal_for_collection(document.collection.path)
    return refusal is not None and (
        refusal.type == LOGIN or not viewer.group_ids.isdisjoint(refusal.group_ids)
    )


def is_restricted(request, document: GovernanceDocument) -> bool:
    """Whether the file is for some viewers only, so that no shared cache may keep it."""
    return document.status == DocumentStatus.DRAFT or viewer_for(request).collection_is_restricted(
        document.collection.path
    )

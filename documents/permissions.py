"""Who may see which governance documents: every rule of the library in one place.

Documents in a collection with a view restriction (or under one) are for approved members
only: a "login" restriction needs an approved member, not just any signed-in account; a
"groups" restriction needs one of its groups; a password restriction needs the password to
have been given in this session. Drafts are for the people who edit documents.

When someone may not see a document the answer never tells them it exists: signed-in people
get a 404, anonymous visitors are asked to sign in whether or not the document exists.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from wagtail.models import BaseViewRestriction, CollectionViewRestriction
from wagtail.permissions import policy_registry

from accounts.permissions import can_see_members_content

from .models import DocumentStatus, GovernanceDocument

_CACHE_ATTRIBUTE = "_documents_visibility"


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
        if not self.hidden_paths:
            return documents
        hidden = Q()
        for path in self.hidden_paths:
            hidden |= Q(collection__path__startswith=path)
        return documents.exclude(hidden)

    @property
    def key(self) -> str:
        return ",".join(self.hidden_paths) or "-"


def _passes(user, session, restriction_id: int, restriction_type: str, in_group: bool) -> bool:
    if user.is_authenticated and user.is_superuser and user.is_active:
        return True
    if restriction_type == BaseViewRestriction.LOGIN:
        return can_see_members_content(user)
    if restriction_type == BaseViewRestriction.GROUPS:
        return bool(in_group and user.is_active and can_see_members_content(user))
    if restriction_type == BaseViewRestriction.PASSWORD:
        passed = session.get(CollectionViewRestriction.passed_view_restrictions_session_key, [])
        return restriction_id in passed
    return False


def visibility_for(request) -> Visibility:
    """Work out, in one query, which restricted collections this request may not see."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    user = request.user
    restrictions = CollectionViewRestriction.objects.all()
    if user.is_authenticated:
        membership = get_user_model().groups.through.objects.filter(
            user_id=user.pk, group__collectionviewrestriction=OuterRef("pk")
        )
        restrictions = restrictions.annotate(in_group=Exists(membership))
        rows = restrictions.values_list("pk", "restriction_type", "collection__path", "in_group")
    else:
        rows = [
            (*row, False) for row in restrictions.values_list("pk", "restriction_type", "collection__path")
        ]
    session = getattr(request, "session", {})
    hidden, restricted = set(), set()
    for pk, restriction_type, path, in_group in rows:
        restricted.add(path)
        if not _passes(user, session, pk, restriction_type, in_group):
            hidden.add(path)
    visibility = Visibility(hidden_paths=tuple(sorted(hidden)), restricted_paths=tuple(sorted(restricted)))
    setattr(request, _CACHE_ATTRIBUTE, visibility)
    return visibility


def can_edit_documents(user) -> bool:
    """Contributors and editors: anyone who may add or change documents in some collection."""
    if not (user.is_authenticated and user.is_active):
        return False
    cached = getattr(user, "_documents_can_edit", None)
    if cached is None:
        policy = policy_registry.get_by_type(GovernanceDocument)
        cached = policy.user_has_any_permission(user, ["add", "change"])
        user._documents_can_edit = cached
    return cached


def can_view_document(request, document: GovernanceDocument) -> bool:
    if visibility_for(request).hides(document.collection.path):
        return False
    if document.status == DocumentStatus.DRAFT:
        return can_edit_documents(request.user)
    return True


def can_download_document(request, document: GovernanceDocument) -> bool:
    return can_view_document(request, document)


def is_restricted(request, document: GovernanceDocument) -> bool:
    """Whether the file is for some viewers only, so that no shared cache may keep it."""
    return document.status == DocumentStatus.DRAFT or visibility_for(request).is_restricted(
        document.collection.path
    )

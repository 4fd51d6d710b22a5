"""The viewer: who is asking, built once per request, and the one rule of who may see what.

Every app asks the viewer (``request.viewer``, or ``viewer_for(request)`` where the middleware
has not run) what the person may see. Nothing else reads groups, restrictions or approval, and
nothing else is kept on the request or the user.

**Facts.** The user, whether they are signed in, a superuser, approved (``approval_status``
only, and active), their organisation, their group ids and whether any permission is granted
to them directly (one query for both), the page and collection restrictions they passed in
this session, whether they may edit (the Wagtail admin; documents), and, from those, the page
and collection paths hidden from them.

**Site-wide facts.** The page and collection view restrictions (path, type, groups) and which
groups open the admin or may edit documents are the same for every viewer: they are kept in
the shared cache under the content version, so a warm viewer costs at most two queries (the
session's user, and their groups plus the direct-permission marker).

**The rule** (``passes``), one per restriction type, used for pages, collections (documents),
the chrome, the search and the caches alike:

- PASSWORD: passed when its password was given in this session (as Wagtail: even a
  superuser must give it);
- LOGIN: approved, active members only (and superusers);
- GROUPS: approved, active members in one of its groups (and superusers).

It equals Wagtail's ``accept_request`` for anonymous visitors, approved members and
superusers, and is stricter for signed-in people who are not approved.

**Audience.** ``audience_key`` is derived from exactly the facts that decide a shareable page:
approval, groups, restrictions passed and language. It is None (never share) for anonymous
visitors (their cache is keyed apart), superusers, anyone who may edit (user bar, drafts) and
anyone with a permission granted directly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.db.models import IntegerField, Q, QuerySet, Value
from wagtail.models import BaseViewRestriction, CollectionViewRestriction, Page, PageViewRestriction

from .version import VERSION_KEY, bump_version, current_version, memo
from .visibility import Visibility

APPROVED = "approved"  # accounts.models.ApprovalStatus.APPROVED; serving imports no app
# Marks, among a person's group ids as read from the database, a permission granted directly.
DIRECT_PERMISSIONS = -1
SITE_FACTS_TIMEOUT = 60 * 60
GROUPS_TIMEOUT = 60 * 60

PASSWORD = BaseViewRestriction.PASSWORD
LOGIN = BaseViewRestriction.LOGIN
GROUPS = BaseViewRestriction.GROUPS


@dataclass(frozen=True)
class Restriction:
    id: int
    type: str
    path: str
    group_ids: frozenset[int]


@dataclass(frozen=True)
class SiteFacts:
    """What is the same for every viewer, until the content version changes."""

    page_restrictions: tuple[Restriction, ...]
    collection_restrictions: tuple[Restriction, ...]
    admin_groups: frozenset[int]  # groups whose permissions open the Wagtail admin
    document_editor_groups: frozenset[int]  # groups that may add or change documents somewhere
    page_editor_groups: frozenset[int] = frozenset()  # groups that may add or change pages somewhere
    page_publisher_groups: frozenset[int] = frozenset()  # groups that may publish pages somewhere
    alias_paths: frozenset[str] = frozenset()  # tree paths of the alias pages (usually none)


def _restrictions(model) -> tuple[Restriction, ...]:
    """One query: a row per restriction and group (LEFT JOIN), folded in memory."""
    tree = "page" if model is PageViewRestriction else "collection"
    rows = model.objects.order_by("pk").values_list("pk", "restriction_type", f"{tree}__path", "groups")
    found: dict[int, tuple[str, str, set]] = {}
    for pk, kind, path, group_id in rows:
        entry = found.setdefault(pk, (kind, path, set()))
        if group_id is not None:
            entry[2].add(group_id)
    return tuple(Restriction(pk, kind, path, frozenset(ids)) for pk, (kind, path, ids) in found.items())


def _document_edit_permissions() -> Q:
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(get_document_model())
    auth_model = getattr(policy, "auth_model", None) or get_document_model()
    codenames = [get_permission_codename(action, auth_model._meta) for action in ("add", "change")]
    return Q(
        permission__codename__in=codenames,
        permission__content_type__app_label=auth_model._meta.app_label,
        permission__content_type__model=auth_model._meta.model_name,
    )


def _grants() -> tuple[frozenset[int], ...]:
    """One query: the groups that open the admin (kind 0), those that may add or change
    documents in some collection (kind 1), pages somewhere (kind 2), and publish pages
    somewhere (kind 3)."""
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    admin = (
        Group.permissions.through.objects.filter(
            permission__codename="access_admin", permission__content_type__app_label="wagtailadmin"
        )
        .annotate(kind=Value(0, output_field=IntegerField()))
        .values_list("group_id", "kind")
    )
    documents = (
        GroupCollectionPermission.objects.filter(_document_edit_permissions())
        .annotate(kind=Value(1, output_field=IntegerField()))
        .values_list("group_id", "kind")
    )
    pages = (
        GroupPagePermission.objects.filter(
            permission__codename__in=["add_page", "change_page"],
            permission__content_type__app_label="wagtailcore",
        )
        .annotate(kind=Value(2, output_field=IntegerField()))
        .values_list("group_id", "kind")
    )
    publishing = (
        GroupPagePermission.objects.filter(
            permission__codename="publish_page", permission__content_type__app_label="wagtailcore"
        )
        .annotate(kind=Value(3, output_field=IntegerField()))
        .values_list("group_id", "kind")
    )
    rows = list(admin.union(documents, pages, publishing))
    return tuple(frozenset(group for group, kind_ in rows if kind_ == kind) for kind in range(4))


def build_site_facts() -> SiteFacts:
    admin_groups, document_editor_groups, page_editor_groups, page_publisher_groups = _grants()
    return SiteFacts(
        page_restrictions=_restrictions(PageViewRestriction),
        collection_restrictions=_restrictions(CollectionViewRestriction),
        admin_groups=admin_groups,
        document_editor_groups=document_editor_groups,
        page_editor_groups=page_editor_groups,
        page_publisher_groups=page_publisher_groups,
        alias_paths=frozenset(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)),
    )


# Bumped after the commit of any change of anybody's groups or direct permissions: it retires
# every kept set of groups at once (each person's next request reads theirs again, one query).
# Such changes are rare (approvals, an editor's changes), and one number read with the content
# version cannot miss a change the way deleting one person's entries can (a request that read
# the old rows before the commit would store them again after the deletion).
MEMBERSHIP_KEY = "serving:membership-version"


def _groups_key(session_key: str | None, user_id) -> str:
    # Kept per session where there is one, so the session store can read it in the session's
    # own round trip (``serving.sessions``); the entry names the person it was read for.
    if session_key:
        return f"serving:groups:session:{session_key}"
    return f"serving:groups:user:{user_id}"


def kept_with_session(session_key: str) -> list[str]:
    """What the session store reads in the same round trip as the session: the content
    version, the membership version and the groups kept for this session."""
    return [VERSION_KEY, MEMBERSHIP_KEY, _groups_key(session_key, None)]


def _set_new_membership_version() -> None:
    cache.set(MEMBERSHIP_KEY, time.time_ns(), None)


def forget_groups() -> None:
    """Retire every person's kept groups, now and again once the transaction commits (so
    nothing read meanwhile, before the change was visible, stays kept: whatever was read under
    the version before the commit's is retired by it, whenever it was written).

    A rollback retires nothing: a transaction that changed somebody's groups and then read that
    same person's through their own viewer, before rolling back, would leave the uncommitted
    groups kept. Nothing here does that: groups are changed by services acting on other people
    (approval, the admin), and no viewer is asked inside them."""
    _set_new_membership_version()
    transaction.on_commit(_set_new_membership_version)


def membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """``m2m_changed`` of a person's groups or direct permissions (connected in ``apps``)."""
    if not action.startswith("post_"):
        return
    if not reverse or (pk_set is not None and sender is get_user_model().groups.through):
        forget_groups()  # a person's own, or group.user_set.add(...) of the people ``pk_set``
    else:
        bump_version()  # a group's or a permission's people cleared, or a permission's changed


def restrictions_on_page(page) -> QuerySet:
    """The view restrictions on ``page`` or an ancestor. ``serving.pages.ServedPage`` hands this
    to Wagtail's check in place of ``Page.get_view_restrictions`` (two queries on every page).

    Which restrictions apply is known from the site-wide facts (kept under the content version,
    which every restriction change retires after its commit, as it retires the cached pages):
    on a page with no alias on its way, those whose page is the page or an ancestor (each
    ancestor's path is a prefix of the page's own). Only then are their rows read, so a page
    without restrictions costs no query, and a restricted one the query Wagtail's check needs
    (the password form, the groups).

    Where the page or an ancestor is an alias, the rows are chosen in the database, in one
    query (two for an alias itself), stricter than Wagtail's: an alias's source counts *with its
    source's ancestors'* restrictions (Wagtail counts the source page's own only, so an alias of
    a page inside a members-only section, placed in a public one, would be public).
    """
    paths = _path_and_ancestors(page.path, page.steplen)
    facts = site_facts(current_version())
    if not page.alias_of_id and facts.alias_paths.isdisjoint(paths):
        ids = [r.id for r in facts.page_restrictions if page.path.startswith(r.path)]
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids).order_by("pk")
    if page.alias_of_id:
        for source_path in Page.objects.filter(pk=page.alias_of_id).values_list("path", flat=True):
            paths += _path_and_ancestors(source_path, page.steplen)
    own = Q(page__path__in=paths, page__alias_of__isnull=True)
    via_alias = Q(page__aliases__path__in=paths)
    return PageViewRestriction.objects.filter(own | via_alias).distinct().order_by("pk")


def _path_and_ancestors(path: str, step: int) -> list[str]:
    return [path[:end] for end in range(step, len(path) + 1, step)]


def site_facts(version: int) -> SiteFacts:
    return memo.get_or_set(f"serving:site-facts:{version}", build_site_facts, SITE_FACTS_TIMEOUT)


def passes(
    viewer: Viewer, restriction_type: str, restriction_id: int, group_ids, *, kind: str = "page"
) -> bool:
    """The one rule: whether this viewer passes a page (``kind="page"``) or collection
    (``kind="collection"``) view restriction."""
    if restriction_type == PASSWORD:
        passed = viewer.passed_page_restrictions if kind == "page" else viewer.passed_collection_restrictions
        return restriction_id in passed
    if viewer.is_superuser:
        return True
    if restriction_type == LOGIN:
        return viewer.is_approved
    if restriction_type == GROUPS:
        return viewer.is_approved and not viewer.group_ids.isdisjoint(group_ids)
    return restriction_type == BaseViewRestriction.NONE


class Viewer:
    """Who is asking, for one request. Every fact is computed on first use and kept."""

    def __init__(self, request):
        self.request = request

    # Who --------------------------------------------------------------------------------

    @cached_property
    def user(self):
        return self.request.user

    @cached_property
    def is_authenticated(self) -> bool:
        return bool(self.user.is_authenticated)

    @cached_property
    def is_active(self) -> bool:
        return self.is_authenticated and bool(self.user.is_active)

    @cached_property
    def is_superuser(self) -> bool:
        return self.is_active and bool(self.user.is_superuser)

    @cached_property
    def is_approved(self) -> bool:
        return self.is_active and getattr(self.user, "approval_status", None) == APPROVED

    @cached_property
    def approval_status(self) -> str | None:
        return getattr(self.user, "approval_status", None) if self.is_authenticated else None

    @cached_property
    def organisation_id(self) -> int | None:
        return getattr(self.user, "organisation_id", None) if self.is_authenticated else None

    @cached_property
    def _group_rows(self) -> frozenset[int]:
        """The person's group ids, plus ``DIRECT_PERMISSIONS`` if any permission is granted to
        them directly: one query, then kept in the shared cache for this session (or person)
        until anybody's groups or direct permissions change (``membership_changed``) or the
        content version does (a group deleted, say). The entry carries both versions it was read
        under and is read in the same round trip as the session (``serving.sessions``): a
        signed-in person's cached page costs two round trips, that one and the page."""
        if not self.is_authenticated:
            return frozenset()
        user_id = self.user.pk
        session = getattr(self.request, "session", None)
        key = _groups_key(getattr(session, "session_key", None), user_id)
        version, membership, kept = self._read_versions_with(key, getattr(session, "kept_alongside", None))
        if kept is not None and kept[:3] == (version, membership, user_id):
            return kept[3]
        model = get_user_model()
        groups = model.groups.through.objects.filter(user_id=user_id).values_list("group_id", flat=True)
        direct = (
            model.user_permissions.through.objects.filter(user_id=user_id)
            .annotate(marker=Value(DIRECT_PERMISSIONS, output_field=IntegerField()))
            .values_list("marker", flat=True)
        )
        rows = frozenset(groups.union(direct))
        cache.set(key, (version, membership, user_id, rows), GROUPS_TIMEOUT)
        return rows

    def _read_versions_with(self, key: str, prefetched: dict | None):
        """The content version, the membership version and the entry under ``key``: as the
        session store read them with the session if it did, else in one round trip."""
        if prefetched is None or key not in prefetched:
            _version, prefetched = self.read_content_version_with(MEMBERSHIP_KEY, key)
        elif "content_version" not in self.__dict__ and prefetched.get(VERSION_KEY) is not None:
            self.__dict__["content_version"] = prefetched[VERSION_KEY]
        membership = prefetched.get(MEMBERSHIP_KEY)
        if membership is None:  # never set, or the cache is down: made now, nothing kept found
            return self.content_version, current_version(MEMBERSHIP_KEY), None
        return self.content_version, membership, prefetched.get(key)

    @cached_property
    def group_ids(self) -> frozenset[int]:
        return frozenset(i for i in self._group_rows if i != DIRECT_PERMISSIONS)

    @cached_property
    def has_direct_permissions(self) -> bool:
        return DIRECT_PERMISSIONS in self._group_rows

    @cached_property
    def passed_page_restrictions(self) -> frozenset[int]:
        return self._passed(PageViewRestriction)

    @cached_property
    def passed_collection_restrictions(self) -> frozenset[int]:
        return self._passed(CollectionViewRestriction)

    def _passed(self, model) -> frozenset[int]:
        session = getattr(self.request, "session", None)
        if session is None:
            return frozenset()
        return frozenset(session.get(model.passed_view_restrictions_session_key, []))

    @cached_property
    def language(self) -> str:
        return getattr(self.request, "LANGUAGE_CODE", "") or ""

    # Site-wide facts ----------------------------------------------------------------------

    @cached_property
    def content_version(self) -> int:
        """Read from the shared cache once per request: every cache keys on it."""
        return current_version()

    def read_content_version_with(self, *keys: str) -> tuple[int, dict]:
        """The values under ``keys`` in the same round trip to the shared cache as the content
        version (which this request then uses): for caches whose entries carry the versions
        they were made under (``serving.page_cache``, the kept groups). Returns ``(version,
        {key: value})``, found keys only."""
        if "content_version" in self.__dict__:
            found = {keys[0]: cache.get(keys[0])} if len(keys) == 1 else cache.get_many(list(keys))
            return self.content_version, found
        found = cache.get_many([VERSION_KEY, *keys])
        version = found.get(VERSION_KEY)
        if version is None:  # never set, or the cache is down: the usual way, nothing found
            return self.content_version, {}
        self.__dict__["content_version"] = version
        return version, found

    @cached_property
    def site_facts(self) -> SiteFacts:
        return site_facts(self.content_version)

    # May edit -----------------------------------------------------------------------------

    def _granted(self, groups: frozenset[int], direct_permission: str | None) -> bool:
        """Superusers; active people in one of ``groups``; or, for those with permissions
        granted directly (never shared), Django's own check of ``direct_permission``."""
        if self.is_superuser:
            return True
        if not self.is_active:
            return False
        if not self.group_ids.isdisjoint(groups):
            return True
        return bool(
            direct_permission and self.has_direct_permissions and self.user.has_perm(direct_permission)
        )

    @cached_property
    def can_edit(self) -> bool:
        """Whether the Wagtail admin opens to them (the header's "Editing" link, drafts)."""
        return self._granted(self.site_facts.admin_groups, "wagtailadmin.access_admin")

    @cached_property
    def can_edit_pages(self) -> bool:
        """Whether they may add or change pages somewhere (the "Edit this page" link)."""
        return self.can_edit and self._granted(self.site_facts.page_editor_groups, "wagtailcore.change_page")

    @cached_property
    def can_publish_pages(self) -> bool:
        """National editors: whether they may publish pages somewhere (reviews due are theirs)."""
        return self.can_edit and self._granted(self.site_facts.page_publisher_groups, None)

    @cached_property
    def can_edit_documents(self) -> bool:
        """Contributors and editors: anyone who may add or change documents in some collection."""
        return self._granted(self.site_facts.document_editor_groups, None)

    # What is hidden -----------------------------------------------------------------------

    def _hidden(self, restrictions, kind: str) -> tuple[str, ...]:
        return tuple(
            sorted({r.path for r in restrictions if not passes(self, r.type, r.id, r.group_ids, kind=kind)})
        )

    @cached_property
    def hidden_page_paths(self) -> tuple[str, ...]:
        """Tree paths of the restricted pages (and so their subtrees) this viewer may not see."""
        return self._hidden(self.site_facts.page_restrictions, "page")

    @cached_property
    def hidden_collection_paths(self) -> tuple[str, ...]:
        return self._hidden(self.site_facts.collection_restrictions, "collection")

    @cached_property
    def restricted_collection_paths(self) -> tuple[str, ...]:
        return tuple(sorted({r.path for r in self.site_facts.collection_restrictions}))

    @cached_property
    def visibility(self) -> Visibility:
        """What they may see, and nothing else about them: the key of shared listings."""
        return Visibility(
            hidden_page_paths=self.hidden_page_paths,
            hidden_collection_paths=self.hidden_collection_paths,
            restricted_collection_paths=self.restricted_collection_paths,
        )

    def may_see_page(self, page_path: str) -> bool:
        return self.visibility.may_see_page(page_path)

    def may_see_collection(self, collection_path: str) -> bool:
        return self.visibility.may_see_collection(collection_path)

    def collection_is_restricted(self, collection_path: str) -> bool:
        return self.visibility.collection_is_restricted(collection_path)

    def visible_pages(self, pages: QuerySet) -> QuerySet:
        return self.visibility.visible_pages(pages)

    def visible_documents(self, documents: QuerySet) -> QuerySet:
        return self.visibility.visible_documents(documents)

    def refusal_for_page(self, page_path: str) -> Restriction | None:
        """The first LOGIN or GROUPS restriction on or above the page that this viewer fails."""
        return self._refusal(self.site_facts.page_restrictions, page_path, "page")

    def refusal_for_collection(self, collection_path: str) -> Restriction | None:
        return self._refusal(self.site_facts.collection_restrictions, collection_path, "collection")

    def _refusal(self, restrictions, path, kind) -> Restriction | None:
        for restriction in restrictions:
            if path.startswith(restriction.path) and not passes(
                self, restriction.type, restriction.id, restriction.group_ids, kind=kind
            ):
                return restriction
        return None

    @property
    def awaits_approval(self) -> bool:
        """Signed in but not (yet, or not) approved: refused members-only content with an
        explanation rather than a sign-in loop."""
        return self.is_authenticated and not self.is_approved and not self.is_superuser

    # Sharing ------------------------------------------------------------------------------

    @cached_property
    def may_share_pages(self) -> bool:
        """Whether what this signed-in person sees may be shared with their audience."""
        return (
            self.is_authenticated
            and not self.is_superuser
            and not self.has_direct_permissions
            and not self.can_edit
            and not self.can_edit_documents
        )

    @cached_property
    def audience_key(self) -> str | None:
        if not self.may_share_pages:
            return None
        return "|".join(
            [
                "approved" if self.is_approved else "not-approved",
                ",".join(map(str, sorted(self.group_ids))),
                ",".join(map(str, sorted(self.passed_page_restrictions))),
                ",".join(map(str, sorted(self.passed_collection_restrictions))),
                self.language,
            ]
        )

    @cached_property
    def chrome_key(self) -> str:
        """What decides the chrome: the pages hidden from them and whether they may edit."""
        return f"{int(self.can_edit)}{int(self.can_edit_pages)}:{'|'.join(self.hidden_page_paths)}"


def viewer_for(request) -> Viewer:
    """The request's viewer, built on first use (``ViewerMiddleware`` makes it at the start)."""
    viewer = getattr(request, "viewer", None)
    if viewer is None:
        viewer = request.viewer = Viewer(request)
    return viewer


class ViewerMiddleware:
    """First in the chain: gives the request its viewer. Nothing is computed until asked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer = Viewer(request)
        return self.get_response(request)

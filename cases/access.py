"""Who may see and do what with cases: the one rule, asked by every case view.

A case is visible to its owning organisation and to the organisations it is shared with,
and to nobody else (superusers included: case data is operational, not editorial). Only
active, approved people in the Case workers role use cases at all; the viewer
(``serving.viewer.viewer_for``) says who is asking.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from accounts.roles import CASE_WORKERS

from .models import Case, CaseShare, ShareLevel
from .roles import CASE_SUPERVISORS


@dataclass(frozen=True)
class CaseRoles:
    worker: bool
    supervisor: bool


ROLE_GROUPS_KEY = "cases:role-groups"
ROLE_GROUPS_TIMEOUT = 5 * 60


def _role_group_ids() -> dict[str, int]:
    """The ids of the case roles' groups, kept a few minutes in the shared cache (group ids
    are never reused, so a stale entry can only refuse, never grant)."""
    ids = cache.get(ROLE_GROUPS_KEY)
    if ids is None:
        ids = dict(Group.objects.filter(name__in=(CASE_WORKERS, CASE_SUPERVISORS)).values_list("name", "pk"))
        cache.set(ROLE_GROUPS_KEY, ids, ROLE_GROUPS_TIMEOUT)
    return ids


def case_roles(viewer) -> CaseRoles:
    """Which case roles the viewer has: the viewer's group ids against the roles' groups."""
    if not (viewer.is_authenticated and viewer.is_active and viewer.is_approved and viewer.organisation_id):
        return CaseRoles(False, False)
    ids = _role_group_ids()
    worker = ids.get(CASE_WORKERS) in viewer.group_ids
    return CaseRoles(worker=worker, supervisor=worker and ids.get(CASE_SUPERVISORS) in viewer.group_ids)


def visible_cases(viewer, *, scheme_ids) -> QuerySet[Case]:
    """Cases owned by the viewer's organisation, or shared with it in a scheme whose current
    MoU it signed (``scheme_ids``: an organisation dropped from a scheme's MoU stops seeing
    that scheme's cases shared with it)."""
    organisation_id = viewer.organisation_id
    if organisation_id is None:
        return Case.objects.none()
    shared = CaseShare.objects.filter(organisation_id=organisation_id).values("case_id")
    return Case.objects.filter(Q(owner_id=organisation_id) | Q(pk__in=shared, scheme_id__in=list(scheme_ids)))


@dataclass(frozen=True)
class CaseAccess:
    case: Case
    is_owner: bool
    may_contribute: bool
    share_level: str | None


def case_access(viewer, reference: str, *, scheme_ids) -> CaseAccess:
    """The case and what the viewer may do with it, in one query by its unique reference
    (the share level of the viewer's organisation as a subquery); 404 for everyone else,
    including an organisation the case is shared with that no longer signs the current MoU
    of the case's scheme (``scheme_ids``, as in ``visible_cases``)."""
    organisation_id = viewer.organisation_id
    level = CaseShare.objects.filter(case_id=OuterRef("pk"), organisation_id=organisation_id).values("level")[
        :1
    ]
    case = (
        Case.objects.select_related("owner", "lead_officer", "workstream", "scheme")
        .annotate(share_level=Subquery(level))
        .filter(reference=reference)
        .first()
    )
    is_owner = case is not None and organisation_id is not None and case.owner_id == organisation_id
    if case is None or not (is_owner or (case.share_level and case.scheme_id in scheme_ids)):
        raise Http404("No such case.")
    return CaseAccess(
        case=case,
        is_owner=is_owner,
        may_contribute=is_owner or case.share_level == ShareLevel.CONTRIBUTE,
        share_level=case.share_level,
    )


def may_read_audit(roles: CaseRoles, access: CaseAccess) -> bool:
    """Supervisors of the owning organisation read the log of its cases."""
    return roles.supervisor and access.is_owner

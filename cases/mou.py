"""The MoU gate: after every sign-in, before any case data, a case worker accepts the current
agreed MoU of each scheme whose case sharing their organisation has joined.

A scheme's current MoU is its newest agreed governance document of kind MoU (the document
library's versions: agreeing a new version supersedes the old, so everyone accepts again at
their next request). An organisation takes part in a scheme's case sharing only when that MoU
lists it as a signatory. An acceptance counts for the session it was given in: a new sign-in
clears what the session remembers (``cases.signals``), so it asks again. The records of
acceptance (``MoUAcceptance``: user, organisation, version, time, session key) are kept for the
supervisors and auditors; the session says what this sign-in accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, OuterRef

from documents.models import DocumentKind, DocumentStatus, GovernanceDocument


@dataclass(frozen=True)
class SchemeMoU:
    document_id: int
    scheme_id: int
    signed: bool


def _current_mous(organisation_id) -> list[SchemeMoU]:
    """One query: every scheme's current agreed MoU, and whether the organisation signed it."""
    signed = GovernanceDocument.signatories.through.objects.filter(
        governancedocument_id=OuterRef("pk"), organisation_id=organisation_id
    )
    rows = (
        GovernanceDocument.objects.filter(
            kind=DocumentKind.MOU, status=DocumentStatus.AGREED, scheme__isnull=False
        )
        .annotate(signed=Exists(signed))
        .order_by("scheme_id", "-effective_date", "-pk")
        .values_list("pk", "scheme_id", "signed")
    )
    current: dict[int, SchemeMoU] = {}
    for pk, scheme_id, is_signed in rows:
        current.setdefault(scheme_id, SchemeMoU(pk, scheme_id, is_signed))
    return [mou for mou in current.values() if mou.signed]


def organisation_mous(organisation_id) -> list[SchemeMoU]:
    """The current MoUs an organisation signed: the schemes whose case sharing it has joined."""
    return _current_mous(organisation_id)


CURRENT_TIMEOUT = 60 * 60
# The MoU versions accepted since this sign-in (cleared at every sign-in: cases.signals).
ACCEPTED_SESSION_KEY = "cases_mou_accepted"


def current_for(viewer) -> tuple[SchemeMoU, ...]:
    """The current MoUs the viewer's organisation signed, kept in the shared cache under the
    content version: a document saved (a new version agreed) or its signatories changed
    retires it (``documents`` and ``cases`` register them), so the next request sees it."""
    key = f"cases:mou:{viewer.content_version}:{viewer.organisation_id}"
    rows = cache.get(key)
    if rows is None:
        rows = tuple(organisation_mous(viewer.organisation_id))
        cache.set(key, rows, CURRENT_TIMEOUT)
    return rows


def pending(session, mous) -> list[SchemeMoU]:
    """Those of ``mous`` not accepted since this sign-in."""
    accepted = set(session.get(ACCEPTED_SESSION_KEY, ()))
    return [mou for mou in mous if mou.document_id not in accepted]


def remember_accepted(session, document_ids) -> None:
    session[ACCEPTED_SESSION_KEY] = sorted(set(session.get(ACCEPTED_SESSION_KEY, ())) | set(document_ids))


def schemes_joined(organisation_id) -> list[int]:
    return [mou.scheme_id for mou in organisation_mous(organisation_id)]


def may_join(organisation_id, scheme_id) -> bool:
    return scheme_id in schemes_joined(organisation_id)


# The responsibilities a case worker accepts with the MoU (shown beside its summary).
CONDITIONS = (
    "I will look at and share case information only for the purposes the MoU sets out, and "
    "only as far as my role needs.",
    "I will keep case information secure: not copied, printed or sent outside the case system "
    "except as the MoU allows.",
    "I will record a reason whenever I share a case with another organisation or export what is "
    "held about a person.",
    "I understand that everything I view, change, share, export or download is recorded, and "
    "that supervisors and auditors may read that record.",
    "I will report any loss or misuse of case information to my organisation's data protection "
    "officer at once.",
)


def current_document_ids(scheme_ids) -> list[int]:
    """The current agreed MoU of each of these schemes."""
    rows = (
        GovernanceDocument.objects.filter(
            kind=DocumentKind.MOU, status=DocumentStatus.AGREED, scheme_id__in=list(scheme_ids)
        )
        .order_by("scheme_id", "-effective_date", "-pk")
        .values_list("pk", "scheme_id")
    )
    current: dict[int, int] = {}
    for pk, scheme_id in rows:
        current.setdefault(scheme_id, pk)
    return list(current.values())

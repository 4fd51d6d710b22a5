"""The audit log's one writer. Call it inside the transaction of the action it records: if the
record cannot be written, ``AuditFailure`` is raised, the transaction rolls back and the view
refuses the action (``cases.views.case_view``)."""

from __future__ import annotations

from django.db import DatabaseError

from .models import AuditEvent


class AuditFailure(Exception):
    pass


def _write(**fields) -> AuditEvent:
    return AuditEvent.objects.create(**fields)


def audit(
    viewer,
    action: str,
    *,
    case_reference: str = "",
    obj=None,
    justification: str = "",
    changed_fields: str = "",
    path: str = "",
) -> AuditEvent:
    user = viewer.user if viewer is not None and viewer.is_authenticated else None
    fields = {
        "user": user,
        "organisation_id": viewer.organisation_id if user is not None else None,
        "action": action,
        "case_reference": case_reference[:30],
        "object_type": type(obj).__name__.lower() if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "justification": justification,
        "changed_fields": changed_fields[:300],
        "path": path[:300],
    }
    try:
        return _write(**fields)
    except DatabaseError as error:
        raise AuditFailure(str(error)) from error

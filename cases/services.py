"""What changes case data. Every function runs in one transaction with its audit record: no
record, no change (``cases.audit``)."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .audit import audit
from .models import (
    Action,
    Attachment,
    AuditEvent,
    Case,
    CaseReferenceCounter,
    CaseShare,
    CaseStatus,
    MoUAcceptance,
    Note,
    ShareWithdrawal,
    Subject,
)
from .notifications import notify_change


def reference_prefix(workstream) -> str:
    """Initials of the workstream's name: anti-social behaviour gives ASB."""
    words = [word for word in re.split(r"[\s\-/]+", workstream.name) if word and word[0].isalnum()]
    return ("".join(word[0] for word in words).upper() or "CASE")[:6]


def next_reference(prefix: str, year: int) -> str:
    """The next free reference, safe under concurrency: the counter row is locked by the
    UPDATE until the transaction commits, so two requests never get the same number."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                CaseReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        except IntegrityError:
            pass  # another request created it meanwhile
        counters = CaseReferenceCounter.objects.filter(prefix=prefix, year=year)
        counters.update(last=F("last") + 1)
        number = counters.values_list("last", flat=True).get()
    return f"{prefix}-{year}-{number:05d}"


@transaction.atomic
def case_create(*, viewer, workstream, title, summary, risk_level, scheme, path="") -> Case:
    """A new case owned by the viewer's organisation, led by the viewer."""
    case = Case.objects.create(
        reference=next_reference(reference_prefix(workstream), timezone.localdate().year),
        workstream=workstream,
        title=title,
        summary=summary,
        risk_level=risk_level,
        scheme=scheme,
        owner_id=viewer.organisation_id,
        lead_officer=viewer.user,
    )
    audit(viewer, "create", case_reference=case.reference, obj=case, path=path)
    return case


def _touch(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())


CASE_EDITABLE = ("title", "summary", "workstream", "risk_level", "status", "lead_officer")
SUBJECT_EDITABLE = ("role", "full_name", "date_of_birth", "address")


def _apply(obj, editable, changes) -> list[str]:
    """Set the changed fields on ``obj``; their names, in ``editable``'s order. Anything else
    in ``changes`` (an owner, an author, a reference) is not a field that may change."""
    changed = []
    for name in editable:
        if name not in changes:
            continue
        value = changes[name]
        field = obj._meta.get_field(name)
        current = getattr(obj, field.attname)
        new = value.pk if field.is_relation and value is not None else value
        if current != new:
            setattr(obj, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def case_edit(*, viewer, case: Case, path="", **changes) -> list[str]:
    """Change the case's own fields (``CASE_EDITABLE``); closing sets the retention date,
    reopening clears it. One audit record names the fields changed, never their values.
    Returns those names (none: nothing written)."""
    changed = _apply(case, CASE_EDITABLE, changes)
    if not changed:
        return []
    if "status" in changed:
        if case.status == CaseStatus.CLOSED:
            case.closed_at = timezone.now()
            case.retention_date = timezone.localdate() + datetime.timedelta(
                days=settings.CASES_RETENTION_DAYS
            )
        else:
            case.closed_at = None
            case.retention_date = None
    case.save(update_fields=[*changed, "closed_at", "retention_date", "updated_at"])
    audit(
        viewer,
        "update",
        case_reference=case.reference,
        obj=case,
        changed_fields=", ".join(changed),
        path=path,
    )
    notify_change(case, changed_by_organisation_id=viewer.organisation_id)
    if "lead_officer" in changed and case.lead_officer_id != viewer.user.pk:
        notify_change(case, user_ids=[case.lead_officer_id], assigned=True)
    return changed


@transaction.atomic
def subject_edit(*, viewer, subject: Subject, case: Case, path="", **changes) -> list[str]:
    """Correct a person's details: one audit record naming the fields changed."""
    changed = _apply(subject, SUBJECT_EDITABLE, changes)
    if not changed:
        return []
    subject.save(update_fields=changed)
    _touch(case)
    audit(
        viewer,
        "update subject",
        case_reference=case.reference,
        obj=subject,
        changed_fields=", ".join(changed),
        path=path,
    )
    notify_change(case, changed_by_organisation_id=viewer.organisation_id)
    return changed


@transaction.atomic
def note_add(*, viewer, case: Case, body: str, corrects: Note | None = None, path="") -> Note:
    note = Note.objects.create(
        case=case, body=body, author=viewer.user, organisation_id=viewer.organisation_id, corrects=corrects
    )
    _touch(case)
    audit(viewer, "add note", case_reference=case.reference, obj=note, path=path)
    notify_change(case, changed_by_organisation_id=viewer.organisation_id)
    return note


@transaction.atomic
def subject_add(*, viewer, case: Case, path="", **fields) -> Subject:
    subject = Subject.objects.create(case=case, added_by=viewer.user, **fields)
    _touch(case)
    audit(viewer, "add subject", case_reference=case.reference, obj=subject, path=path)
    return subject


@transaction.atomic
def action_add(*, viewer, case: Case, path="", **fields) -> Action:
    action = Action.objects.create(case=case, created_by=viewer.user, **fields)
    _touch(case)
    audit(viewer, "add action", case_reference=case.reference, obj=action, path=path)
    notify_change(case, changed_by_organisation_id=viewer.organisation_id)
    return action


@transaction.atomic
def action_set_status(*, viewer, action: Action, status: str, path="") -> Action:
    action.status = status
    action.save(update_fields=["status"])
    _touch(action.case)
    audit(viewer, "update action", case_reference=action.case.reference, obj=action, path=path)
    return action


@transaction.atomic
def attachment_add(*, viewer, case: Case, upload, name: str, content_type: str, description="", path=""):
    attachment = Attachment(
        case=case,
        name=name,
        content_type=content_type,
        size=upload.size,
        description=description,
        uploaded_by=viewer.user,
        organisation_id=viewer.organisation_id,
    )
    attachment.file.save(name, upload, save=False)
    # The file is on disk already: remove it again if the transaction does not commit.
    stored = attachment.file.name
    storage = attachment.file.storage
    try:
        attachment.save()
        _touch(case)
        audit(viewer, "add attachment", case_reference=case.reference, obj=attachment, path=path)
    except Exception:
        storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def case_share(*, viewer, case: Case, organisation, level: str, reason: str, path="") -> CaseShare:
    share, created = CaseShare.objects.update_or_create(
        case=case,
        organisation=organisation,
        defaults={"level": level, "reason": reason, "shared_by": viewer.user},
    )
    audit(viewer, "share", case_reference=case.reference, obj=share, justification=reason, path=path)
    notify_change(case, organisation_ids=[organisation.pk], shared=created)
    return share


@transaction.atomic
def share_withdraw(*, viewer, case: Case, share: CaseShare, reason: str, path="") -> ShareWithdrawal:
    """Withdraw a share: the row goes (the organisation's next request gets 404), a
    ``ShareWithdrawal`` keeps what it was and why it was withdrawn, audited with the reason."""
    locked = CaseShare.objects.select_for_update().filter(pk=share.pk, case=case).first()
    if locked is None:
        raise CaseShare.DoesNotExist("The share was withdrawn already.")
    withdrawal = ShareWithdrawal.objects.create(
        case=case,
        organisation_id=locked.organisation_id,
        level=locked.level,
        shared_reason=locked.reason,
        shared_by_id=locked.shared_by_id,
        shared_at=locked.shared_at,
        reason=reason,
        withdrawn_by=viewer.user,
    )
    locked.delete()
    _touch(case)
    audit(
        viewer,
        "withdraw share",
        case_reference=case.reference,
        obj=withdrawal,
        justification=reason,
        path=path,
    )
    return withdrawal


@transaction.atomic
def mou_accept(*, viewer, documents, session_key: str, path="") -> list[MoUAcceptance]:
    accepted = [
        MoUAcceptance.objects.create(
            user=viewer.user,
            organisation_id=viewer.organisation_id,
            document=document,
            session_key=session_key,
        )
        for document in documents
    ]
    for acceptance in accepted:
        audit(viewer, "accept MoU", obj=acceptance.document, path=path)
    return accepted


def cases_delete_expired(*, today: datetime.date | None = None) -> list[str]:
    """Delete closed cases past their retention date, with their rows and files, leaving one
    audit record each that says a case of that reference was deleted."""
    today = today or timezone.localdate()
    deleted = []
    expired = Case.objects.filter(status=CaseStatus.CLOSED, retention_date__lt=today).values_list(
        "pk", "reference"
    )
    for pk, reference in expired:
        files = list(Attachment.objects.filter(case_id=pk).values_list("file", flat=True))
        with transaction.atomic():
            AuditEvent.objects.create(
                action="delete (retention)", case_reference=reference, justification="Retention period ended."
            )
            Case.objects.filter(pk=pk).delete()
        storage = Attachment._meta.get_field("file").storage
        for name in files:
            storage.delete(name)
        deleted.append(reference)
    return deleted


def subject_access(viewer, name: str, *, scheme_ids) -> list[dict]:
    """Everything held about people of this name in the cases the viewer's organisation may
    see: the subject records, the notes and actions of their cases."""
    from .access import visible_cases

    subjects = (
        Subject.objects.filter(
            case__in=visible_cases(viewer, scheme_ids=scheme_ids), full_name__iexact=name.strip()
        )
        .select_related("case", "case__owner", "case__workstream")
        .order_by("case__reference", "pk")
    )
    subjects = list(subjects)
    case_ids = {subject.case_id for subject in subjects}
    notes: dict[int, list] = {pk: [] for pk in case_ids}
    for note in Note.objects.filter(case_id__in=case_ids).select_related("author", "organisation"):
        notes[note.case_id].append(note)
    actions: dict[int, list] = {pk: [] for pk in case_ids}
    for action in Action.objects.filter(case_id__in=case_ids).select_related("assigned_organisation"):
        actions[action.case_id].append(action)
    return [
        {
            "subject": subject,
            "case": subject.case,
            "notes": notes[subject.case_id],
            "actions": actions[subject.case_id],
        }
        for subject in subjects
    ]

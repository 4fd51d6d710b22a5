"""Business rules for governance documents: creating versions, agreeing them, reading their text.

Every change that touches more than one row (agreeing a version supersedes the one it
replaces) or has side effects (queueing text extraction) happens here, in plain functions the
admin form, the demo loader and tests all call, never hidden in ``save()``.
"""

import logging
import time
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Collection, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from schemes.models import Organisation, SchemePage, Workstream

from . import conf, personal_data
from .models import (
    CURRENT_STATUSES,
    DocumentKind,
    DocumentStatus,
    DocumentText,
    ExtractionStatus,
    GovernanceDocument,
)
from .uploads import check_upload

logger = logging.getLogger(__name__)


class PersonalDataNotChecked(ValidationError):
    """Raised when a version with personal-data warnings would be published unchecked."""


def document_fill_region(*, document: GovernanceDocument) -> None:
    """A document's region defaults to its scheme's, then its owning organisation's."""
    if document.region:
        return
    if document.scheme_id:
        document.region = document.scheme.region
    elif document.organisation_id:
        document.region = document.organisation.region


def document_link_version(*, document: GovernanceDocument, replaces: GovernanceDocument | None) -> None:
    """Make ``document`` the next version of ``replaces`` (same family), or start a family."""
    if replaces is None:
        document.replaces = None
        return
    if replaces.pk == document.pk:
        raise ValidationError({"replaces": _("A version cannot replace itself.")})
    if document.pk and replaces.family == document.family:
        ancestor = replaces
        while ancestor is not None:
            if ancestor.pk == document.pk:
                raise ValidationError({"replaces": _("A version cannot replace a later version of itself.")})
            ancestor = ancestor.replaces
    taken = GovernanceDocument.objects.filter(replaces=replaces).exclude(pk=document.pk).first()
    if taken is not None:
        raise ValidationError(
            {
                "replaces": _("“%(old)s” has already been replaced by “%(new)s”. Choose the latest version.")
                % {"old": replaces.title, "new": taken.title}
            }
        )
    document.replaces = replaces
    document.family = replaces.family


def _supersede_ancestors(document: GovernanceDocument) -> list[GovernanceDocument]:
    family = {
        doc.pk: doc
        for doc in GovernanceDocument.objects.select_for_update()
        .filter(family=document.family)
        .only("pk", "status", "replaces_id", "title")
    }
    superseded = []
    seen = {document.pk}
    ancestor_id = document.replaces_id
    while ancestor_id and ancestor_id not in seen:
        seen.add(ancestor_id)
        ancestor = family.get(ancestor_id)
        if ancestor is None:
            break
        if ancestor.status in (DocumentStatus.AGREED, DocumentStatus.IN_CONSULTATION, DocumentStatus.DRAFT):
            superseded.append(ancestor)
        ancestor_id = ancestor.replaces_id
    if superseded:
        for ancestor in superseded:
            ancestor.status = DocumentStatus.SUPERSEDED
            ancestor.save(update_fields=["status", "updated_at"])
    return superseded


def document_check_personal_data(*, document: GovernanceDocument, user=None, confirmed: bool = False) -> None:
    """Refuse to publish a version whose personal-data warnings nobody has looked at."""
    record = document.extraction_record
    if not record.personal_data_unchecked:
        return
    if not confirmed:
        count = len(record.personal_data_findings)
        raise PersonalDataNotChecked(
            ngettext(
                "This document may contain personal data (%(count)s match). Check the match, then "
                "confirm it is not personal data or upload a corrected file.",
                "This document may contain personal data (%(count)s matches). Check the matches, then "
                "confirm they are not personal data or upload a corrected file.",
                count,
            )
            % {"count": count},
            code="personal_data",
        )
    record.personal_data_checked_at = timezone.now()
    record.personal_data_checked_by = user if user is not None and user.is_authenticated else None
    record.save(update_fields=["personal_data_checked_at", "personal_data_checked_by"])


def document_check_two_agreed(*, document: GovernanceDocument) -> None:
    """Refuse to agree a version while a later version of the family is agreed: agreeing
    supersedes the versions it replaces, so only a later one would be left agreed beside it."""
    if not document.pk:
        return
    ancestors = set()
    ancestor_id = document.replaces_id
    family = dict(GovernanceDocument.objects.filter(family=document.family).values_list("pk", "replaces_id"))
    while ancestor_id and ancestor_id not in ancestors:
        ancestors.add(ancestor_id)
        ancestor_id = family.get(ancestor_id)
    other = (
        GovernanceDocument.objects.filter(family=document.family, status=DocumentStatus.AGREED)
        .exclude(pk__in={document.pk, *ancestors})
        .first()
    )
    if other is not None:
        label = other.version_label or other.title
        raise ValidationError(
            {
                "status": _(
                    "Version %(label)s is already the agreed version of this document, and two versions "
                    "cannot both be agreed. Upload a new version instead, or withdraw version %(label)s first."
                )
                % {"label": label}
            }
        )


def document_deletion_refusals(documents: Iterable[GovernanceDocument]) -> list[str]:
    """Why deleting ``documents`` together must be refused (empty: it may go ahead).

    A deletion never removes a family's only version (withdraw it instead) nor its current
    version (agree or choose another first): every way in (the single delete, the list's bulk
    delete, the multiple uploader's delete) asks this. One query whatever the number.
    """
    documents = list(documents)
    deleting = {document.pk for document in documents}
    remaining = set(
        GovernanceDocument.objects.filter(family__in={d.family for d in documents})
        .exclude(pk__in=deleting)
        .values_list("family", flat=True)
    )
    refusals = []
    for document in documents:
        if document.family not in remaining:
            refusals.append(
                _(
                    "“%(title)s” would have no version left, so it cannot be deleted. To take it out "
                    "of the library, set its status to Withdrawn."
                )
                % {"title": document.title}
            )
        elif document.status in CURRENT_STATUSES:
            refusals.append(
                _(
                    "Version %(label)s is the current version of “%(title)s”. Agree another version "
                    "first (it then replaces this one), or set this one to Withdrawn and choose which "
                    "version becomes current."
                )
                % {"label": document.version_label or "–", "title": document.title}
            )
    return refusals


@transaction.atomic
def document_agree(
    *,
    document: GovernanceDocument,
    user=None,
    effective_date: date | None = None,
    confirm_personal_data: bool = False,
) -> list[GovernanceDocument]:
    """Mark ``document`` agreed and supersede the version(s) it replaces.

    Returns the versions that were superseded.
    """
    document_check_two_agreed(document=document)
    document_check_personal_data(document=document, user=user, confirmed=confirm_personal_data)
    document.status = DocumentStatus.AGREED
    if effective_date is not None:
        document.effective_date = effective_date
    elif document.effective_date is None:
        document.effective_date = timezone.localdate()
    document.save()
    return _supersede_ancestors(document)


@transaction.atomic
def document_set_status(
    *,
    document: GovernanceDocument,
    status: str,
    user=None,
    confirm_personal_data: bool = False,
) -> list[GovernanceDocument]:
    """Change a version's status, applying the rules that come with the new one."""
    if status == DocumentStatus.AGREED:
        return document_agree(document=document, user=user, confirm_personal_data=confirm_personal_data)
    if status == DocumentStatus.IN_CONSULTATION:
        document_check_personal_data(document=document, user=user, confirmed=confirm_personal_data)
    document.status = status
    document.save()
    return []


def document_acknowledge_personal_data(*, document: GovernanceDocument, user) -> None:
    document_check_personal_data(document=document, user=user, confirmed=True)
    document.save(update_fields=["updated_at"])


@transaction.atomic
def document_create(
    *,
    title: str,
    file: File,
    kind: str = DocumentKind.OTHER,
    status: str = DocumentStatus.DRAFT,
    summary: str = "",
    organisation: Organisation | None = None,
    scheme: SchemePage | None = None,
    region: str = "",
    workstreams: Iterable[Workstream] = (),
    signatories: Iterable[Organisation] = (),
    adopted_by: Iterable[SchemePage] = (),
    version_label: str = "",
    change_note: str = "",
    effective_date: date | None = None,
    review_date: date | None = None,
    replaces: GovernanceDocument | None = None,
    adapted_from: GovernanceDocument | None = None,
    collection: Collection | None = None,
    uploaded_by=None,
    confirm_personal_data: bool = False,
) -> GovernanceDocument:
    """Check and store a new governance document (or a new version of one, or one adapted
    from another scheme's: ``adapted_from``).

    Text extraction is queued when the transaction commits (see ``signals.py``). A status of
    "agreed" goes through ``document_agree`` so that the version it replaces is superseded.
    """
    name = getattr(file, "name", "") or title
    check_upload(file, name=name)
    document = GovernanceDocument(
        title=title,
        kind=kind,
        status=DocumentStatus.DRAFT,
        summary=summary,
        organisation=organisation,
        scheme=scheme,
        region=region,
        version_label=version_label,
        change_note=change_note,
        effective_date=effective_date,
        review_date=review_date,
        adapted_from=adapted_from,
        uploaded_by_user=uploaded_by,
    )
    if collection is not None:
        document.collection = collection
    document_link_version(document=document, replaces=replaces)
    document_fill_region(document=document)
    document.file.save(name, file, save=False)
    document._set_document_file_metadata()
    document.save()
    document.workstreams.set(list(workstreams))
    document.tagged_workstreams.commit()
    document.signatories.set(list(signatories))
    document.adopted_by.set(list(adopted_by))
    if status != DocumentStatus.DRAFT:
        # New files have not been scanned yet, so there is nothing to confirm at this point.
        document_set_status(
            document=document, status=status, user=uploaded_by, confirm_personal_data=confirm_personal_data
        )
    return document


def document_add_version(
    *, previous: GovernanceDocument, file: File, version_label: str, title: str | None = None, **changes
) -> GovernanceDocument:
    """A new version of ``previous``: it inherits what was not changed, and replaces it."""
    inherited = {
        "kind": previous.kind,
        "summary": previous.summary,
        "organisation": previous.organisation,
        "scheme": previous.scheme,
        "region": previous.region,
        "workstreams": list(previous.workstreams.all()),
        "signatories": list(previous.signatories.all()),
        "adopted_by": list(previous.adopted_by.all()),
        "adapted_from": previous.adapted_from,
        "review_date": previous.review_date,
        "collection": previous.collection,
    }
    inherited.update(changes)
    # Wagtail re-indexes a document's references after each save (three here: the new row, its
    # relations, the superseded version's status), re-reading it each time; index the new
    # version once, when it is complete. A status change touches no reference, so the versions
    # it supersedes keep their index as it is.
    with transaction.atomic(), disable_reference_index_auto_update():
        document = document_create(
            title=title or previous.title,
            file=file,
            version_label=version_label,
            replaces=previous,
            **inherited,
        )
        ReferenceIndex.create_or_update_for_object(document)
    return document


def document_queue_extraction(*, document: GovernanceDocument) -> None:
    """Mark the text as waiting to be read and read it once the upload has committed."""
    from .tasks import extract_document_text

    now = timezone.now()
    DocumentText.objects.update_or_create(
        document_id=document.pk,
        defaults={"status": ExtractionStatus.PENDING, "message": "", "queued_at": now, "started_at": None},
    )
    # The next read of ``document.extraction`` finds the saved row.
    _forget_text(document)
    document_id = document.pk
    transaction.on_commit(lambda: extract_document_text.enqueue(document_id))


def _forget_text(document: GovernanceDocument) -> None:
    """Drop a cached ``document.extraction`` so that the next read sees the saved row."""
    document._state.fields_cache.pop(GovernanceDocument.extraction.related.cache_name, None)


def _stale_after() -> timedelta:
    """How long a reading may say "being read" before its worker is taken to have died: the
    child process is killed at the timeout, so only a dead worker leaves one running longer."""
    return timedelta(seconds=float(conf.get("DOCUMENTS_EXTRACTION_TIMEOUT")) + 60)


def _finish(record: DocumentText, result, *, file_hash: str, started: float | None = None) -> None:
    """Save a reading's outcome and let the library's caches and the search index follow."""
    findings = personal_data.scan_as_json(result.text) if result.text else []
    if findings != record.personal_data_findings:
        record.personal_data_checked_at = None
        record.personal_data_checked_by = None
    record.text = result.text
    record.status = result.status
    record.message = result.message
    record.page_count = result.page_count
    record.extracted_at = timezone.now()
    record.file_hash = file_hash
    record.personal_data_findings = findings
    if started is not None:
        record.duration = timedelta(seconds=time.monotonic() - started)
    record.save()
    # Saving the document bumps ``updated_at`` (the library's cache key) and re-indexes it with
    # its new text (the search field ``extraction__text`` is read from this row).
    document = record.document
    _forget_text(document)
    document.save(update_fields=["updated_at"])


def document_recover_stale_extractions(*, now=None) -> list[int]:
    """Readings left "being read" by a worker that died mid-task end as failed, with a message
    for editors. Returns the ids of the documents recovered.

    Called by ``manage.py recover_document_extractions`` and at the start of every extraction
    task, so the next worker to read any file recovers them.
    """
    from .extraction import Extraction, failure_message

    now = now or timezone.now()
    stale = DocumentText.objects.filter(
        status=ExtractionStatus.RUNNING, started_at__lt=now - _stale_after()
    ).values_list("pk", flat=True)
    recovered = []
    for document_id in list(stale):
        with transaction.atomic():
            record = (
                DocumentText.objects.select_for_update()
                .select_related("document")
                .filter(pk=document_id, status=ExtractionStatus.RUNNING, started_at__lt=now - _stale_after())
                .first()
            )
            if record is None:
                continue  # finished meanwhile
            result = Extraction(ExtractionStatus.FAILED, message=failure_message("interrupted"))
            _finish(record, result, file_hash=record.document.file_hash)
        logger.warning("Text extraction of document %s was interrupted; marked as failed", document_id)
        recovered.append(document_id)
    return recovered


def document_requeue_waiting_extractions(*, older_than: timedelta, now=None) -> list[int]:
    """Queue again the readings "waiting to be read" for longer than ``older_than`` (a task
    lost before it started: a queue emptied by hand, a worker that crashed while claiming it)."""
    from .tasks import extract_document_text

    now = now or timezone.now()
    waiting = list(
        DocumentText.objects.filter(status=ExtractionStatus.PENDING)
        .filter(Q(queued_at__lt=now - older_than) | Q(queued_at__isnull=True))
        .values_list("pk", flat=True)
    )
    for document_id in waiting:
        DocumentText.objects.filter(pk=document_id).update(queued_at=now)
        extract_document_text.enqueue(document_id)
    return waiting


def document_extract_text(*, document_id: int, force: bool = False) -> GovernanceDocument | None:
    """Read the document's text in a limited child process and scan it for personal data.

    The reading is marked "being read" while it runs. Every outcome is saved with its message
    for the editor (a timeout, a reading process killed by a signal, an unexpected error); nothing
    is raised, so a bad file never fails the task queue. If the file changed while it was being
    read, the result is dropped (the new file has its own extraction queued).
    """
    from .extraction import Extraction, extract_document, failure_message

    document_recover_stale_extractions()
    document = GovernanceDocument.objects.filter(pk=document_id).first()
    if document is None:
        return None
    record, _created = DocumentText.objects.get_or_create(document=document)
    if (
        not force
        and record.extracted_at
        and record.file_hash == document.file_hash
        and record.status not in (ExtractionStatus.PENDING, ExtractionStatus.RUNNING)
    ):
        return document  # already read (a task queued twice, or run by the demo loader)
    file_hash = document.file_hash
    DocumentText.objects.filter(pk=document_id).update(
        status=ExtractionStatus.RUNNING, started_at=timezone.now(), message=""
    )
    started = time.monotonic()
    try:
        result = extract_document(document)
    except Exception:  # noqa: BLE001 - whatever happens, the editor gets an answer
        logger.exception("Text extraction raised for document %s", document_id)
        result = Extraction(ExtractionStatus.FAILED, message=failure_message("error"))
    with transaction.atomic():
        current = GovernanceDocument.objects.select_for_update().filter(pk=document_id).first()
        if current is None:
            return None
        record = DocumentText.objects.select_for_update().get(pk=document_id)
        record.document = current
        if current.file_hash != file_hash:
            if record.status == ExtractionStatus.RUNNING:
                # The new file's own task marks it again; until then it waits to be read.
                record.status = ExtractionStatus.PENDING
                record.save(update_fields=["status"])
            return current
        _finish(record, result, file_hash=file_hash, started=started)
    if result.status == ExtractionStatus.FAILED:
        logger.info("Text extraction failed for document %s: %s", document_id, result.message)
    return current


def document_record_download(*, document: GovernanceDocument) -> None:
    """Count a download without loading or re-saving the document (no re-indexing)."""
    GovernanceDocument.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)

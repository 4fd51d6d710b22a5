"""Business rules for governance documents: creating versions, agreeing them, reading their text.

Every change that touches more than one row (agreeing a version supersedes the one it
replaces) or has side effects (queueing text extraction) happens here, in plain functions the
admin form, the demo loader and tests all call, never hidden in ``save()``.
"""

import logging
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Collection

from schemes.models import Organisation, SchemePage, Workstream

from . import personal_data
from .models import DocumentKind, DocumentStatus, ExtractionStatus, GovernanceDocument
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
    if not document.personal_data_unchecked:
        return
    if not confirmed:
        count = len(document.personal_data_findings)
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
    document.personal_data_checked_at = timezone.now()
    document.personal_data_checked_by = user if user is not None and user.is_authenticated else None


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
    document.save(update_fields=["personal_data_checked_at", "personal_data_checked_by", "updated_at"])


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
    effective_date: date | None = None,
    review_date: date | None = None,
    replaces: GovernanceDocument | None = None,
    collection: Collection | None = None,
    uploaded_by=None,
    confirm_personal_data: bool = False,
) -> GovernanceDocument:
    """Check and store a new governance document (or a new version of one).

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
        effective_date=effective_date,
        review_date=review_date,
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
        "review_date": previous.review_date,
        "collection": previous.collection,
    }
    inherited.update(changes)
    return document_create(
        title=title or previous.title, file=file, version_label=version_label, replaces=previous, **inherited
    )


def document_queue_extraction(*, document: GovernanceDocument) -> None:
    """Mark the text as waiting to be read and read it once the upload has committed."""
    from .tasks import extract_document_text

    GovernanceDocument.objects.filter(pk=document.pk).update(
        extraction_status=ExtractionStatus.PENDING, extraction_message=""
    )
    document.extraction_status = ExtractionStatus.PENDING
    document.extraction_message = ""
    document_id = document.pk
    transaction.on_commit(lambda: extract_document_text.enqueue(document_id))


def document_extract_text(*, document_id: int, force: bool = False) -> GovernanceDocument | None:
    """Read the document's text in a limited child process and scan it for personal data.

    A failure is saved with its message for the editor; nothing is raised, so a bad file never
    fails the task queue. If the file changed while it was being read, the result is dropped
    (the new file has its own extraction queued).
    """
    from .extraction import extract_document

    document = GovernanceDocument.objects.filter(pk=document_id).first()
    if document is None:
        return None
    if not force and document.extracted_at and document.extracted_file_hash == document.file_hash:
        return document  # already read (a task queued twice, or run by the demo loader)
    file_hash = document.file_hash
    result = extract_document(document)
    findings = personal_data.scan_as_json(result.text) if result.text else []
    with transaction.atomic():
        current = GovernanceDocument.objects.select_for_update().filter(pk=document_id).first()
        if current is None or current.file_hash != file_hash:
            return current
        if findings != current.personal_data_findings:
            current.personal_data_checked_at = None
            current.personal_data_checked_by = None
        current.extracted_text = result.text
        current.extraction_status = result.status
        current.extraction_message = result.message
        current.page_count = result.page_count
        current.extracted_at = timezone.now()
        current.extracted_file_hash = file_hash
        current.personal_data_findings = findings
        current.save(
            update_fields=[
                "extracted_text",
                "extraction_status",
                "extraction_message",
                "page_count",
                "extracted_at",
                "extracted_file_hash",
                "personal_data_findings",
                "personal_data_checked_at",
                "personal_data_checked_by",
                "updated_at",
            ]
        )
    if result.status == ExtractionStatus.FAILED:
        logger.info("Text extraction failed for document %s: %s", document_id, result.message)
    return current


def document_record_download(*, document: GovernanceDocument) -> None:
    """Count a download without loading or re-saving the document (no re-indexing)."""
    GovernanceDocument.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)

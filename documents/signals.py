"""Queue text extraction whenever a document's file is new or has changed.

Uploads arrive through Wagtail's own admin views as well as our services, so the one place
that sees every new file is ``post_save``; the work itself is queued to run after commit.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import GovernanceDocument


def needs_extraction(document: GovernanceDocument) -> bool:
    if not document.file:
        return False
    record = document.extraction_record
    return record.extracted_at is None or record.file_hash != document.file_hash


@receiver(post_save, sender=GovernanceDocument, dispatch_uid="documents.queue_extraction")
def queue_extraction(sender, instance: GovernanceDocument, raw=False, update_fields=None, **kwargs):
    if raw or getattr(instance, "_extraction_queued_for", None) == instance.file_hash:
        return
    if update_fields is not None and "file" not in update_fields and "file_hash" not in update_fields:
        return
    if needs_extraction(instance):
        from .services import document_queue_extraction

        instance._extraction_queued_for = instance.file_hash
        document_queue_extraction(document=instance)

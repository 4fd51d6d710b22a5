"""A governance document's status opens, closes or reopens its consultation thread, however
the status was set (the admin's form, ``documents.services``, the demo): ``post_save``."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from documents.models import GovernanceDocument


@receiver(post_save, sender=GovernanceDocument, dispatch_uid="forum.consultation_sync")
def document_saved(sender, instance: GovernanceDocument, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "status" not in update_fields):
        return
    from .consultation import consultation_sync

    consultation_sync(document=instance)

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


def _discussions_changed(sender, raw=False, **kwargs):
    if raw:
        return
    from .search_source import discussions_changed

    discussions_changed()


def _connect_search_retirement():
    """What a search may find in the forum changed: a post or topic saved or deleted, a
    membership begun or ended, a group opened or made private (``forum.search_source``)."""
    from django.db.models.signals import post_delete

    from .models import ForumGroup, Membership, Post, Topic

    for model in (Post, Topic, Membership, ForumGroup):
        uid = f"forum.search.{model._meta.model_name}"
        post_save.connect(_discussions_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_discussions_changed, sender=model, dispatch_uid=uid)


_connect_search_retirement()

"""A new knowledge index page opens to contributors (``services.contributors_grant``)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import KnowledgeIndexPage
from .services import contributors_grant


@receiver(post_save, sender=KnowledgeIndexPage)
def knowledge_index_opens_to_contributors(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        contributors_grant(instance)

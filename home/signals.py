"""Retire the cached site chrome and anonymous pages whenever what they show may change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from schemes.models import Organisation, Workstream

from .chrome import bump_version


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def page_changed(sender, **kwargs):
    bump_version()


# Content that pages show besides their own fields: sites, the taxonomy, documents and who
# may see them. Writes are rare next to reads, so any change retires every cached page.
CONTENT_MODELS = [
    Site,
    PageViewRestriction,
    Collection,
    CollectionViewRestriction,
    Organisation,
    Workstream,
    get_document_model(),
]


def content_changed(sender, **kwargs):
    bump_version()


for model in CONTENT_MODELS:
    post_save.connect(content_changed, sender=model, dispatch_uid=f"chrome-{model._meta.label}")
    post_delete.connect(content_changed, sender=model, dispatch_uid=f"chrome-delete-{model._meta.label}")


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        bump_version()

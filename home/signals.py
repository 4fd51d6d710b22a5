"""Retire the cached site chrome, sites and pages (anonymous and per audience) whenever what
they show may change."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
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


# Who may see what, and who may edit, changes with the groups of restrictions and groups'
# permissions (many-to-many changes send no post_save).
for relation in (PageViewRestriction.groups, CollectionViewRestriction.groups, Group.permissions):
    m2m_changed.connect(
        content_changed, sender=relation.through, dispatch_uid=f"chrome-m2m-{relation.through._meta.label}"
    )


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        bump_version()

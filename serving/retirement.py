"""Retire every cached page, site, chrome and site-wide viewer fact when what they hold may
change: after the commit that changed it (``serving.version.bump_version``).

Each app says which of its models retire cached pages, beside those models, with the
``register_cache_retiring_models`` Wagtail hook in its ``wagtail_hooks.py``: a function
returning models (any save or delete retires) and many-to-many relations (``Model.field``:
any change retires), e.g.::

    @hooks.register("register_cache_retiring_models")
    def taxonomy_retires_cached_pages():
        return [Organisation, Workstream]

Pages themselves retire the caches when published, unpublished, moved, renamed or deleted,
and when an alias is created.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail import hooks
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .version import bump_version

HOOK_NAME = "register_cache_retiring_models"


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def page_changed(sender, **kwargs):
    bump_version()


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        bump_version()


@receiver(post_save)
def alias_created(sender, instance, created, **kwargs):
    """A new alias (not published through a revision: no ``page_published``): the site-wide
    facts list where the aliases are, which decides how a page's restrictions are looked up
    (``serving.viewer.restrictions_on_page``)."""
    if created and isinstance(instance, Page) and instance.alias_of_id:
        bump_version()


def content_changed(sender, **kwargs):
    bump_version()


def retiring_models() -> list:
    """Everything the apps registered: models and many-to-many relation descriptors."""
    found = []
    for fn in hooks.get_hooks(HOOK_NAME):
        found.extend(fn())
    return found


def connect_registered_models() -> None:
    for item in retiring_models():
        through = getattr(getattr(item, "rel", None), "through", None)
        if through is not None:  # a many-to-many relation (Model.field)
            m2m_changed.connect(
                content_changed, sender=through, dispatch_uid=f"retire-m2m-{through._meta.label}"
            )
            continue
        label = item._meta.label
        post_save.connect(content_changed, sender=item, dispatch_uid=f"retire-{label}")
        post_delete.connect(content_changed, sender=item, dispatch_uid=f"retire-delete-{label}")

"""Signal handlers that queue index updates for the Whoosh backend once the data is committed.

modelsearch's own handlers update every ``AUTO_UPDATE`` backend straight away, inside the
saving transaction: an index could then hold a change that is rolled back, and a request would
wait for the index's write lock. For Whoosh backends we switch that off (``"AUTO_UPDATE":
False``) and instead, on every save or delete of an indexed model, queue a django-tasks task
with ``transaction.on_commit``; the task re-reads the object and writes the index.

``register_signal_handlers()`` is called once at start-up, from the ``search`` app's
``ready()``.
"""

from functools import partial

from django.db import router, transaction
from django.db.models.signals import post_delete, post_save
from modelsearch.conf import get_app_config
from modelsearch.index import get_indexed_instance, get_indexed_models

from .tasks import delete_from_search_index, update_search_index

BACKEND_PATHS = {"search.backends.whoosh", "search.backends.whoosh.SearchBackend"}


def queued_backend_names() -> list[str]:
    """The configured Whoosh backends that want updates queued after commit."""
    return [
        name
        for name, params in get_app_config().get_search_backend_config().items()
        if params.get("BACKEND") in BACKEND_PATHS and params.get("UPDATE_ON_COMMIT", True)
    ]


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _enqueue(task, backend_names, model_label, pks):
    for name in backend_names:
        task.enqueue(name, model_label, pks)


def queue_index_update(instance, *, delete: bool = False) -> None:
    """Queue an update (or deletion) of ``instance`` in every Whoosh backend, after commit."""
    backend_names = queued_backend_names()
    if not backend_names:
        return
    indexed = get_indexed_instance(instance, check_exists=False)
    if indexed is None:
        return
    task = delete_from_search_index if delete else update_search_index
    callback = partial(_enqueue, task, backend_names, _label(type(indexed)), [str(indexed.pk)])
    transaction.on_commit(callback, using=router.db_for_write(type(instance)))


def post_save_signal_handler(instance, raw=False, **kwargs):
    if raw:
        return
    queue_index_update(instance)


def post_delete_signal_handler(instance, **kwargs):
    queue_index_update(instance, delete=True)


def post_page_move_signal_handler(instance, **kwargs):
    """A moved page's descendants change path without saving: re-index the whole subtree."""
    backend_names = queued_backend_names()
    if not backend_names:
        return
    from wagtail.models import Page

    subtree = Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True)
    callback = partial(
        _enqueue, update_search_index, backend_names, _label(Page), [str(pk) for pk in subtree]
    )
    transaction.on_commit(callback, using=router.db_for_write(Page))


def register_signal_handlers() -> None:
    """Connect the handlers for every indexed model (safe to call more than once)."""
    for model in get_indexed_models():
        if not getattr(model, "search_auto_update", True):
            continue
        uid = f"search.whoosh.{_label(model)}"
        post_save.connect(post_save_signal_handler, sender=model, dispatch_uid=uid)
        post_delete.connect(post_delete_signal_handler, sender=model, dispatch_uid=uid)
    try:
        from wagtail.signals import post_page_move
    except ImportError:  # pragma: no cover - Wagtail is always installed here
        return
    post_page_move.connect(post_page_move_signal_handler, dispatch_uid="search.whoosh.page_move")

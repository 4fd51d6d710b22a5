"""Bringing one object's entry up to date in every search backend, after the commit, when its
own save signal did not see the change (a many-to-many set, a queryset ``update()``).

Saves and deletes of indexed models are already handled: queued after the commit for Whoosh
(``search.backends.whoosh.signals``), at once for backends with ``AUTO_UPDATE``. Apps call
``reindex_after_commit`` only for the changes those signals miss.
"""

from functools import partial

from django.db import router, transaction
from modelsearch.index import get_indexed_instance, insert_or_update_object, remove_object

from .backends.whoosh.signals import queue_index_update


def _update_auto_update_backends(model, pk) -> None:
    """The object as it is now in the backends with ``AUTO_UPDATE`` (Whoosh's are queued)."""
    current = model._default_manager.filter(pk=pk).first()
    if current is None:
        return
    if get_indexed_instance(current) is None:  # no longer among the indexed objects (hidden)
        remove_object(current)
    else:
        insert_or_update_object(current)


def reindex_after_commit(instance) -> None:
    """Re-index ``instance`` as it will be after the commit (or drop it, if it is then no
    longer among its model's indexed objects) in every configured backend."""
    queue_index_update(instance)
    model = type(instance)
    transaction.on_commit(
        partial(_update_auto_update_backends, model, instance.pk), using=router.db_for_write(model)
    )

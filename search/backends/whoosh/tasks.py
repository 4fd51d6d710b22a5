"""Background tasks that bring the Whoosh index up to date after a commit.

They run in the django-tasks worker (or at once, with the immediate backend), so a slow or
locked index never holds up the request that saved the content. Arguments are plain strings
so that any django-tasks backend can queue them.
"""

from django.apps import apps
from django_tasks import task
from modelsearch.backends import get_search_backend


@task()
def update_search_index(backend_name: str, model_label: str, pks: list[str]) -> None:
    """Index the current state of these objects (or drop them if they are gone or unindexed)."""
    model = apps.get_model(model_label)
    backend = get_search_backend(backend_name)
    backend.get_index_for_model(model).update_pks(model, pks)


@task()
def delete_from_search_index(backend_name: str, model_label: str, pks: list[str]) -> None:
    """Remove deleted objects from the index."""
    model = apps.get_model(model_label)
    backend = get_search_backend(backend_name)
    backend.get_index_for_model(model).delete_pks(model, pks)

"""What every page type of the site shares: its view restrictions in one query.

Wagtail's own check before serving a page (``check_view_restrictions``) asks
``page.get_view_restrictions()``, which loads the page's ancestors (to resolve aliases) and then
their restrictions: two queries on every page request. The ancestors' paths are spelled out in
the page's own ``path`` (four characters a level), and which pages carry restrictions is among
the site-wide facts kept under the content version (retired after the commit of any change to a
restriction, as every cached page is): so a page without restrictions costs no query, and a
restricted one the one query that reads its restrictions' rows (``restrictions_on_page``).

Every page model of the project inherits ``ServedPage`` (``tests/serving/test_structure.py``
checks it); a page type without it is merely one query slower, never less safe.
"""

from wagtail.models import Page

from .viewer import restrictions_on_page


class ServedPage:
    """A mixin for every page model (before ``Page`` in the bases; it adds no field)."""

    def get_view_restrictions(self):
        return restrictions_on_page(self)


def project_page_models():
    """Every concrete page model of the project's own apps (not Wagtail's)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model is not Page and not model.__module__.startswith("wagtail.")
    ]

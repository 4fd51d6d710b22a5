from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        # Index updates for the Whoosh backend are queued after commit (docs/search.md).
        from .backends.whoosh.signals import register_signal_handlers

        register_signal_handlers()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServingConfig(AppConfig):
    name = "serving"
    verbose_name = _("Serving: viewer, page caches and routing")

    def ready(self):
        from . import retirement

        retirement.connect_registered_models()

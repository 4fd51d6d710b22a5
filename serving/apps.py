from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServingConfig(AppConfig):
    name = "serving"
    verbose_name = _("Serving: viewer, page caches and routing")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed

        from . import retirement, viewer

        retirement.connect_registered_models()
        user = get_user_model()
        for relation in (user.groups, user.user_permissions):
            m2m_changed.connect(
                viewer.membership_changed,
                sender=relation.through,
                dispatch_uid=f"serving-membership-{relation.through._meta.label}",
            )

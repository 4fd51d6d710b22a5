from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import signals  # noqa: F401


class AccountsUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app, pointed at our user screens (Wagtail's documented way)."""

    user_viewset = "accounts.admin_views.UserViewSet"

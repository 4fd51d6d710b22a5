from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .permissions import can_approve_accounts


class ApprovalsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_approve_accounts(request.user)


@hooks.register("register_admin_menu_item")
def register_approvals_menu_item():
    return ApprovalsMenuItem(
        _("Accounts to approve"), reverse("accounts:approvals"), icon_name="user", order=650
    )

"""The Wagtail admin's user screens, with the fields our accounts add."""

from django.forms import CheckboxSelectMultiple
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

# Approval is decided on the approvals screen (accounts.services.account_decide), which also
# manages the Members group, never by editing the field here.
ACCOUNT_FIELDS = ["organisation", "job_title", "is_organisation_approver"]


class AccountCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(ACCOUNT_FIELDS)
        widgets = {"groups": CheckboxSelectMultiple}


class AccountEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(ACCOUNT_FIELDS)
        widgets = {"groups": CheckboxSelectMultiple}


class UserViewSet(WagtailUserViewSet):
    template_prefix = "accounts/admin/users/"

    def get_form_class(self, for_update=False):
        return AccountEditForm if for_update else AccountCreationForm

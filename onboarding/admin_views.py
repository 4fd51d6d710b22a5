"""The national administrators' queue of start-a-scheme requests in the Wagtail admin."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from .models import RequestStatus, StartSchemeRequest
from .permissions import can_decide_scheme_requests
from .selectors import national_administrators
from .services import SchemeRequestError, scheme_request_accept, scheme_request_decline


class NationalAdministratorsPolicy(BasePermissionPolicy):
    """Only national administrators see the queue; nobody adds, edits or deletes requests in
    it (they are decided with the accept and decline buttons)."""

    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and can_decide_scheme_requests(user)

    def users_with_any_permission(self, actions):
        if not {"view", "inspect"} & set(actions):
            return get_user_model().objects.none()
        return national_administrators()


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Sent to the requester in the e-mail that tells them."),
        max_length=2000,
    )


class RequestInspectView(InspectView):
    template_name = "onboarding/admin/request_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending"] = self.object.status == RequestStatus.PENDING
        context["decline_form"] = DeclineForm()
        return context


def _decide(request, pk, decide):
    if not can_decide_scheme_requests(request.user):
        raise PermissionDenied
    scheme_request = get_object_or_404(StartSchemeRequest, pk=pk)
    try:
        message = decide(scheme_request)
    except SchemeRequestError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect("scheme_requests:inspect", pk)


@require_POST
def accept(request, pk):
    def decide(scheme_request):
        organisation = scheme_request_accept(request_id=scheme_request.pk, decided_by=request.user)
        return _(
            "%(name)s has been added with the e-mail domain %(domain)s; the requester has been told."
        ) % {
            "name": organisation.name,
            "domain": scheme_request.email_domain,
        }

    return _decide(request, pk, decide)


@require_POST
def decline(request, pk):
    def decide(scheme_request):
        form = DeclineForm(request.POST)
        if not form.is_valid():
            raise SchemeRequestError(_("Give a reason for declining (plain text, 2,000 characters at most)."))
        scheme_request_decline(
            request_id=scheme_request.pk, decided_by=request.user, reason=form.cleaned_data["reason"]
        )
        return _("The request from %(name)s has been declined; the requester has been told.") % {
            "name": scheme_request.organisation_name
        }

    return _decide(request, pk, decide)


class StartSchemeRequestViewSet(ModelViewSet):
    model = StartSchemeRequest
    name = "scheme_requests"
    icon = "mail"
    menu_label = gettext_lazy("Scheme requests")
    menu_order = 310
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_class = RequestInspectView
    list_display = ["organisation_name", "email_domain", "region", "status", "submitted_at"]
    list_filter = ["status", "kind", "region"]
    search_fields = ["organisation_name", "email_domain", "contact_name", "area"]
    ordering = ["-submitted_at"]
    form_fields = ["decline_reason"]  # no one adds or edits requests (the policy allows neither)
    inspect_view_fields = [
        "organisation_name",
        "kind",
        "region",
        "area",
        "email_domain",
        "contact_name",
        "contact_email",
        "plans",
        "status",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decline_reason",
        "organisation",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("accept/<int:pk>/", accept, name="accept"),
            path("decline/<int:pk>/", decline, name="decline"),
        ]

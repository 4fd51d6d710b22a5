from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import ApprovalDecisionForm, ProfileForm
from .models import User
from .permissions import can_approve_account, can_approve_accounts
from .selectors import accounts_awaiting_approval
from .services import ApprovalError, account_decide


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile has been updated."))
            return redirect("accounts:profile")
    else:
        form = ProfileForm(instance=user)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "can_approve": can_approve_accounts(user),
            "mfa_enabled": user.authenticator_set.exists(),
        },
    )


@login_required
def approvals(request):
    if not can_approve_accounts(request.user):
        raise Http404
    pending = list(accounts_awaiting_approval(approver=request.user)[:200])
    return render(request, "accounts/approvals.html", {"pending": pending})


@login_required
@require_POST
def approval_decide(request, user_id: int):
    if not can_approve_accounts(request.user):
        raise Http404
    account = get_object_or_404(User, pk=user_id)
    if not can_approve_account(request.user, account):
        raise Http404
    form = ApprovalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("accounts:approvals")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        account_decide(account=account, approver=request.user, approve=approve)
    except ApprovalError as exc:
        outcome, level = str(exc), messages.ERROR
    else:
        level = messages.SUCCESS
        if approve:
            outcome = _("%(name)s is approved and can now see members' content.") % {"name": account}
        else:
            outcome = _("%(name)s has not been approved.") % {"name": account}
    if request.htmx:
        # With htmx the row is replaced in place by the outcome; without, the page reloads.
        return render(
            request,
            "accounts/includes/approval_outcome.html",
            {"account": account, "outcome": outcome, "refused": level == messages.ERROR},
        )
    messages.add_message(request, level, outcome)
    return redirect("accounts:approvals")


class ConfirmEmailView(allauth_views.ConfirmEmailView):
    """allauth's confirmation page, but a used or expired link sent again by POST (a double
    click, a back button) gets the same clear explanation as opening it, not a 404."""

    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except Http404:
            self.object = None
            return self.render_to_response(self.get_context_data(), status=410)


def _to_allauth_login(request, default_next: str):
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        wanted = default_next
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': wanted})}")


def admin_login(request):
    """Wagtail's admin sign-in address, GET or POST: always allauth's sign-in page instead (two-step
    code, throttling, verified e-mail), keeping where to go next. Nobody is signed in here."""
    return _to_allauth_login(request, reverse("wagtailadmin_home"))


def frontend_login(request):
    """Wagtail's front-end sign-in form (``/_util/login/``, Django's own LoginView): the same."""
    return _to_allauth_login(request, settings.LOGIN_REDIRECT_URL)

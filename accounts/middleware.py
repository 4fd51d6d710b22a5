"""Sign-in rules that hold on every request: compulsory two-step sign-in for some roles, and no
second sign-in form in Wagtail's admin for people without editing rights."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import roles

# The session remembers whether its user still has to set two-step sign-in up, so that people who
# need not (most) cost no query per request: "ok", "required", or missing (not decided yet).
TWO_STEP_SESSION_KEY = "accounts_two_step"


def two_step_required(user) -> bool:
    """Whether ``user``'s role makes two-step sign-in compulsory."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name__in=roles.TWO_STEP_REQUIRED).exists()


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def forget_two_step_state(request) -> None:
    """Make the next request decide again (after a sign-in or a change of authenticators)."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(TWO_STEP_SESSION_KEY, None)


class AccountsSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._two_step_setup(request, user) or self._admin_without_rights(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    # Two-step sign-in ------------------------------------------------------------------------

    def _two_step_setup(self, request, user) -> HttpResponse | None:
        state = request.session.get(TWO_STEP_SESSION_KEY)
        if state == "ok":
            return None
        if state is None:
            # Only sessions opened by a sign-in (allauth records how the person signed in) are
            # held to the rule; every way of signing in goes through allauth (config/urls.py).
            if not get_authentication_records(request, user):
                return None
            state = "required" if two_step_required(user) and not has_totp(user) else "ok"
            request.session[TWO_STEP_SESSION_KEY] = state
            if state == "ok":
                return None
        if has_totp(user):
            request.session[TWO_STEP_SESSION_KEY] = "ok"
            return None
        if self._allowed_before_two_step(request.path_info):
            request.two_step_required = True  # the set-up page says why they are there
            return None
        target = reverse("mfa_activate_totp")
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        if request.method == "GET":
            messages.warning(
                request,
                _("Your role needs two-step sign-in. Set it up with an authenticator app to continue."),
            )
        return HttpResponseRedirect(target)

    @staticmethod
    def _allowed_before_two_step(path: str) -> bool:
        allowed = (
            reverse("mfa_index"),  # set-up, recovery codes, re-authentication for them
            reverse("account_logout"),
            reverse("account_reauthenticate"),
            settings.STATIC_URL,
        )
        return any(path.startswith(prefix) for prefix in allowed)

    # Wagtail's admin ---------------------------------------------------------------------------

    def _admin_without_rights(self, request, user) -> HttpResponse | None:
        admin_home = reverse("wagtailadmin_home")
        if not request.path_info.startswith(admin_home) or request.path_info.startswith(
            reverse("wagtailadmin_logout")
        ):
            return None
        if user.has_perm("wagtailadmin.access_admin"):
            return None
        # Wagtail would send them to a sign-in form although they are signed in: say what is wrong.
        return render(request, "accounts/no_editing_rights.html", status=403)

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schemes.models import SchemePage
from serving.viewer import viewer_for

from . import throttle
from .forms import HONEYPOT, StartSchemeRequestForm
from .permissions import can_tick_progress
from .selectors import live_pathway, step_keys
from .services import progress_tick, progress_untick, scheme_request_submit


@never_cache
def start_scheme(request):
    """The start-a-scheme request form. Rate-limited per client address; a filled honeypot
    gets the same "what happens next" page and nothing is saved."""
    pathway = live_pathway(request)
    if request.method == "POST":
        if not throttle.consume(request):
            response = render(
                request,
                "onboarding/too_many_requests.html",
                {"minutes": max(1, throttle.window() // 60), "pathway": pathway},
                status=429,
            )
            response["Retry-After"] = str(throttle.window())
            return response
        form = StartSchemeRequestForm(request.POST)
        if form.is_bot:
            return redirect("onboarding:start_scheme_sent")
        if form.is_valid():
            scheme_request_submit(**{name: form.cleaned_data[name] for name in form.Meta.fields})
            return redirect("onboarding:start_scheme_sent")
    else:
        form = StartSchemeRequestForm()
    return render(
        request,
        "onboarding/start_scheme.html",
        {"form": form, "pathway": pathway, "honeypot": form[HONEYPOT]},
    )


@never_cache
def start_scheme_sent(request):
    """What happens next: the same page whoever asks (a bot caught by the honeypot too)."""
    return render(request, "onboarding/start_scheme_sent.html", {"pathway": live_pathway(request)})


@login_required
@require_POST
def progress_update(request, scheme_id: int):
    """Tick (``done=1``) or untick (``done=0``) one step for one scheme. Approved members of the
    scheme only: a scheme the person may not see is a 404, one they are not a member of a 403."""
    scheme = get_object_or_404(SchemePage.objects.live(), pk=scheme_id)
    if not viewer_for(request).may_see_page(scheme.path):
        raise Http404
    if not can_tick_progress(request, scheme):
        return render(request, "onboarding/not_a_member.html", {"scheme": scheme}, status=403)
    pathway = live_pathway(request)
    step_key = request.POST.get("step", "")
    if pathway is None or step_key not in step_keys(pathway):
        raise Http404
    done = request.POST.get("done")
    if done == "1":
        _progress, created = progress_tick(scheme=scheme, step_key=step_key, user=request.user)
        if created:
            messages.success(request, _("Step marked as done for %(scheme)s.") % {"scheme": scheme.title})
        else:
            messages.info(request, _("That step was already done for %(scheme)s.") % {"scheme": scheme.title})
    elif done == "0":
        if progress_untick(scheme=scheme, step_key=step_key):
            messages.success(request, _("Step marked as not done for %(scheme)s.") % {"scheme": scheme.title})
        else:
            messages.info(request, _("That step was not done for %(scheme)s.") % {"scheme": scheme.title})
    else:
        messages.error(request, _("Choose whether the step is done: nothing was changed."))
    back = pathway.get_url(request) or "/"
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        back = next_url
    return HttpResponseRedirect(f"{back.split('#')[0]}#step-{step_key}")

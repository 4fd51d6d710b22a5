"""Workstream hubs: a stable address per workstream (``/workstreams/<slug>/``) and their list.

Plain Django views: what they show depends on what the viewer may see (``selectors``), so a
signed-in person's answer is marked private; an anonymous visitor's is the same for everyone.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from schemes.models import Workstream

from .selectors import knowledge_index, workstream_hub, workstreams_overview


def _vary(request, response):
    patch_vary_headers(response, ["Cookie"])
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True, max_age=0)
    return response


def workstream_list(request):
    context = {"workstreams": workstreams_overview(request), "knowledge_index": knowledge_index(request)}
    return _vary(request, render(request, "knowledge/workstream_list.html", context))


def workstream_detail(request, slug):
    workstream = Workstream.objects.filter(slug=slug).first()
    if workstream is None:
        raise Http404(_("There is no workstream at this address."))
    context = {"hub": workstream_hub(request, workstream), "knowledge_index": knowledge_index(request)}
    return _vary(request, render(request, "knowledge/workstream_detail.html", context))

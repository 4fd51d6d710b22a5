"""Workstream hubs: a stable address per workstream (``/workstreams/<slug>/``) and their list.

Plain Django views: what they show depends on what the viewer may see (``selectors``), so a
signed-in person's answer is marked private; an anonymous visitor's is the same for everyone.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from schemes.models import Workstream
from serving.visibility import kept_fragment

from .selectors import knowledge_index, workstream_hub, workstreams_overview


def _vary(request, response):
    patch_vary_headers(response, ["Cookie"])
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True, max_age=0)
    return response


def workstream_list(request):
    body = kept_fragment(
        request,
        "workstream-list",
        None,
        "knowledge/includes/workstream_list_body.html",
        lambda visibility: ({"workstreams": workstreams_overview(visibility)}, {}),
    )
    return _vary(request, render(request, "knowledge/workstream_list.html", {"workstreams_body": body}))


def workstream_detail(request, slug):
    workstream = Workstream.objects.filter(slug=slug).first()
    if workstream is None:
        raise Http404(_("There is no workstream at this address."))

    def build(visibility):
        index = knowledge_index(visibility)
        body = {
            "hub": workstream_hub(visibility, workstream),
            "knowledge_index_url": index.url if index else "",
        }
        return body, {}

    # What the hub lists is the same for everyone who may see the same pages and documents:
    # rendered once per content version and visibility (serving.visibility).
    hub_body = kept_fragment(
        request, "workstream-hub", workstream.pk, "knowledge/includes/hub_body.html", build
    )
    context = {"workstream": workstream, "hub_body": hub_body}
    return _vary(request, render(request, "knowledge/workstream_detail.html", context))

"""Serving's hooks: the viewer's rule before a page is served, the explanation for people
awaiting approval, what is offered to the page caches, and what retires them."""

from django.contrib.auth.models import Group
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction, Site

from .page_cache import mark_audience_cacheable, mark_cacheable
from .refusals import members_only
from .retirement import HOOK_NAME
from .viewer import viewer_for


@hooks.register("before_serve_page", order=-10)
def apply_the_viewers_rule(page, request, serve_args, serve_kwargs):
    """Wagtail's own check (``check_view_restrictions``) then runs inside the serve chain and
    keeps its login and password forms for anonymous visitors; ours refuses, in addition,
    LOGIN and GROUPS restrictions to signed-in people who are not approved."""
    viewer = viewer_for(request)
    if not viewer.is_authenticated:
        return None
    paths = [page.path]
    if page.alias_of_id:  # an alias is restricted as its source is (as Wagtail's check does)
        paths += Page.objects.filter(pk=page.alias_of_id).values_list("path", flat=True)
    refusal = next(filter(None, map(viewer.refusal_for_page, paths)), None)
    if refusal is not None and refusal.type != PageViewRestriction.PASSWORD:
        return members_only(request, {"page": page})
    return None


@hooks.register("on_serve_page", order=1)
def offer_pages_to_the_page_caches(callback):
    """Offer what a page served to an anonymous visitor to the page cache, and what a page type
    that depends only on the viewer's audience served to a signed-in person to the audience
    cache (``cache_per_audience = True`` on the model: say so only if nothing on the page, in
    any of its routes, depends on the person beyond their audience).

    Restricted pages never reach the caches: Wagtail marks every restricted page's response
    never-cache, which both caches refuse (serving.page_cache).
    """

    def inner(page, request, serve_args, serve_kwargs):
        response = callback(page, request, serve_args, serve_kwargs)
        if not viewer_for(request).is_authenticated:
            mark_cacheable(response)
        elif getattr(page, "cache_per_audience", False):
            mark_audience_cacheable(response)
        return response

    return inner


@hooks.register(HOOK_NAME)
def sites_restrictions_and_permissions_retire_cached_pages():
    """Sites, who may see pages, who may edit or publish (a group's permissions, its page
    permissions), and groups themselves (a person's own groups are forgotten one by one:
    ``serving.viewer.membership_changed``)."""
    from wagtail.models import GroupPagePermission

    return [
        Site,
        PageViewRestriction,
        PageViewRestriction.groups,
        Group,
        Group.permissions,
        GroupPagePermission,
    ]

from django.shortcuts import render
from wagtail import hooks
from wagtail.models import PageViewRestriction

from .page_cache import mark_cacheable


@hooks.register("on_serve_page", order=-1)
def explain_members_only_pages(callback):
    """A signed-in person who is not (yet) a member gets an explanation, not a login loop.

    Wagtail sends anyone failing a group restriction to the login page; someone already signed
    in but awaiting approval would land back where they started. Anonymous visitors still go
    to the login page through Wagtail's own hook.
    """

    def inner(page, request, serve_args, serve_kwargs):
        if request.user.is_authenticated and not request.user.is_superuser:
            for restriction in page.get_view_restrictions():
                if restriction.restriction_type in (
                    PageViewRestriction.GROUPS,
                    PageViewRestriction.LOGIN,
                ) and not restriction.accept_request(request):
                    response = render(request, "403_members.html", {"page": page}, status=403)
                    response["Cache-Control"] = "private, no-cache, no-store, must-revalidate"
                    return response
        return callback(page, request, serve_args, serve_kwargs)

    return inner


@hooks.register("on_serve_page", order=1)
def offer_public_pages_to_the_page_cache(callback):
    """Mark the response of an unrestricted page served to an anonymous visitor as one the
    anonymous page cache may keep (see home.page_cache for what else it checks)."""

    def inner(page, request, serve_args, serve_kwargs):
        response = callback(page, request, serve_args, serve_kwargs)
        if not request.user.is_authenticated and not page.get_view_restrictions():
            mark_cacheable(response)
        return response

    return inner

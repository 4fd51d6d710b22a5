from django.conf import settings
from django.shortcuts import render
from wagtail import hooks

from .page_cache import mark_audience_cacheable, mark_cacheable


@hooks.register("on_serve_page", order=-1)
def explain_members_only_pages(callback):
    """A signed-in person who is not (yet) a member gets an explanation, not a login loop.

    Wagtail sends anyone failing a login or group restriction to the login page; someone
    already signed in but awaiting approval would land back where they started. Wagtail's
    own hook (inside this one) has checked the restrictions: this only rewrites its answer.
    """

    def inner(page, request, serve_args, serve_kwargs):
        response = callback(page, request, serve_args, serve_kwargs)
        if (
            request.user.is_authenticated
            and response.status_code == 302
            and response.get("Location", "").startswith(settings.WAGTAIL_FRONTEND_LOGIN_URL)
        ):
            response = render(request, "403_members.html", {"page": page}, status=403)
            response["Cache-Control"] = "private, no-cache, no-store, must-revalidate"
        return response

    return inner


@hooks.register("on_serve_page", order=1)
def offer_pages_to_the_anonymous_page_cache(callback):
    """Offer what a page served to an anonymous visitor to the page cache, and what a page type
    that depends only on the viewer's audience served to a signed-in person to the audience
    cache (``cache_per_audience = True`` on the model: say so only if nothing on the page, in
    any of its routes, depends on the person beyond their groups and approval).

    Restricted pages never reach it: Wagtail answers an anonymous visitor with a login
    redirect or a password form, and marks every restricted page's response never-cache,
    which the cache refuses (home.page_cache).
    """

    def inner(page, request, serve_args, serve_kwargs):
        response = callback(page, request, serve_args, serve_kwargs)
        if not request.user.is_authenticated:
            mark_cacheable(response)
        elif getattr(page, "cache_per_audience", False):
            # Only reached once Wagtail's restriction check has let the person through.
            mark_audience_cacheable(response)
        return response

    return inner

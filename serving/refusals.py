"""What a signed-in person refused by the viewer's rule is answered."""

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


def members_only(request, context=None):
    """For a signed-in person the rule refuses (awaiting approval, not approved, or not in the
    group): the "for approved members only" explanation, never a sign-in loop. Never stored."""
    response = render(request, "403_members.html", context or {}, status=403)
    add_never_cache_headers(response)
    return response

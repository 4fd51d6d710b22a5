from django import template

from home.chrome import trail_for

register = template.Library()


@register.simple_tag(takes_context=True)
def page_trail(context, page):
    """The breadcrumb trail above ``page`` (``home.chrome.trail_for``)."""
    return trail_for(context["request"], page)

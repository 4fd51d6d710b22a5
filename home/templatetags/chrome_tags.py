from django import template

from home.chrome import header_html, trail_for

register = template.Library()


@register.simple_tag(takes_context=True)
def page_trail(context, page):
    """The breadcrumb trail above ``page`` (``home.chrome.trail_for``)."""
    return trail_for(context["request"], page)


@register.simple_tag(takes_context=True)
def site_header(context):
    """The site header, kept per kind of viewer and page (``home.chrome.header_html``)."""
    return header_html(context["request"], context.get("page"), context.get("search_query"))

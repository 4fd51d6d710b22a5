"""The site search's template tags."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def facet_choices(facet):
    """One facet's checkboxes, each labelled with its value and count ("(3 results)", the words
    for screen readers only). Built here rather than in a template loop: a search shows up to
    fifteen values of each of six facets, and the template language made those ticks the most
    costly part of a results page."""
    name = facet.name
    return format_html_join(
        "\n",
        '<div class="checkbox"><input type="checkbox" id="f-{0}-{1}" name="{0}" value="{2}"{3}>'
        '<label for="f-{0}-{1}">{4} <span class="search-facet__count">({5}'
        '<span class="visually-hidden"> {6}</span>)</span></label></div>',
        (
            (
                name,
                number,
                value.value,
                mark_safe(" checked") if value.selected else "",
                value.label,
                value.count,
                ngettext("result", "results", value.count),
            )
            for number, value in enumerate(facet.values, start=1)
        ),
    )

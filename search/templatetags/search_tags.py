"""The site search's template tags.

A page of results shows up to fifteen values of each of six facets and ten results, each
a dozen values to escape: in the template language those loops were most of the cost of a
new search's page. They are built here, in plain Python, with every value escaped as the
template language would (``_escaped``); the rest of the page stays in its template
(``search/includes/results.html``).
"""

import html

from django import template
from django.utils.dateformat import format as date_format
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

register = template.Library()


def _escaped(value) -> str:
    """``value`` as HTML text: escaped, unless it is already HTML (``conditional_escape``)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag
def facet_choices(facet):
    """One facet's checkboxes, each labelled with its value and count ("(3 results)", the words
    for screen readers only)."""
    name = _escaped(facet.name)
    words: dict[int, str] = {}
    rows = []
    for number, value in enumerate(facet.values, start=1):
        count = int(value.count)
        if count not in words:
            words[count] = _escaped(ngettext("result", "results", count))
        checked = " checked" if value.selected else ""
        rows.append(
            f'<div class="checkbox"><input type="checkbox" id="f-{name}-{number}" name="{name}" '
            f'value="{_escaped(value.value)}"{checked}><label for="f-{name}-{number}">'
            f'{_escaped(value.label)} <span class="search-facet__count">({count}'
            f'<span class="visually-hidden"> {words[count]}</span>)</span></label></div>'
        )
    return mark_safe("\n".join(rows))


@register.simple_tag
def search_result_items(results):
    """The list items of a page of results: title and link, kind, details, date, snippet (the
    snippet is HTML already: ``search.text.snippet`` escapes the text and marks the matches)."""
    items = []
    for result in results:
        meta = [f'<span class="tag search-result__kind">{_escaped(result.kind)}</span>']
        meta += [
            f' <span class="search-result__detail">{_escaped(detail)}</span>' for detail in result.details
        ]
        if result.date:
            meta.append(
                f' <time datetime="{date_format(result.date, "Y-m-d")}">'
                f"{_escaped(date_format(result.date, 'j F Y'))}</time>"
            )
        snippet = (
            f'\n  <p class="search-result__snippet">{_escaped(result.snippet)}</p>' if result.snippet else ""
        )
        items.append(
            '<li class="results__item search-result">\n'
            f'  <h2 class="heading-s search-result__title"><a href="{_escaped(result.url)}">'
            f"{_escaped(result.title)}</a></h2>\n"
            f'  <p class="search-result__meta">{"".join(meta)}</p>{snippet}\n'
            "</li>"
        )
    return mark_safe("\n".join(items))

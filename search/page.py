"""The search page kept as a frame around what each search changes.

A page of results is kept (``views._results_body``), but the page around it (head, header,
form, footer) was rendered on every search: a fifth of a new search's time. Around the
search, that page is the same for everyone who gets the same header (the content version, the
site, what decides the chrome, whether they are signed in, the language): it is rendered once
for them with a marker in each place a search or a request fills (the query, wherever it is
shown; the filters carried as hidden fields; the notice; the results; the messages), kept cut
at the markers, and filled in on every request. The markers are random per process, so no
title or label can hold one; the kept parts hold none of them, and nothing of a person or a
search, so processes share them (``serving.version.memo``).
"""

from __future__ import annotations

import re
import secrets

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from home.chrome import chrome_facts
from serving.version import memo

TIMEOUT = 60 * 60
SLOTS = {
    name: f"search-{name}-{secrets.token_hex(12)}"
    for name in ("query", "hidden", "notice", "body", "messages")
}
_NAMES = {marker: name for name, marker in SLOTS.items()}
_MARKER = re.compile("|".join(map(re.escape, SLOTS.values())))


def hidden_inputs(selected: dict, sort: str):
    """The filters and sort a new search from the page's box carries along."""
    fields = [(name, value) for name, values in selected.items() for value in values]
    if sort != "relevance":
        fields.append(("sort", sort))
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', fields)


def _notice(notice) -> str:
    if not notice:
        return ""
    return format_html(
        '<div class="notification notification--warning" role="status"><p class="notification__text">{}</p></div>',
        notice,
    )


def _messages(request) -> str:
    return render_to_string("includes/messages.html", {"messages": get_messages(request)})


def _frame(request, context) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The kept parts of the page and the name of the marker between each two, or None when
    the page does not show each marker where expected (then it is rendered whole)."""
    key = f"search-page:{chrome_facts(request)}"

    def build():
        filled = {
            **context,
            "search_query": SLOTS["query"],
            "hidden_inputs": SLOTS["hidden"],
            "notice_html": SLOTS["notice"],
            "search_body_html": SLOTS["body"],
            "messages_html": SLOTS["messages"],
        }
        html = render_to_string("search/search.html", filled, request=request)
        names = tuple(_NAMES[marker] for marker in _MARKER.findall(html))
        once = [names.count(name) for name in ("hidden", "notice", "body", "messages")]
        if once != [1, 1, 1, 1] or "query" not in names:
            return ()  # kept as "render whole" (a falsy value the memo still keeps)
        return (tuple(_MARKER.split(html)), names)

    found = memo.get_or_set(key, build, TIMEOUT)
    return found or None


def search_page(request, context):
    """The search page for ``context`` (``views.search``): from the kept frame when there is
    a search, rendered whole otherwise (the page with tips, no results)."""
    context["hidden_inputs"] = hidden_inputs(context["selected"], context["sort"])
    context["notice_html"] = _notice(context.get("notice"))
    body = context.get("search_body")
    frame = _frame(request, context) if body is not None else None
    if frame is None:
        if body is not None:
            context["search_body_html"] = body.html
        return render(request, "search/search.html", context)
    parts, names = frame
    values = {
        "query": conditional_escape(context["search_query"]),
        "hidden": context["hidden_inputs"],
        "notice": context["notice_html"],
        "body": body.html,
        "messages": _messages(request),
    }
    html = [parts[0]]
    for name, part in zip(names, parts[1:], strict=True):
        html.append(values[name])
        html.append(part)
    return HttpResponse(mark_safe("".join(html)))

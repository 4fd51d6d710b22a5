"""What a viewer may see, apart from who they are: the one input of work shared between viewers.

Listings, hubs and facet counts depend on the viewer only through the pages and documents
hidden from them. ``Visibility`` holds exactly that (the hidden page subtrees, the hidden
collection subtrees, and the site's restricted collections, for "members only" labels) and
nothing else: no user, no request, no session. Two viewers with the same visibility see the
same rows.

``kept`` and ``kept_fragment`` keep such work per content version and visibility, in the
shared cache and each worker's versioned memo. Safety comes from their shape, not from their
callers: the build function receives the ``Visibility`` alone, and a fragment's template is
rendered without the request (no user, no CSRF token, no messages), so whatever is kept can
depend on nothing personal. A new version (every change that could alter a listing bumps it,
after its commit: ``serving.version``) retires every entry at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .version import memo

T = TypeVar("T")
TIMEOUT = 60 * 60


def under_paths(paths, field_name: str) -> Q:
    """Rows at or below any of the materialised ``paths``."""
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field_name}__startswith": path})
    return condition


@dataclass(frozen=True)
class Visibility:
    hidden_page_paths: tuple[str, ...]
    hidden_collection_paths: tuple[str, ...]
    restricted_collection_paths: tuple[str, ...]
    key: str = field(init=False, compare=False)

    def __post_init__(self):
        text = "|".join(
            ",".join(paths)
            for paths in (
                self.hidden_page_paths,
                self.hidden_collection_paths,
                self.restricted_collection_paths,
            )
        )
        object.__setattr__(self, "key", hashlib.sha256(text.encode()).hexdigest()[:32])

    def visible_pages(self, pages: QuerySet) -> QuerySet:
        return pages.exclude(under_paths(self.hidden_page_paths, "path")) if self.hidden_page_paths else pages

    def visible_documents(self, documents: QuerySet) -> QuerySet:
        hidden = self.hidden_collection_paths
        return documents.exclude(under_paths(hidden, "collection__path")) if hidden else documents

    def may_see_page(self, page_path: str) -> bool:
        hidden = self.hidden_page_paths
        return not (hidden and page_path.startswith(hidden))

    def may_see_collection(self, collection_path: str) -> bool:
        hidden = self.hidden_collection_paths
        return not (hidden and collection_path.startswith(hidden))

    def collection_is_restricted(self, collection_path: str) -> bool:
        restricted = self.restricted_collection_paths
        return bool(restricted) and collection_path.startswith(restricted)


def visibility_of(scope) -> Visibility:
    """``scope`` is a request (its viewer's visibility is asked) or already a ``Visibility``
    (inside work kept per visibility), so that read paths serve both."""
    if isinstance(scope, Visibility):
        return scope
    from .viewer import viewer_for

    return viewer_for(scope).visibility


def _key(request, name: str, params) -> tuple[str, Visibility]:
    from .viewer import viewer_for

    viewer = viewer_for(request)
    visibility = viewer.visibility
    fingerprint = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
    return (
        f"visible:{name}:{viewer.content_version}:{visibility.key}:{get_language() or ''}:{fingerprint}",
        visibility,
    )


def kept(request, name: str, params, build: Callable[[Visibility], T], timeout: int = TIMEOUT) -> T:
    """``build(visibility)``, kept per content version, visibility, language and ``params``
    (a hashable description of everything else the result depends on, e.g. the filters).

    The result is shared by every viewer with the same visibility and by the requests of a
    worker: it must be picklable and never changed after it is returned (tuples, frozen
    dataclasses, or objects nobody writes to).
    """
    key, visibility = _key(request, name, params)
    if getattr(request, "is_preview", False):
        return build(visibility)  # a draft shown to its editor: never kept, never shared
    return memo.get_or_set(key, lambda: build(visibility), timeout)


@dataclass(frozen=True)
class Fragment:
    html: SafeString
    facts: dict[str, Any]


def kept_fragment(
    request,
    name: str,
    params,
    template: str,
    build: Callable[[Visibility], tuple[dict, dict]],
    timeout: int = TIMEOUT,
    keep_if: Callable[[dict], bool] | None = None,
) -> Fragment:
    """The HTML of ``template``, rendered without the request from the context that
    ``build(visibility)`` returns beside a few ``facts`` the rest of the page needs (a total, a
    page number), kept as ``kept`` keeps data. Pass into ``params`` whatever else the context
    holds (the filters, the page's address). ``keep_if(facts)`` false: this rendering is shown
    but not kept (an answer made while something was failing)."""
    made: dict[str, Fragment] = {}

    def render(visibility: Visibility) -> Fragment | None:
        context, facts = build(visibility)
        made["fragment"] = fragment = Fragment(
            html=mark_safe(render_to_string(template, context)), facts=facts
        )
        return fragment if keep_if is None or keep_if(facts) else None

    return kept(request, name, params, render, timeout) or made["fragment"]

"""Route a request to its page in one query (two the first time), whatever its depth.

Wagtail walks the tree one level at a time: for /schemes/pan-sussex/ it loads each page and
then its specific class, two queries a level. Each page's ``url_path`` already spells out that
walk, so all the pages on the way are found in one query. The walk is then replayed in
memory: the first page on the way whose class routes for itself (a routable page such as the
document library) is handed the rest of the path, exactly as Wagtail's walk would hand it
(unless it is a ``RoutablePageMixin`` page none of whose routes matches and the next component
is its child page: Wagtail would hand that on to the child, and so does the walk),
and otherwise the last page answers if it is live. Only that page is loaded as its specific
class (the second query).

Where every component of the address is a page, the walk (each page's id, depth and class) is
kept under the content version, so later requests load only the page itself. Addresses that
end in a routable page's own routes (a document in the library: ``/library/42-pan-sussex-mou/``)
are answered from the walks to the routable pages (``RoutablePageMixin``) themselves, kept as
one map per content version, when that page's own routes match the rest of the address.
Addresses that lead nowhere are not kept: what is kept is bounded by the pages that exist,
whatever addresses people try.

A page deleted while the request is routed is simply not found (404), never an error.
"""

import hashlib
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from wagtail.models import Page

from .prepared import get_by_pk
from .version import memo
from .viewer import viewer_for

TIMEOUT = 60 * 60


class Step(NamedTuple):
    page_id: int
    depth: int
    content_type_id: int


def route_by_url_path(root, request, path_components):
    try:
        return _route(root, request, path_components)
    except ObjectDoesNotExist as gone:
        raise Http404 from gone


def _route(root, request, path_components):
    if not path_components:
        return Page.route(root, request, path_components)
    prefixes, url_path = [], root.url_path
    for component in path_components:
        url_path += component + "/"
        prefixes.append(url_path)
    on_the_way = _walk(root, request, prefixes)
    for level, url_path in enumerate(prefixes, start=1):
        step = on_the_way.get(url_path)
        if step is None or step.depth != root.depth + level:
            raise Http404
        remaining = path_components[level:]
        page_class = ContentType.objects.get_for_id(step.content_type_id).model_class()
        if page_class is None:
            raise Http404
        if not remaining or (
            page_class.route is not Page.route
            and not _passes_to_child(page_class, remaining, step, on_the_way)
        ):
            # Read now, whatever the walk came from: a page unpublished or deleted meanwhile
            # answers 404 (``route`` checks ``live``; DoesNotExist is caught above).
            return get_by_pk(page_class, step.page_id).route(request, remaining)
    raise Http404  # not reached: the last level has nothing remaining


def _passes_to_child(page_class, remaining, step: Step, on_the_way: dict[str, Step]) -> bool:
    """Whether a routable page (``RoutablePageMixin``: the scheme index) would hand the rest of
    the path to its child page, as Wagtail's does when none of its own routes matches and the
    next component is a child: then the walk goes on, without loading the routable page."""
    get_resolver = getattr(page_class, "get_resolver", None)
    if get_resolver is None:
        return False  # a page with its own ``route``: it decides
    child = next((s for s in on_the_way.values() if s.depth == step.depth + 1), None)
    if child is None:
        return False
    try:
        get_resolver().resolve("/" + "/".join(remaining) + "/")
    except Http404:
        return True
    return False


def _key(version, root, prefixes) -> str:
    digest = hashlib.sha256("\n".join(prefixes).encode()).hexdigest()[:32]
    return f"route:{version}:{root.pk}:{digest}"


def _answers_itself(step: Step, remaining: str) -> bool:
    """Whether the page at ``step`` is a routable page (``RoutablePageMixin``) one of whose own
    routes matches the rest of the address (not a child page's slug)."""
    page_class = ContentType.objects.get_for_id(step.content_type_id).model_class()
    get_resolver = getattr(page_class, "get_resolver", None)
    if get_resolver is None or not remaining:
        return False
    try:
        get_resolver().resolve("/" + remaining)
    except Http404:
        return False
    return True


def _walk(root, request, prefixes) -> dict[str, Step]:
    version = viewer_for(request).content_version
    key = _key(version, root, prefixes)
    kept = memo.entries.get(key)
    if kept is not None:
        return kept
    # A document in the library (``/library/42-pan-sussex-mou/``): the kept walk to the library
    # page itself, when the library's own routes answer the rest of the address.
    for level in range(len(prefixes) - 1, 0, -1):
        # From the shared cache too: this process's memo may have been emptied (it is bounded)
        # or never held it (another worker kept the walk).
        shorter = memo.peek(_key(version, root, prefixes[:level]))
        if shorter is not None:
            last = prefixes[level - 1]
            if _answers_itself(shorter[last], prefixes[-1][len(last) :]):
                return shorter
            break
    found: dict[str, Step] = {}

    def look_up():
        found.update(
            (url_path, Step(page_id, depth, content_type_id))
            for page_id, depth, url_path, content_type_id in Page.objects.filter(
                url_path__in=prefixes, path__startswith=root.path
            ).values_list("id", "depth", "url_path", "content_type_id")
        )
        # Kept (and never changed afterwards) only when every component is a page.
        return dict(found) if len(found) == len(prefixes) else None

    kept = memo.get_or_set(key, look_up, TIMEOUT)
    if kept is not None:
        return kept
    # Not every component is a page: keep the walk to a routable page that answers the rest
    # itself, under that page's own address (bounded by the pages that exist).
    for level, url_path in enumerate(prefixes, start=1):
        if url_path not in found:
            break
        if _answers_itself(found[url_path], prefixes[-1][len(url_path) :]):
            walk = {p: found[p] for p in prefixes[:level]}
            memo.get_or_set(_key(version, root, prefixes[:level]), lambda walk=walk: walk, TIMEOUT)
            break
    return found

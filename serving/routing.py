"""Route a request to its page in two queries, whatever its depth.

Wagtail walks the tree one level at a time: for /schemes/pan-sussex/ it loads each page and
then its specific class, two queries a level. Each page's ``url_path`` already spells out that
walk, so all the pages on the way are found in one query. The walk is then replayed in
memory: the first page on the way whose class routes for itself (a routable page such as the
document library) is handed the rest of the path, exactly as Wagtail's walk would hand it,
and otherwise the last page answers if it is live. Only that page is loaded as its specific
class (the second query).

A page deleted while the request is routed is simply not found (404), never an error.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from wagtail.models import Page


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
    on_the_way = {
        page.url_path: page
        for page in Page.objects.filter(url_path__in=prefixes, path__startswith=root.path).only(
            "id", "path", "depth", "url_path", "content_type_id", "live"
        )
    }
    for level, url_path in enumerate(prefixes, start=1):
        page = on_the_way.get(url_path)
        if page is None or page.depth != root.depth + level:
            raise Http404
        remaining = path_components[level:]
        page_class = page.specific_class
        if page_class is None:
            raise Http404
        if not remaining or page_class.route is not Page.route:
            specific = page.specific
            if not isinstance(specific, page_class):
                raise Http404  # its specific row went between the two queries
            return specific.route(request, remaining)
    raise Http404  # not reached: the last level has nothing remaining

"""The site chrome (main navigation and footer links): content, built once per kind of viewer.

Which links a viewer gets depends only on the pages hidden from them and whether they may
edit (``serving.viewer``): the chrome is kept under exactly that, with the content version,
so two viewers who may see the same pages share it and nobody gets a link they may not see.
"""

import secrets
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.models import Page

from serving.version import memo
from serving.viewer import viewer_for

TIMEOUT = 60 * 60


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    page_id: int


@dataclass(frozen=True)
class Chrome:
    menu: tuple[Link, ...]
    footer: tuple[Link, ...]
    # Whether the viewer may open the editing interface (the header's "Editing" link), and
    # edit pages (its "Edit this page" link).
    can_edit: bool = False
    can_edit_pages: bool = False


def build_chrome(site, viewer) -> Chrome:
    children = Page.objects.child_of(site.root_page).live().specific().order_by("path")
    menu, footer = [], []
    for page in children:
        if not viewer.may_see_page(page.path):
            continue
        link = Link(title=page.title, url=page.relative_url(site), page_id=page.pk)
        if page.show_in_menus:
            menu.append(link)
        if getattr(page, "show_in_footer", False):
            footer.append(link)
    return Chrome(
        menu=tuple(menu), footer=tuple(footer), can_edit=viewer.can_edit, can_edit_pages=viewer.can_edit_pages
    )


@dataclass(frozen=True)
class TrailStep:
    title: str
    url: str
    is_home: bool


def trail_for(request, page) -> tuple[TrailStep, ...]:
    """The breadcrumb trail above ``page``: its ancestors below the tree's root, home first.

    The same for everybody who may see the page (whoever passes a page's restrictions passes
    its ancestors'), so it is kept per content version, site and page, not per viewer.
    """
    from wagtail.models import Site

    site = Site.find_for_request(request)
    if site is None or page.depth <= 2:
        return ()

    def build():
        ancestors = Page.objects.ancestor_of(page).filter(depth__gt=1).order_by("path")
        return tuple(
            TrailStep(title=ancestor.title, url=ancestor.relative_url(site), is_home=ancestor.depth == 2)
            for ancestor in ancestors.only("id", "path", "depth", "title", "url_path")
        )

    key = f"page-trail:{viewer_for(request).content_version}:{site.pk}:{page.path}"
    return memo.get_or_set(key, build, TIMEOUT)


def chrome_for(request) -> Chrome:
    from wagtail.models import Site

    site = Site.find_for_request(request)
    if site is None:
        return Chrome(menu=(), footer=())
    viewer = viewer_for(request)
    key = f"site-chrome:{viewer.content_version}:{site.pk}:{viewer.chrome_key}"
    return memo.get_or_set(key, lambda: build_chrome(site, viewer), TIMEOUT)


# Where the search box's value goes in a kept header: rendered with this in its place, then cut
# there. Random per process, so no page title or menu label can hold it; the kept parts carry
# nothing of it, so processes share them.
QUERY_SLOT = f"search-query-{secrets.token_hex(12)}"


def chrome_facts(request) -> str:
    """What a kept piece of the page's frame (the header, the search page around its results)
    depends on besides itself: the content version, the site, what decides the chrome (the
    pages hidden from the viewer, whether they may edit), whether they are signed in, and the
    language."""
    from wagtail.models import Site

    viewer = viewer_for(request)
    site = Site.find_for_request(request)
    facts = (viewer.content_version, getattr(site, "pk", 0), viewer.chrome_key, int(viewer.is_authenticated))
    return ":".join(map(str, (*facts, get_language() or "")))


def header_html(request, page, search_query: str = "") -> SafeString:
    """The site header (brand, search box, account links, main navigation) for this request.

    It holds nothing about the person beyond whether they are signed in and what decides the
    chrome (the pages hidden from them, whether they may edit), so it is rendered once per
    content version, site, chrome, page (its "current" link and "Edit this page") and language,
    and kept; a header whose search box repeats a search (the search pages) is kept in two
    parts, around the box's value, and the query put between them.
    """
    viewer = viewer_for(request)
    match = getattr(request, "resolver_match", None)
    context = {
        "signed_in": viewer.is_authenticated,
        "chrome": chrome_for(request),
        "page_pk": page.pk if isinstance(page, Page) else None,
        "in_forum": match is not None and match.namespace == "forum",
        "search_query": search_query or "",
    }
    key = f"site-header:{chrome_facts(request)}:{context['page_pk']}:{int(context['in_forum'])}"
    if context["search_query"]:
        # Kept as the HTML before and after the search box's value, which is filled in here.
        def build_parts():
            html = render_to_string("includes/header.html", {**context, "search_query": QUERY_SLOT})
            parts = tuple(html.split(QUERY_SLOT))
            return parts if len(parts) == 2 else None

        parts = memo.get_or_set(f"{key}:search-box", build_parts, TIMEOUT)
        if parts is None:  # the header shows the query other than once: rendered each time
            return mark_safe(render_to_string("includes/header.html", context))
        return mark_safe(parts[0] + escape(context["search_query"]) + parts[1])
    return memo.get_or_set(key, lambda: mark_safe(render_to_string("includes/header.html", context)), TIMEOUT)

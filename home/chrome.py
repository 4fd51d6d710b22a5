"""The site chrome (main navigation and footer links): content, built once per kind of viewer.

Which links a viewer gets depends only on the pages hidden from them and whether they may
edit (``serving.viewer``): the chrome is kept under exactly that, with the content version,
so two viewers who may see the same pages share it and nobody gets a link they may not see.
"""

from dataclasses import dataclass

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


def chrome_for(request) -> Chrome:
    from wagtail.models import Site

    site = Site.find_for_request(request)
    if site is None:
        return Chrome(menu=(), footer=())
    viewer = viewer_for(request)
    key = f"site-chrome:{viewer.content_version}:{site.pk}:{viewer.chrome_key}"
    return memo.get_or_set(key, lambda: build_chrome(site, viewer), TIMEOUT)

"""The site chrome (main navigation and footer links), built once per audience and cached.

A viewer's audience is what decides which restricted pages they may see: anonymous, or
signed in with a given set of groups. Two viewers with the same audience see the same chrome,
so caching by audience never hands one person's navigation to someone who may not see it.
Publishing, moving or restricting pages bumps a version number that retires every entry.
"""

import time
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.cache import cache
from wagtail.models import Page, PageViewRestriction, Site

VERSION_KEY = "site-chrome:version"
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
    # Whether this audience's groups open the editing interface (the header link and the
    # Wagtail user bar), so that pages need not load every viewer's permissions.
    can_edit: bool = False


class VersionedMemo:
    """A per-process copy of cache entries whose keys carry the version number.

    Such an entry never changes under its key (a change makes a new version, hence a new key),
    so each worker can keep what it has read from the shared cache and skip reading (and
    unpickling) it again; only the version itself is read from the shared cache per request.
    Only for immutable values (the chrome's frozen dataclasses), as requests share them.
    """

    def __init__(self, size: int = 512):
        self.size = size
        self.entries: dict = {}

    def get_or_set(self, key: str, build, timeout: int):
        value = self.entries.get(key)
        if value is not None:
            return value
        value = cache.get(key)
        if value is None:
            value = build()
            if value is None:
                return None
            cache.set(key, value, timeout)
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[key] = value
        return value


memo = VersionedMemo()


def bump_version() -> None:
    # A fresh clock reading rather than an increment: if the cache ever drops the key, the
    # next version is still one no earlier entry was stored under.
    cache.set(VERSION_KEY, time.time_ns(), None)


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def version_for(request) -> int:
    """The current version, read from the shared cache once per request: the site, the chrome
    and the page caches all key on it."""
    version = getattr(request, "_content_version", None)
    if version is None:
        version = request._content_version = current_version()
    return version


# Marks, among a person's audience ids, permissions granted to the person directly.
DIRECT_PERMISSIONS = -1


def audience_ids(user) -> frozenset[int]:
    """The person's group ids, plus ``DIRECT_PERMISSIONS`` if any permission is granted to them
    directly: one query, kept on the user object for the rest of the request."""
    ids = getattr(user, "_audience_ids", None)
    if ids is None:
        from django.contrib.auth import get_user_model
        from django.db.models import IntegerField, Value

        model = get_user_model()
        groups = model.groups.through.objects.filter(user_id=user.pk).values_list("group_id", flat=True)
        direct = (
            model.user_permissions.through.objects.filter(user_id=user.pk)
            .annotate(marker=Value(DIRECT_PERMISSIONS, output_field=IntegerField()))
            .values_list("marker", flat=True)
        )
        ids = frozenset(groups.union(direct))
        user._audience_ids = ids
    return ids


def audience(user) -> tuple:
    if not user.is_authenticated:
        return ("anonymous",)
    if user.is_superuser:
        return ("superuser",)
    return ("user", *sorted(i for i in audience_ids(user) if i != DIRECT_PERMISSIONS))


def _may_see(path: str, restrictions: list[tuple[str, str, frozenset]], viewer: tuple) -> bool:
    """Whether a viewer of this audience passes every restriction on the page or above it."""
    for restriction_path, kind, group_ids in restrictions:
        if not path.startswith(restriction_path):
            continue
        if viewer[0] == "superuser":
            continue
        if kind == PageViewRestriction.LOGIN and viewer[0] == "anonymous":
            return False
        if kind == PageViewRestriction.GROUPS and (
            viewer[0] == "anonymous" or not group_ids.intersection(viewer[1:])
        ):
            return False
        if kind == PageViewRestriction.PASSWORD:
            return False
    return True


def build_chrome(site: Site, viewer: tuple) -> Chrome:
    root = site.root_page
    restrictions = [
        (r.page.path, r.restriction_type, frozenset(g.pk for g in r.groups.all()))
        for r in PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    ]
    children = Page.objects.child_of(root).live().specific().order_by("path")
    menu, footer = [], []
    for page in children:
        if not _may_see(page.path, restrictions, viewer):
            continue
        link = Link(title=page.title, url=page.relative_url(site), page_id=page.pk)
        if page.show_in_menus:
            menu.append(link)
        if getattr(page, "show_in_footer", False):
            footer.append(link)
    return Chrome(menu=tuple(menu), footer=tuple(footer), can_edit=_can_edit(viewer))


def _can_edit(viewer: tuple) -> bool:
    if viewer[0] == "superuser":
        return True
    if viewer[0] != "user" or len(viewer) == 1:
        return False
    return Permission.objects.filter(
        group__in=viewer[1:], content_type__app_label="wagtailadmin", codename="access_admin"
    ).exists()


def chrome_for(request) -> Chrome:
    site = Site.find_for_request(request)
    if site is None:
        return Chrome(menu=(), footer=())
    viewer = audience(request.user)
    key = f"site-chrome:{version_for(request)}:{site.pk}:{'-'.join(map(str, viewer))}"
    return memo.get_or_set(key, lambda: build_chrome(site, viewer), TIMEOUT)

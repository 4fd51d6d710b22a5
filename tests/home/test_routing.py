import io

import pytest
from django.core.management import call_command
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page, Site

from home.models import StandardPage
from serving.version import memo

pytestmark = pytest.mark.django_db

PATHS = [
    "/",
    "/about/",
    "/schemes/",
    "/schemes/pan-sussex/",
    "/schemes/pan-sussex/nothing-here/",
    "/schemes/no-such-scheme/",
    "/library/",
    "/library/1-pan-sussex-mou/",
    "/library/999999-nowhere/",
    "/library/1/compare/",
    "/library/not-a-route/deeper/",
    "/members/",
    "/about/history/",
    "/about/draft-child/",
    "/nope/",
    "/nope/deeper/still/",
]


def wagtail_walk(root, request, components):
    """Wagtail's own routing: one level at a time from the root page."""
    return Page.route(root, request, components)


def outcome(route, root, path):
    request = RequestFactory().get(path)
    components = [c for c in path.split("/") if c]
    try:
        result = route(root, request, components)
    except Http404:
        return "404"
    page, args, kwargs = result
    view_args = args[1:] if args else args  # the view function itself differs by identity only
    return (page.pk, type(page).__name__, repr(view_args), kwargs)


def test_fast_routing_finds_what_wagtail_finds(db):
    call_command("load_demo", stdout=io.StringIO())
    about = StandardPage.objects.get(slug="about")
    history = StandardPage(title="Our history", slug="history", summary="How it began.")
    about.add_child(instance=history)
    history.save_revision().publish()
    draft = StandardPage(title="Draft", slug="draft-child", summary="Not yet.", live=False)
    about.add_child(instance=draft)

    root = Site.objects.get(is_default_site=True).root_page.specific
    for path in PATHS:
        assert outcome(type(root).route, root, path) == outcome(wagtail_walk, root, path), path
    # Again with every walk kept (the library's own routes answered from the walk to it), in
    # the other order too: what was kept for one address never misroutes another.
    for path in [*PATHS, *reversed(PATHS)]:
        assert outcome(type(root).route, root, path) == outcome(wagtail_walk, root, path), path


def test_a_document_in_the_library_routes_from_the_kept_walk_to_the_library(
    db, django_assert_max_num_queries
):
    call_command("load_demo", stdout=io.StringIO())
    root = Site.objects.get(is_default_site=True).root_page.specific
    request = RequestFactory().get("/")
    root.route(request, ["library", "1-pan-sussex-mou"])  # walks, keeps the walk to the library
    with django_assert_max_num_queries(1):  # the library page itself, nothing to find it
        page, args, _ = root.route(request, ["library", "2-another-document"])
    assert page.slug == "library" and args[2] == {"document_id": "2", "slug": "another-document"}
    # This process's memo is bounded (emptied when full) and another worker may have kept the
    # walk: the walk is then read from the shared cache, still without a query to find it.
    memo.entries.clear()
    with django_assert_max_num_queries(1):
        page, args, _ = root.route(request, ["library", "3-a-third"])
    assert page.slug == "library" and args[2] == {"document_id": "3", "slug": "a-third"}


def test_deep_pages_take_two_routing_queries(db, django_assert_max_num_queries):
    call_command("load_demo", stdout=io.StringIO())
    root = Site.objects.get(is_default_site=True).root_page.specific
    assert Page.objects.get(url_path="/home/schemes/pan-sussex/").specific_class  # warms the content types
    with django_assert_max_num_queries(2):
        page, _, _ = root.route(RequestFactory().get("/"), ["schemes", "pan-sussex"])
    assert page.slug == "pan-sussex"

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Page, PageViewRestriction

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 10


def search(request):
    """Site search over the pages the viewer may see."""
    raw_query = request.GET.get("q", "")
    query = " ".join("".join(ch for ch in raw_query if ch.isprintable()).split())
    notice = None
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH]
        notice = _("Your search was shortened to its first %(n)s characters.") % {"n": MAX_QUERY_LENGTH}
    results = None
    if query:
        pages = _visible_to(Page.objects.live().exclude(depth__lte=1), request)
        hits = pages.specific().search(query)
        paginator = Paginator(hits, PAGE_SIZE)
        try:
            results = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            results = paginator.page(1)
        except EmptyPage:
            results = paginator.page(paginator.num_pages)
    return render(
        request,
        "search/search.html",
        {"search_query": query, "results": results, "notice": notice},
    )


def _visible_to(pages, request):
    """Pages minus those under a restriction this viewer does not pass."""
    for restriction in PageViewRestriction.objects.select_related("page").prefetch_related("groups"):
        if not restriction.accept_request(request):
            pages = pages.not_descendant_of(restriction.page, inclusive=True)
    return pages

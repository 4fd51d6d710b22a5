"""Registers the pages source of the site search (see ``sources.py``) and the search
vocabulary snippet (``models.SearchTerm``)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SearchTerm
from .sources import HOOK_NAME, PageSource


@hooks.register(HOOK_NAME, order=-10)
def pages_search_source():
    return PageSource()


class SearchTermViewSet(SnippetViewSet):
    model = SearchTerm
    icon = "search"
    menu_label = _("Search vocabulary")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["term", "meanings", "two_way", "match_case"]
    search_fields = ["term", "meanings"]
    ordering = ["term"]


register_snippet(SearchTermViewSet)


@hooks.register("register_cache_retiring_models")
def vocabulary_retires_cached_searches():
    """The parsed vocabulary is cached per content version."""
    return [SearchTerm]

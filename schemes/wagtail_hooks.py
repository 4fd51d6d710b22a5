from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Organisation, Workstream


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name"]
    ordering = ["name"]


class WorkstreamViewSet(SnippetViewSet):
    model = Workstream
    icon = "tag"
    menu_label = _("Workstreams")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomy")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (OrganisationViewSet, WorkstreamViewSet)


register_snippet(TaxonomyGroup)


@hooks.register("register_cache_retiring_models")
def taxonomy_retires_cached_pages():
    """Scheme pages, the library and search facets show organisations and workstreams."""
    return [Organisation, Workstream]

"""The forum in the Wagtail admin: moderators' review queue and log, groups and memberships."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from serving.viewer import viewer_for

from . import admin_urls
from .models import ForumGroup, Membership
from .permissions import is_site_moderator


@hooks.register("register_admin_urls")
def register_forum_moderation_urls():
    return [path("forum-moderation/", include(admin_urls, namespace="forum_moderation"))]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return is_site_moderator(viewer_for(request))


@hooks.register("register_admin_menu_item")
def register_review_queue_menu_item():
    return ModerationMenuItem(
        _("Forum review queue"), reverse("forum_moderation:queue"), icon_name="warning", order=660
    )


class ConsultationsMenuItem(MenuItem):
    def is_shown(self, request):
        return viewer_for(request).can_edit_documents


@hooks.register("register_admin_menu_item")
def register_consultations_menu_item():
    return ConsultationsMenuItem(
        _("Consultations"), reverse("forum_moderation:consultations"), icon_name="doc-full", order=665
    )


class ForumGroupViewSet(ModelViewSet):
    model = ForumGroup
    icon = "group"
    menu_label = _("Forum groups")
    add_to_admin_menu = True
    menu_order = 670
    list_display = ["name", "kind", "visibility", "scheme"]
    form_fields = ["name", "slug", "kind", "description", "scheme", "visibility", "join_by_request"]
    search_fields = ["name"]


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Forum memberships")
    add_to_admin_menu = True
    menu_order = 671
    list_display = ["user", "group", "role"]
    list_filter = ["group", "role"]
    form_fields = ["group", "user", "role"]


@hooks.register("register_admin_viewset")
def register_forum_viewsets():
    return [ForumGroupViewSet("forum_groups"), MembershipViewSet("forum_memberships")]


@hooks.register("register_cache_retiring_models")
def forum_groups_retire_cached_pages():
    # Scheme pages (shared per audience) may list their open groups; document pages show
    # their consultation's comment counts (a comment saves the consultation).
    from .models import Consultation

    return [ForumGroup, Consultation]


@hooks.register("document_page_sections")
def consultation_on_document_page(visibility, document):
    """Given the viewer's ``Visibility`` (the section is kept per visibility): counts of an
    open group's thread only, the same for everyone who may see the document."""
    from .consultation import document_section

    return document_section(document)


@hooks.register("register_site_search_source")
def discussions_search_source():
    """Topics and posts in the site search, labelled "Discussion" (``search_source.py``)."""
    from .search_source import DiscussionSource

    return DiscussionSource()

"""Admin integration and the download permission rule for Wagtail's own document views."""

from wagtail import hooks

from .permissions import can_download_document
from .views import deny


@hooks.register("before_serve_document", order=-10)
def members_only_documents(document, request):
    """Apply the library's rule (members only, drafts for editors) before Wagtail's own checks.

    ``documents.urls`` already asks this for every download; the hook also covers any route to
    Wagtail's serve view that bypasses it.
    """
    if not can_download_document(request, document):
        return deny(request, document)
    return None


@hooks.register("register_site_search_source")
def governance_documents_search_source():
    from .search_source import DocumentSource

    return DocumentSource()


@hooks.register("register_scheme_page_section")
def governance_documents_scheme_section():
    """A scheme page's MoU, governance documents and adaptations (``schemes.sections``)."""
    from schemes.sections import SchemeSection

    from .scheme_section import scheme_documents

    return SchemeSection(
        key="documents",
        order=10,
        template="documents/includes/scheme_documents.html",
        context=scheme_documents,
    )


@hooks.register("register_cache_retiring_models")
def documents_retire_cached_pages():
    """Documents, their collections, who may see a collection and who may edit documents."""
    from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission

    from .models import DocumentText, GovernanceDocument

    return [
        GovernanceDocument,
        DocumentText,  # a reading finished: page counts, "could not be read", comparisons
        Collection,
        CollectionViewRestriction,
        CollectionViewRestriction.groups,
        GroupCollectionPermission,
    ]


@hooks.register("register_admin_urls", order=-10)
def document_workbench_urls():
    """Our list, form and deletion at Wagtail's own addresses (registered before Wagtail's, so
    they answer first), and "Upload a new version" (``admin_views``)."""
    from django.urls import include, path

    from . import admin_views

    return [
        path("documents/", admin_views.DocumentIndexView.as_view(), name="documents_workbench_index"),
        path(
            "documents/results/",
            admin_views.DocumentIndexView.as_view(results_only=True),
            name="documents_workbench_index_results",
        ),
        path("documents/add/", admin_views.DocumentCreateView.as_view()),
        path("documents/edit/<int:document_id>/", admin_views.DocumentEditView.as_view()),
        path("documents/delete/<int:document_id>/", admin_views.DocumentDeleteView.as_view()),
        path("documents/multiple/<int:doc_id>/delete/", admin_views.MultipleDeleteView.as_view()),
        path(
            "documents/",
            include(
                (
                    [
                        path(
                            "<int:document_id>/new-version/",
                            admin_views.NewVersionView.as_view(),
                            name="new_version",
                        )
                    ],
                    "documents_admin",
                ),
                namespace="documents_admin",
            ),
        ),
    ]


@hooks.register("before_bulk_action")
def documents_refuse_bulk_deletion(request, action_type, objects, action):
    """The list's bulk delete never removes a family's only or current version."""
    from .admin_views import refuse_bulk_deletion

    return refuse_bulk_deletion(request, action_type, objects, action)

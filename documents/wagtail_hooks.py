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

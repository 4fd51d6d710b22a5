"""A scheme's governance documents on its page (``schemes.sections``): its current MoU, its
other current governance documents, and the other schemes' documents adapted from its own.

One query whatever the number of documents (the scheme's own and those adapted from them, with
their collections), then the viewer's collection rule (``visibility_for``) in memory: a
members-only document is never listed to a visitor. What is listed depends on the viewer's
audience only (which collections they may see), as a scheme page shared per audience must.
"""

from django.db.models import Q

from .models import CURRENT_STATUSES, DocumentKind, DocumentStatus, GovernanceDocument
from .permissions import visibility_for
from .selectors import library_url

FIELDS = (
    "pk",
    "title",
    "kind",
    "status",
    "version_label",
    "effective_date",
    "created_at",
    "scheme_id",
    "adapted_from_id",
    "collection__path",
    "scheme__title",
    "adapted_from__scheme_id",
)


def scheme_documents(scope, scheme) -> dict | None:
    documents = list(
        GovernanceDocument.objects.filter(
            Q(scheme=scheme) | Q(adapted_from__scheme=scheme), status__in=CURRENT_STATUSES
        )
        .select_related("collection", "scheme", "adapted_from")
        .only(*FIELDS)
        .order_by("-effective_date", "-created_at", "-pk")
    )
    if not documents:
        return None
    visibility = visibility_for(scope)
    documents = [d for d in documents if not visibility.hides(d.collection.path)]
    base = library_url() or ""
    for document in documents:
        document.library_url = f"{base}{document.pk}-{document.slug}/" if base else ""
    own = [d for d in documents if d.scheme_id == scheme.pk]
    mous = [d for d in own if d.kind == DocumentKind.MOU]
    current_mou = next((d for d in mous if d.status == DocumentStatus.AGREED), mous[0] if mous else None)
    adapted = [d for d in documents if d.scheme_id != scheme.pk]
    adapted.sort(key=lambda d: (d.scheme.title if d.scheme_id else d.title).casefold())
    if not (own or adapted):
        return None
    return {
        "current_mou": current_mou,
        "others": [d for d in own if d is not current_mou],
        "adaptations": adapted,
    }

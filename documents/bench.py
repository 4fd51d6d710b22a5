"""Synthetic governance documents for the library benchmark (rows only, no files)."""

import datetime
import random
import uuid

from django.utils import timezone
from wagtail.models import Collection

from schemes.models import Organisation, Workstream

from .models import DocumentKind, DocumentStatus, DocumentText, DocumentWorkstream, GovernanceDocument

PREFIX = "Bench governance document"


def seed_documents(*, count: int, rng: random.Random | None = None) -> int:
    """Top the library up to ``count`` documents, spread over organisations, kinds, statuses
    and workstreams like a busy national library. Returns how many were added."""
    rng = rng or random.Random(2026)
    missing = count - GovernanceDocument.objects.count()
    if missing <= 0:
        return 0
    organisations = list(Organisation.objects.all())
    workstreams = list(Workstream.objects.all())
    root = Collection.get_first_root_node()
    statuses = [DocumentStatus.AGREED] * 5 + [DocumentStatus.IN_CONSULTATION, DocumentStatus.SUPERSEDED] * 2
    now = timezone.now()
    documents = []
    for i in range(missing):
        organisation = rng.choice(organisations)
        documents.append(
            GovernanceDocument(
                title=f"{PREFIX} {i:05d}: {rng.choice(['Memorandum', 'Agreement', 'Terms', 'Protocol'])} "
                f"for {organisation.name}",
                file=f"documents/bench-{i}.pdf",
                file_size=120_000,
                collection=root,
                kind=rng.choice(DocumentKind.values),
                status=rng.choice(statuses),
                organisation=organisation,
                region=organisation.region,
                family=uuid.uuid4(),
                summary="How the partners share case information on the shared case management system.",
                effective_date=datetime.date(2014, 1, 1) + datetime.timedelta(days=rng.randrange(4000)),
                review_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(1500)),
            )
        )
    created = GovernanceDocument.objects.bulk_create(documents, batch_size=1000)
    DocumentText.objects.bulk_create(
        [DocumentText(document=document, status="done", extracted_at=now) for document in created],
        batch_size=1000,
    )
    DocumentWorkstream.objects.bulk_create(
        [
            DocumentWorkstream(content_object=document, tag=tag)
            for document in created
            for tag in rng.sample(workstreams, k=min(len(workstreams), rng.randint(1, 3)))
        ],
        batch_size=2000,
    )
    return len(created)

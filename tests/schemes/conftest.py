"""Fixtures for the schemes: the index, schemes built as editors would, and volume in bulk."""

import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Locale, Page

from schemes.models import (
    Organisation,
    OrganisationKind,
    Region,
    SchemeIndexPage,
    SchemePage,
    SchemePartner,
    SchemeWorkstreamUse,
    Workstream,
    WorkstreamUse,
)
from tests.documents.conftest import (  # noqa: F401 - fixtures shared with the library's tests
    home,
    library,
    make_document,
    members_collection,
)


@pytest.fixture
def index(home):  # noqa: F811 - the fixture imported above
    page = SchemeIndexPage(title="Schemes", slug="schemes")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def workstream(slug: str) -> Workstream:
    return Workstream.objects.get(slug=slug)


@pytest.fixture
def make_scheme(index, organisation):
    """``make_scheme("Pan-Sussex", uses=[("hate-crime", "live", date)], partners=[(org, role, date)])``."""

    def make(title="Pan-Sussex", *, region=Region.SOUTH_EAST, uses=(), partners=(), parent=None, **fields):
        page = SchemePage(
            title=title,
            slug=fields.pop("slug", title.lower().replace(" ", "-")),
            summary=fields.pop("summary", f"The {title} scheme."),
            lead_force=fields.pop("lead_force", organisation),
            region=region,
            **fields,
        )
        page.workstream_uses = [
            SchemeWorkstreamUse(workstream=workstream(slug), status=status, started_on=started)
            for slug, status, started in uses
        ]
        page.partner_roles = [
            SchemePartner(organisation=org, role=role, joined_on=joined) for org, role, joined in partners
        ]
        (parent or index).add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return make


def council(name: str, region=Region.SOUTH_EAST) -> Organisation:
    return Organisation.objects.get_or_create(
        name=name, defaults={"kind": OrganisationKind.DISTRICT_COUNCIL, "region": region}
    )[0]


def bulk_schemes(index: SchemeIndexPage, count: int, *, lead_force: Organisation, uses_per_scheme: int = 1):
    """``count`` live scheme pages under ``index`` and their workstream uses, as rows (Django
    cannot ``bulk_create`` a page model, whose row is split over two tables): fast at 5,000."""
    index.refresh_from_db()
    start = Page.objects.get(pk=index.pk).numchild
    content_type = ContentType.objects.get_for_model(SchemePage)
    locale = Locale.get_default()
    now = timezone.now()
    regions = [value for value in Region.values if value != Region.NATIONAL]
    pages = [
        Page(
            title=f"Bulk scheme {n:05d}",
            draft_title=f"Bulk scheme {n:05d}",
            slug=f"bulk-scheme-{n}",
            content_type=content_type,
            path=Page._get_path(index.path, index.depth + 1, n),
            depth=index.depth + 1,
            numchild=0,
            url_path=f"{index.url_path}bulk-scheme-{n}/",
            live=True,
            locale=locale,
            translation_key=uuid.uuid4(),
            first_published_at=now,
            last_published_at=now,
        )
        for n in range(start + 1, start + count + 1)
    ]
    pages = Page.objects.bulk_create(pages, batch_size=500)  # primary keys back on both databases
    schemes = []
    for i, page in enumerate(pages):
        scheme = SchemePage(
            page_ptr_id=page.pk,
            summary="A scheme in bulk.",
            lead_force=lead_force,
            region=regions[i % len(regions)],
        )
        scheme.__dict__.update({f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields})
        schemes.append(scheme)
    fields = SchemePage._meta.local_concrete_fields
    for batch in range(0, len(schemes), 400):
        SchemePage.objects._insert(schemes[batch : batch + 400], fields=fields)
    Page.objects.filter(pk=index.pk).update(numchild=start + count)
    workstreams = list(Workstream.objects.order_by("pk")[:uses_per_scheme])
    statuses = WorkstreamUse.values
    SchemeWorkstreamUse.objects.bulk_create(
        [
            SchemeWorkstreamUse(
                scheme_id=scheme.pk,
                workstream=w,
                status=statuses[(i + j) % len(statuses)],
                started_on=datetime.date(2015 + i % 10, 1 + j % 12, 1),
                sort_order=j,
            )
            for i, scheme in enumerate(schemes)
            for j, w in enumerate(workstreams)
        ],
        batch_size=1000,
    )
    return schemes

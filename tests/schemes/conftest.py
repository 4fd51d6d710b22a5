"""Fixtures for the schemes: the index, schemes built as editors would, and volume in bulk."""

import datetime

import pytest

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
from tests.factories import bulk_pages


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
    """``count`` live scheme pages under ``index`` (``tests.factories.bulk_pages``), spread over
    the regions, and their workstream uses: fast at 5,000."""
    schemes = bulk_pages(
        index, SchemePage, count, title="Bulk scheme", summary="A scheme in bulk.", lead_force=lead_force
    )
    regions = [value for value in Region.values if value != Region.NATIONAL]
    for offset, region in enumerate(regions):
        ids = [scheme.pk for scheme in schemes[offset :: len(regions)]]
        SchemePage.objects.filter(pk__in=ids).update(region=region)
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

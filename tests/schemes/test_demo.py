"""The demo schemes: Pan-Sussex as its steering group describes it, three fictional others."""

import datetime
import io

import pytest

from documents.models import GovernanceDocument
from schemes.demo import DEMO_MARK, load_organisations, load_schemes
from schemes.models import OrganisationKind, SchemePage, WorkstreamUse

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    from documents.demo import load_demo_documents
    from home.demo import load_pages

    load_pages(stdout=io.StringIO())
    load_schemes(stdout=io.StringIO(), organisations=load_organisations(stdout=io.StringIO()))
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_documents(stdout=io.StringIO())
    return SchemePage.objects.get(slug="pan-sussex")


def test_pan_sussex_as_described(demo):
    assert demo.meeting_cadence == "Every three months"
    assert demo.steering_group_chair.startswith("Chief superintendent")
    assert demo.supplier_attendance == "Half the meetings"
    kinds = list(demo.partner_roles.values_list("organisation__kind", flat=True))
    assert kinds.count(OrganisationKind.DISTRICT_COUNCIL) == 12
    assert kinds.count(OrganisationKind.COUNTY_COUNCIL) == 2
    for kind in (
        OrganisationKind.TRADING_STANDARDS,
        OrganisationKind.CRIMINAL_JUSTICE_BOARD,
        OrganisationKind.FIRE_AND_RESCUE,
        OrganisationKind.PCC_OFFICE,
    ):
        assert kind in kinds
    assert demo.partners.count() == len(kinds)
    uses = {
        u.workstream.slug: (u.status, u.started_on) for u in demo.workstream_uses.select_related("workstream")
    }
    for slug in ("anti-social-behaviour", "hate-crime", "street-homelessness"):
        assert uses[slug][0] == WorkstreamUse.LIVE
    for slug in ("youth-offending-deterrence", "fly-tipping", "taxi-licensing"):
        assert uses[slug][0] == WorkstreamUse.PILOT
    assert uses["restorative-justice"] == (WorkstreamUse.LIVE, datetime.date(2015, 3, 1))
    assert uses["integrated-offender-management"] == (WorkstreamUse.LIVE, datetime.date(2015, 8, 1))
    assert (
        "registered social landlords, adult social care, mental health and environmental health" in demo.body
    )
    assert any("cut the time taken to share information" in s.value for s in demo.successes)


def test_three_more_schemes_marked_as_demo_content(demo):
    others = SchemePage.objects.exclude(pk=demo.pk)
    assert others.count() == 3
    assert all(DEMO_MARK in scheme.body for scheme in others)
    assert DEMO_MARK not in demo.body


def test_its_mou_was_adapted_by_other_forces(demo, client, member):
    adapted = GovernanceDocument.objects.filter(adapted_from__scheme=demo)
    assert {d.scheme.slug for d in adapted} == {"thames-valley", "greater-manchester"}
    response = client.get(demo.url)
    assert response.status_code == 200
    assert "Pan-Sussex Memorandum of Understanding" not in response.content.decode()  # members only
    client.force_login(member)
    html = client.get(demo.url).content.decode()
    assert "Pan-Sussex Memorandum of Understanding" in html
    assert "Adapted by other schemes" in html and "Thames Valley Memorandum of Understanding" in html
    matrix = client.get("/schemes/")
    assert [row.scheme.title for row in matrix.context["matrix"].rows] == [
        "Greater Manchester",
        "Pan-Sussex",
        "Thames Valley",
        "Wessex Vale",
    ]

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction

from accounts import roles
from accounts.models import User
from schemes.models import Organisation, OrganisationKind, SchemePage

pytestmark = pytest.mark.django_db

SUSSEX_DISTRICTS = {
    "Eastbourne Borough Council",
    "Hastings Borough Council",
    "Lewes District Council",
    "Rother District Council",
    "Wealden District Council",
    "Adur District Council",
    "Arun District Council",
    "Chichester District Council",
    "Crawley Borough Council",
    "Horsham District Council",
    "Mid Sussex District Council",
    "Worthing Borough Council",
}


def snapshot():
    return (
        sorted(Organisation.objects.values_list("name", "kind", "region")),
        sorted(Page.objects.values_list("url_path", "live", "latest_revision_id")),
        sorted(User.objects.values_list("email", "password", "approval_status")),
        PageViewRestriction.objects.count(),
    )


def test_load_demo_builds_the_pan_sussex_site_and_is_safe_to_run_twice():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "the passwords are shown only now" in out.getvalue()

    districts = set(
        Organisation.objects.filter(kind=OrganisationKind.DISTRICT_COUNCIL).values_list("name", flat=True)
    )
    assert SUSSEX_DISTRICTS <= districts
    for name in (
        "Sussex Police",
        "East Sussex County Council",
        "West Sussex County Council",
        "Sussex Criminal Justice Board",
        "East Sussex Fire and Rescue Service",
        "Office of the Sussex Police and Crime Commissioner",
        "East Sussex Trading Standards",
    ):
        assert Organisation.objects.filter(name=name).exists(), name
    pan_sussex = SchemePage.objects.get(slug="pan-sussex")
    assert pan_sussex.live and pan_sussex.partners.count() >= 20
    for role in roles.ALL_ROLES:
        assert Group.objects.get(name=role).user_set.exists(), role
    assert User.objects.filter(is_superuser=True).exists()
    assert User.objects.filter(approval_status="pending").exists()

    before = snapshot()
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert snapshot() == before
    assert "the passwords are shown only now" not in again.getvalue()


def test_demo_pages_render(client):
    call_command("load_demo", stdout=io.StringIO())
    for path in (
        "/",
        "/about/",
        "/schemes/",
        "/schemes/pan-sussex/",
        "/privacy-notice/",
        "/accessibility-statement/",
    ):
        assert client.get(path).status_code == 200, path


def test_seed_bench_adds_volume_once():
    from schemes.models import OrganisationEmailDomain

    call_command("seed_bench", "--scale", "1", stdout=io.StringIO())
    orgs, people = Organisation.objects.count(), User.objects.count()
    assert orgs >= 100 and people >= 1000
    assert OrganisationEmailDomain.objects.filter(domain__endswith=".bench.gov.uk").count() == 100
    call_command("seed_bench", "--scale", "1", stdout=io.StringIO())
    assert (Organisation.objects.count(), User.objects.count()) == (orgs, people)

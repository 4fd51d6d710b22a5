import pytest
from django.core.exceptions import ValidationError

from schemes.models import Organisation, OrganisationEmailDomain, OrganisationKind, Region, Workstream
from schemes.selectors import email_domain_candidates, organisations_for_email

pytestmark = pytest.mark.django_db

SEEDED = [
    "anti-social-behaviour",
    "hate-crime",
    "street-homelessness",
    "restorative-justice",
    "integrated-offender-management",
    "youth-offending-deterrence",
    "fly-tipping",
    "taxi-licensing",
    "domestic-abuse",
    "vulnerable-people",
]


def test_workstreams_are_seeded_by_migration():
    assert set(SEEDED) <= set(Workstream.objects.values_list("slug", flat=True))


def test_workstreams_are_a_controlled_vocabulary():
    assert Workstream.free_tagging is False


def test_editors_can_add_workstreams():
    Workstream.objects.create(name="Licensing of premises", slug="licensing-of-premises")
    assert Workstream.objects.filter(name="Licensing of premises").exists()


def _org(name, *domains):
    org = Organisation.objects.create(
        name=name, kind=OrganisationKind.DISTRICT_COUNCIL, region=Region.SOUTH_EAST
    )
    for domain in domains:
        OrganisationEmailDomain.objects.create(organisation=org, domain=domain)
    return org


def test_email_domain_candidates_include_parents():
    assert email_domain_candidates("a@x.sussex.police.uk") == [
        "x.sussex.police.uk",
        "sussex.police.uk",
        "police.uk",
    ]
    assert email_domain_candidates("no-at-sign") == []


def test_organisation_found_by_domain_and_subdomain():
    hastings = _org("Hastings Borough Council", "hastings.gov.uk")
    assert organisations_for_email("jo@hastings.gov.uk") == [hastings]
    assert organisations_for_email("jo@housing.hastings.gov.uk") == [hastings]
    assert organisations_for_email("JO@HASTINGS.GOV.UK") == [hastings]
    assert organisations_for_email("jo@nothastings.gov.uk") == []
    assert organisations_for_email("jo@gmail.com") == []


def test_shared_domain_returns_every_organisation():
    adur = _org("Adur District Council", "adur-worthing.gov.uk")
    worthing = _org("Worthing Borough Council", "adur-worthing.gov.uk")
    assert organisations_for_email("sam@adur-worthing.gov.uk") == [adur, worthing]


def test_domain_is_validated_and_normalised():
    org = _org("Arun District Council")
    domain = OrganisationEmailDomain(organisation=org, domain="@Arun.GOV.uk ")
    domain.full_clean()
    assert domain.domain == "arun.gov.uk"
    with pytest.raises(ValidationError):
        OrganisationEmailDomain(organisation=org, domain="not a domain").full_clean()


def test_organisation_slug_is_derived_from_name():
    assert _org("Mid Sussex District Council").slug == "mid-sussex-district-council"

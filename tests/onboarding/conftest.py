"""Fixtures for the onboarding route: a pathway with three steps, a scheme and its members."""

import pytest
from wagtail.models import Site

from accounts import roles
from onboarding.models import OnboardingPathwayPage, OnboardingStep
from schemes.models import OrganisationKind, SchemePage
from tests.documents.conftest import make_document, members_collection  # noqa: F401 - fixtures
from tests.factories import OrganisationFactory, SchemeIndexPageFactory, SchemePageFactory

STEP_KEYS = ["steering-group", "mou", "partners"]


def make_pathway(*, links=None, slug="onboarding") -> OnboardingPathwayPage:
    """A live pathway under the home page; ``links`` maps a step key to its raw exemplars."""
    links = links or {}
    home = Site.objects.get(is_default_site=True).root_page
    pathway = OnboardingPathwayPage(
        title="Starting a scheme", slug=slug, introduction="<p>How to start.</p>", show_in_menus=True
    )
    pathway.steps = [
        OnboardingStep(
            key=key,
            title=f"Step about {key}",
            guidance=f"<p>Guidance for {key}.</p>",
            checklist=f"First thing for {key}\nSecond thing for {key}",
            links=links.get(key, []),
        )
        for key in STEP_KEYS
    ]
    home.add_child(instance=pathway)
    pathway.save_revision().publish()
    return OnboardingPathwayPage.objects.get(pk=pathway.pk)


@pytest.fixture
def pathway(db):
    return make_pathway()


@pytest.fixture
def scheme(db, organisation):
    """A live scheme led by Sussex Police (the ``organisation`` fixture), with one partner."""
    page = SchemePageFactory(
        title="Pan-Sussex", slug="pan-sussex", lead_force=organisation, parent=SchemeIndexPageFactory()
    )
    partner = OrganisationFactory(name="Brighton and Hove City Council", domain="brighton-hove.gov.uk")
    page.partners = [partner]
    page.save_revision().publish()
    return SchemePage.objects.get(pk=page.pk)


@pytest.fixture
def partner(scheme):
    return scheme.partners.get()


@pytest.fixture
def outsider_organisation(db):
    return OrganisationFactory(
        name="Cumbria Constabulary", kind=OrganisationKind.POLICE_FORCE, domain="cumbria.police.uk"
    )


@pytest.fixture
def partner_member(make_user, partner):
    return make_user(
        "alex@brighton-hove.gov.uk", organisation_=partner, first_name="Alex", last_name="Morgan"
    )


@pytest.fixture
def outsider(make_user, outsider_organisation):
    return make_user("kim@cumbria.police.uk", organisation_=outsider_organisation)


@pytest.fixture
def national_editor(make_user):
    return make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS)


@pytest.fixture
def contributor(make_user):
    return make_user("writer@sussex.police.uk", role=roles.CONTRIBUTORS)

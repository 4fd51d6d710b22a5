"""Solutions and guides in the site search: found by workstream and organisation names,
labelled "Solution" and "Guide", with workstream and organisation facets (both backends)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from knowledge.models import GuidePage, SolutionPage
from tests.factories import OrganisationFactory, SchemePageFactory, restrict_page

from .factories import GuidePageFactory, SolutionPageFactory, tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(search_backend, index, hate_crime, asb, members_group):
    brighton = OrganisationFactory(name="Brighton & Hove City Council", slug="brighton-hove")
    wealden = OrganisationFactory(name="Wealden District Council", slug="wealden")
    scheme = SchemePageFactory(title="Pan-Sussex")
    tag(
        SolutionPageFactory(
            parent=index, title="Third-party reporting centres", summary="Reports in libraries."
        ),
        hate_crime,
        organisations=[brighton],
        schemes=[scheme],
    )
    tag(GuidePageFactory(parent=index, title="Running a panel", summary="Monthly meetings."), asb)
    secret = tag(
        SolutionPageFactory(parent=index, title="Closed pilot", summary="A hate crime pilot."),
        hate_crime,
        organisations=[wealden],
    )
    restrict_page(secret, "groups", groups=[members_group])
    call_command("rebuild_modelsearch_index", verbosity=0)


def search(client, query, **params):
    response = client.get(reverse("search"), {"q": query, **params})
    assert response.status_code == 200
    return response


def titles(response):
    return [hit.title for hit in response.context["results"]]


def test_found_by_workstream_name(client, content):
    response = search(client, "hate crime")
    assert "Third-party reporting centres" in titles(response)
    assert "Closed pilot" not in titles(response)


def test_found_by_organisation_name(client, content):
    assert "Third-party reporting centres" in titles(search(client, "Brighton"))
    assert titles(search(client, "Wealden")) == []


def test_found_by_scheme_name_and_labelled_for_people(client, content):
    response = search(client, "Pan-Sussex")
    hits = {hit.title: hit for hit in response.context["results"]}
    assert hits["Third-party reporting centres"].kind == "Solution"
    guide = search(client, "panel").context["results"]
    assert [hit.kind for hit in guide] == ["Guide"]


def test_workstream_and_organisation_facets(client, content):
    response = search(client, "Brighton", workstream="hate-crime")
    assert titles(response) == ["Third-party reporting centres"]
    assert titles(search(client, "Brighton", organisation="brighton-hove")) == [
        "Third-party reporting centres"
    ]
    assert titles(search(client, "Brighton", workstream="anti-social-behaviour")) == []


def test_site_search_facets_give_evidence_and_outcome(content):
    solution = SolutionPage.objects.get(title="Third-party reporting centres")
    facets = SolutionPage.site_search_facets([solution.pk])[solution.pk]
    assert facets["workstream"] == (("hate-crime", "Hate crime"),)
    assert facets["organisation"] == (("brighton-hove", "Brighton & Hove City Council"),)
    assert facets["evidence"] == (("evaluated_locally", "Evaluated locally"),)
    assert facets["outcome"] == (("worked", "Worked"),)
    guide = GuidePage.objects.get()
    assert "evidence" not in GuidePage.site_search_facets([guide.pk])[guide.pk]


def test_solutions_guides_and_schemes_in_one_search_stay_within_twelve_queries(
    client, content, member, django_assert_max_num_queries
):
    """Solutions and guides share one facet implementation, asked once for both types."""
    index = SolutionPage.objects.get(title="Third-party reporting centres").get_parent()
    GuidePageFactory(parent=index, title="Third-party reporting: a guide", summary="How to start.")
    call_command("rebuild_modelsearch_index", verbosity=0)
    client.force_login(member)
    search(client, "Sussex")  # warms the site, the chrome and the restriction lists
    with django_assert_max_num_queries(12):
        response = search(client, "third-party reporting")
    kinds = {hit.kind for hit in response.context["results"]}
    assert {"Solution", "Guide"} <= kinds


def test_evidence_and_outcome_facets_on_the_search_page(client, content):
    index = SolutionPage.objects.get(title="Third-party reporting centres").get_parent()
    SolutionPageFactory(
        parent=index,
        title="Third-party reporting in buses",
        summary="Reports on buses.",
        evidence_strength="untested",
        outcome="did_not_work",
    )
    call_command("rebuild_modelsearch_index", verbosity=0)
    response = search(client, "third-party reporting")
    facets = {facet.name: facet for facet in response.context["facets"]}
    assert str(facets["evidence"].label) == "Evidence"
    assert {value.value: value.count for value in facets["outcome"].values} == {
        "worked": 1,
        "did_not_work": 1,
    }
    assert titles(search(client, "third-party reporting", evidence="untested")) == [
        "Third-party reporting in buses"
    ]
    assert titles(search(client, "third-party reporting", outcome="worked")) == [
        "Third-party reporting centres"
    ]
    content = response.content.decode()
    assert 'name="evidence" value="evaluated_locally"' in content
    # A page with no solution among its hits offers neither facet.
    facets = {facet.name for facet in search(client, "panel").context["facets"]}
    assert not facets & {"evidence", "outcome"}

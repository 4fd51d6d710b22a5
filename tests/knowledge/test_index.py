"""The knowledge index: filters with counts, sorting, pagination, bad input, visibility and a
constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledge.models import EvidenceStrength, Outcome
from knowledge.selectors import PAGE_SIZE
from tests.factories import OrganisationFactory, SchemePageFactory, restrict_page

from .factories import GuidePageFactory, SolutionPageFactory, tag

pytestmark = pytest.mark.django_db


def titles(response):
    return [item.title for item in response.context["listing"].page.object_list]


def facet(response, name):
    return {v.value: v.count for f in response.context["listing"].facets if f.name == name for v in f.values}


@pytest.fixture
def content(index, hate_crime, asb):
    brighton = OrganisationFactory(name="Brighton & Hove City Council", slug="brighton-hove")
    hastings = OrganisationFactory(name="Hastings Borough Council", slug="hastings")
    worked = tag(
        SolutionPageFactory(parent=index, title="Third-party reporting centres", outcome=Outcome.WORKED),
        hate_crime,
        organisations=[brighton],
    )
    promising = tag(
        SolutionPageFactory(
            parent=index,
            title="Community trigger reviews",
            outcome=Outcome.PROMISING,
            evidence_strength=EvidenceStrength.UNTESTED,
        ),
        asb,
        organisations=[hastings],
    )
    guide = tag(GuidePageFactory(parent=index, title="Setting up a hate crime panel"), hate_crime)
    return {"worked": worked, "promising": promising, "guide": guide}


def test_lists_solutions_and_guides_with_counts(client, content):
    response = client.get("/knowledge/")
    assert response.status_code == 200
    assert set(titles(response)) == {
        "Third-party reporting centres",
        "Community trigger reviews",
        "Setting up a hate crime panel",
    }
    assert facet(response, "workstream") == {"hate-crime": 2, "anti-social-behaviour": 1}
    assert facet(response, "kind") == {"solution": 2, "guide": 1}
    assert facet(response, "outcome") == {"worked": 1, "promising": 1}
    assert facet(response, "evidence") == {"evaluated_locally": 1, "untested": 1}
    assert facet(response, "organisation") == {"brighton-hove": 1, "hastings": 1}


def test_filters_by_workstream_and_counts_the_other_facets(client, content):
    response = client.get("/knowledge/?workstream=hate-crime")
    assert set(titles(response)) == {"Third-party reporting centres", "Setting up a hate crime panel"}
    # The workstream facet still counts every workstream (its own filter does not apply).
    assert facet(response, "workstream") == {"hate-crime": 2, "anti-social-behaviour": 1}
    assert facet(response, "kind") == {"solution": 1, "guide": 1}


def test_filters_by_organisation_evidence_outcome_and_kind(client, content):
    assert titles(client.get("/knowledge/?organisation=hastings")) == ["Community trigger reviews"]
    assert titles(client.get("/knowledge/?evidence=untested")) == ["Community trigger reviews"]
    assert titles(client.get("/knowledge/?outcome=worked")) == ["Third-party reporting centres"]
    assert titles(client.get("/knowledge/?kind=guide")) == ["Setting up a hate crime panel"]
    both = client.get("/knowledge/?outcome=worked&outcome=promising")
    assert set(titles(both)) == {"Third-party reporting centres", "Community trigger reviews"}


def test_sorts_by_newest_or_last_reviewed(client, content):
    content["promising"].last_reviewed = datetime.date(2026, 6, 1)
    content["promising"].save()
    reviewed = titles(client.get("/knowledge/?sort=reviewed"))
    assert reviewed[0] == "Community trigger reviews"
    newest = titles(client.get("/knowledge/"))
    assert newest[0] == "Setting up a hate crime panel"


@pytest.mark.parametrize(
    "query, message",
    [
        ("evidence=proven", "We do not know the evidence strength “proven”, so it was ignored."),
        ("outcome=%3Cscript%3E", "We do not know the outcome “&lt;script&gt;”"),
        ("workstream=no-such-thing", "We do not know the workstream “no-such-thing”"),
        ("organisation=nobody", "We do not know the organisation “nobody”"),
        ("workstream=%22%3E%3Cb%3E", "We do not know the workstream “&quot;&gt;&lt;b&gt;”"),
        ("sort=price", "We do not know the sort order “price”"),
        ("page=abc", "We do not know the page number “abc”"),
        ("page=-3", "We do not know the page number “-3”"),
    ],
)
def test_bad_filter_values_are_answered_clearly(client, content, query, message):
    response = client.get(f"/knowledge/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<script>" not in html.split("<main", 1)[1]
    assert len(titles(response)) == 3


def test_pagination_handles_huge_and_junk_page_numbers(client, index):
    for n in range(PAGE_SIZE + 5):
        SolutionPageFactory(parent=index, title=f"Solution number {n}")
    first = client.get("/knowledge/?page=1")
    assert len(titles(first)) == PAGE_SIZE
    assert 'rel="next" href="?page=2"' in first.content.decode()
    second = client.get("/knowledge/?page=2")
    assert len(titles(second)) == 5
    huge = client.get("/knowledge/?page=99999999999999999999")
    assert huge.status_code == 200
    assert huge.context["listing"].page.number == 2
    assert "There are only 2 pages of results" in huge.content.decode()
    assert client.get("/knowledge/?page=1e9").status_code == 200


def test_pagination_keeps_the_filters(client, index, hate_crime):
    for n in range(PAGE_SIZE + 1):
        tag(SolutionPageFactory(parent=index, title=f"Hate crime solution {n}"), hate_crime)
    html = client.get("/knowledge/?workstream=hate-crime&sort=reviewed").content.decode()
    assert 'href="?workstream=hate-crime&amp;sort=reviewed&amp;page=2"' in html


def test_restricted_and_draft_pages_are_left_out(client, member, content, index, members_group):
    secret = SolutionPageFactory(parent=index, title="Members only solution")
    restrict_page(secret, "groups", groups=[members_group])
    draft = SolutionPageFactory(parent=index, title="Draft solution")
    draft.unpublish()
    anonymous = client.get("/knowledge/")
    assert "Members only solution" not in titles(anonymous)
    assert "Draft solution" not in titles(anonymous)
    assert facet(anonymous, "kind") == {"solution": 2, "guide": 1}
    client.force_login(member)
    signed_in = client.get("/knowledge/")
    assert "Members only solution" in titles(signed_in)
    assert "Draft solution" not in titles(signed_in)


def test_workstream_tags_link_to_their_hub(client, content):
    html = client.get("/knowledge/").content.decode()
    assert 'href="/workstreams/hate-crime/"' in html
    html = client.get(content["worked"].url).content.decode()
    assert 'href="/workstreams/hate-crime/"' in html


def test_works_without_javascript_as_a_get_form(client, content):
    html = client.get("/knowledge/").content.decode()
    assert '<form method="get" action="/knowledge/"' in html
    assert '<label class="label" for="knowledge-sort">' in html
    assert "<legend" in html


def _count_queries(client, url):
    """Queries for ``url`` with the site's own caches warm, but not the page cache (a query
    string no other request used)."""
    client.get(url)
    _count_queries.n += 1
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{url}{'&' if '?' in url else '?'}n={_count_queries.n}")
    assert response.status_code == 200
    return len(queries)


_count_queries.n = 0


@pytest.mark.parametrize("signed_in", [False, True])
def test_constant_number_of_queries(client, member, index, hate_crime, asb, signed_in):
    if signed_in:
        client.force_login(member)
    scheme = SchemePageFactory()
    organisations = [OrganisationFactory(name=f"Council {n}", slug=f"council-{n}") for n in range(5)]

    def add(n, start):
        for i in range(start, start + n):
            page = (SolutionPageFactory if i % 3 else GuidePageFactory)(parent=index, title=f"Item {i}")
            tag(page, hate_crime if i % 2 else asb, organisations=[organisations[i % 5]], schemes=[scheme])

    filtered = "/knowledge/?workstream=hate-crime&workstream=anti-social-behaviour&organisation=council-1&sort=reviewed"
    add(10, 0)
    counts_at_10 = [_count_queries(client, url) for url in (filtered, "/knowledge/", "/knowledge/?page=2")]
    add(190, 10)
    counts_at_200 = [_count_queries(client, url) for url in (filtered, "/knowledge/", "/knowledge/?page=2")]
    assert counts_at_10 == counts_at_200
    assert max(counts_at_200) <= 12, counts_at_200

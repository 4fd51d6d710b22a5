"""The knowledge section's listings, hubs, feeds and the home page run the same number of
queries with 10 solutions and guides as with 5,000 (issue 9's measure), both for the request
that builds what is kept per visibility (the first after a change) and for the next one."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from knowledge.models import (
    EvidenceStrength,
    GuidePage,
    KnowledgePage,
    KnowledgeWorkstream,
    Outcome,
    SolutionPage,
)
from schemes.models import SchemeWorkstreamUse
from tests.factories import OrganisationFactory, SchemePageFactory, bulk_pages

pytestmark = pytest.mark.django_db

LIMIT = 12
URLS = [
    "/",
    "/knowledge/",
    "/knowledge/?page=2",
    "/knowledge/?workstream=hate-crime&organisation=council-1&evidence=evaluated_locally&sort=reviewed",
    "/workstreams/",
    "/workstreams/hate-crime/",
    "/feeds/solutions/",
    "/workstreams/hate-crime/feed/",
]


def _add(index, count, workstreams, organisations, scheme):
    """``count`` pages, two solutions to each guide, tagged and linked in bulk."""
    evidence, outcomes = list(EvidenceStrength.values), list(Outcome.values)
    solutions = bulk_pages(
        index,
        SolutionPage,
        count - count // 3,
        title="Bulk solution",
        summary="What a partnership did.",
        problem="<p>A shared problem.</p>",
        evidence_strength=evidence[count % len(evidence)],
        outcome=outcomes[count % len(outcomes)],
        last_reviewed=datetime.date(2025, 1, 1),
        next_review=datetime.date(2030, 1, 1),
    )
    guides = bulk_pages(index, GuidePage, count // 3, title="Bulk guide", summary="How to do it.")
    pages = [*solutions, *guides]
    KnowledgeWorkstream.objects.bulk_create(
        [KnowledgeWorkstream(content_object_id=p.pk, tag=workstreams[i % 2]) for i, p in enumerate(pages)],
        batch_size=1000,
    )
    KnowledgePage.organisations.through.objects.bulk_create(
        [
            KnowledgePage.organisations.through(knowledgepage_id=p.pk, organisation=organisations[i % 5])
            for i, p in enumerate(pages)
        ],
        batch_size=1000,
    )
    KnowledgePage.contributing_schemes.through.objects.bulk_create(
        [KnowledgePage.contributing_schemes.through(knowledgepage_id=p.pk, schemepage=scheme) for p in pages],
        batch_size=1000,
    )


def _counts(client):
    counts = {}
    for url in URLS:
        cache.clear()  # a new content version: nothing kept, as after any change
        with CaptureQueriesContext(connection) as cold:
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as warm:
            assert client.get(url).status_code == 200, url
        counts[url] = (len(cold), len(warm))
    return counts


@pytest.mark.parametrize("who", ["visitor", "member", "national editor"])
def test_the_same_queries_for_10_and_5000_pages(settings, client, make_user, index, hate_crime, asb, who):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = settings.AUDIENCE_PAGE_CACHE_SECONDS = 0
    if who != "visitor":
        role = roles.NATIONAL_EDITORS if who == "national editor" else roles.MEMBERS
        client.force_login(make_user(f"{who.replace(' ', '.')}@sussex.police.uk", role=role))
    organisations = [OrganisationFactory(name=f"Council {n}", slug=f"council-{n}") for n in range(5)]
    scheme = SchemePageFactory()
    SchemeWorkstreamUse.objects.create(scheme=scheme, workstream=hate_crime)

    client.get("/")  # a signed-in person's first visit is recorded once (HomeVisit), not measured
    _add(index, 10, [hate_crime, asb], organisations, scheme)
    small = _counts(client)
    _add(index, 4990, [hate_crime, asb], organisations, scheme)
    assert KnowledgePage.objects.live().count() == 5000
    large = _counts(client)

    assert large == small
    assert max(warm for _cold, warm in large.values()) <= LIMIT, large

"""Workstream hubs at /workstreams/<slug>/ and the list at /workstreams/."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from wagtail.models import Collection

from documents.models import DocumentStatus
from schemes.models import SchemeWorkstreamUse, WorkstreamUse
from tests.factories import SchemePageFactory, restrict_page

from .factories import GuidePageFactory, SolutionPageFactory, tag

pytestmark = pytest.mark.django_db


def main(response):
    return response.content.decode().split('id="main-content"', 1)[1]


@pytest.fixture
def hub_content(index, hate_crime, asb, make_document, members_collection, members_group):
    root = Collection.get_first_root_node()
    tag(SolutionPageFactory(parent=index, title="Third-party reporting centres"), hate_crime)
    tag(GuidePageFactory(parent=index, title="Running a hate crime panel"), hate_crime)
    tag(SolutionPageFactory(parent=index, title="Community trigger reviews"), asb)
    secret = tag(SolutionPageFactory(parent=index, title="Members-only hate crime pilot"), hate_crime)
    restrict_page(secret, "groups", groups=[members_group])
    make_document("Hate crime ISA", workstreams=[hate_crime], collection=root)
    make_document("Hate crime MoU (members)", workstreams=[hate_crime], collection=members_collection)
    make_document("Hate crime draft", workstreams=[hate_crime], status=DocumentStatus.DRAFT, collection=root)
    make_document("ASB ISA", workstreams=[asb], collection=root)
    old = make_document(
        "Old hate crime ISA", workstreams=[hate_crime], collection=root, status=DocumentStatus.SUPERSEDED
    )
    sussex = SchemePageFactory(title="Pan-Sussex")
    SchemeWorkstreamUse.objects.create(
        scheme=sussex, workstream=hate_crime, status=WorkstreamUse.LIVE, started_on=datetime.date(2016, 10, 1)
    )
    thames = SchemePageFactory(title="Thames Valley")
    SchemeWorkstreamUse.objects.create(scheme=thames, workstream=hate_crime, status=WorkstreamUse.PLANNED)
    hidden = SchemePageFactory(title="Hidden scheme")
    SchemeWorkstreamUse.objects.create(scheme=hidden, workstream=hate_crime, status=WorkstreamUse.PILOT)
    restrict_page(hidden, "groups", groups=[members_group])
    return {"old": old}


def test_hub_shows_description_knowledge_documents_and_schemes(client, hub_content, hate_crime):
    response = client.get("/workstreams/hate-crime/")
    assert response.status_code == 200
    html = main(response)
    assert escape(hate_crime.description) in html
    assert "Third-party reporting centres" in html
    assert "Running a hate crime panel" in html
    assert "Community trigger reviews" not in html
    assert "Members-only hate crime pilot" not in html
    assert "Hate crime ISA" in html
    assert "Hate crime MoU (members)" not in html
    assert "Hate crime draft" not in html
    assert "Old hate crime ISA" not in html
    assert "ASB ISA" not in html
    assert "Pan-Sussex" in html and "October 2016" in html and "Live" in html
    assert "Thames Valley" in html and "Planned" in html
    assert "Hidden scheme" not in html
    assert '<th scope="col">Status</th>' in html


def test_member_sees_members_content_on_the_hub(client, member, hub_content):
    client.force_login(member)
    response = client.get("/workstreams/hate-crime/")
    html = main(response)
    assert "Members-only hate crime pilot" in html
    assert "Hate crime MoU (members)" in html
    assert "Hidden scheme" in html
    assert "private" in response["Cache-Control"]


def test_unknown_workstream_is_a_404(client):
    assert client.get("/workstreams/no-such-workstream/").status_code == 404


def test_workstream_list_links_every_hub(client, hub_content, hate_crime):
    html = main(client.get("/workstreams/"))
    assert 'href="/workstreams/hate-crime/"' in html
    assert 'href="/workstreams/fly-tipping/"' in html


def test_hub_runs_a_constant_number_of_queries(client, member, index, hate_crime, make_document):
    client.force_login(member)
    scheme = SchemePageFactory()
    SchemeWorkstreamUse.objects.create(scheme=scheme, workstream=hate_crime)

    def count():
        client.get("/workstreams/hate-crime/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/workstreams/hate-crime/").status_code == 200
        return len(queries)

    for _n in range(5):
        tag(SolutionPageFactory(parent=index), hate_crime)
    make_document("One", workstreams=[hate_crime])
    few = count()
    for n in range(60):
        tag((SolutionPageFactory if n % 2 else GuidePageFactory)(parent=index), hate_crime)
    make_document("Two", workstreams=[hate_crime])
    assert count() == few
    assert few <= 12


def test_workstream_tags_on_scheme_pages_link_to_their_hubs(client, hub_content, hate_crime):
    """A tag anywhere leads to its hub: the workstream's own address, named by the hub's URL."""
    from schemes.models import SchemePage

    assert hate_crime.get_absolute_url() == "/workstreams/hate-crime/"
    scheme = SchemePage.objects.get(title="Pan-Sussex")
    assert '<a href="/workstreams/hate-crime/">' in main(client.get(scheme.url))

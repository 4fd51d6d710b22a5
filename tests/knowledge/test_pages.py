"""Solution and guide pages: what they show, escaping, and only documents the viewer may see."""

import pytest
from wagtail.models import Collection

from accounts import roles
from documents.models import DocumentStatus
from knowledge.models import EvidenceStrength, Outcome, SolutionDocument, SolutionFigure
from knowledge.templatetags.knowledge_tags import workstream_url
from tests.factories import OrganisationFactory, SchemePageFactory, WorkstreamFactory, restrict_page

from .factories import GuidePageFactory, SolutionPageFactory, tag

pytestmark = pytest.mark.django_db

EVIL = '<script>alert("x")</script><b>bold</b>'


def body(response):
    return response.content.decode().split('id="main-content"', 1)[1]


def test_solution_page_shows_what_was_done_and_the_outcome(client, index, hate_crime):
    scheme = SchemePageFactory(title="Pan-Sussex")
    solution = SolutionPageFactory(
        parent=index,
        title="Third-party reporting",
        evidence_strength=EvidenceStrength.INDEPENDENTLY_EVALUATED,
        outcome=Outcome.INNOVATIVE,
        what_was_done=[
            ("heading", {"text": "Setting up the centres", "level": "h2"}),
            ("steps", {"heading": "", "steps": [{"title": "Recruit centres", "text": "<p>Libraries.</p>"}]}),
            ("callout", {"kind": "tip", "heading": "Remember", "text": "<p>Train the staff.</p>"}),
            (
                "table",
                {
                    "caption": "Reports by quarter",
                    "columns": [
                        {"type": "text", "heading": "Quarter"},
                        {"type": "number", "heading": "Reports"},
                    ],
                    "rows": [{"values": ["Q1", 12]}, {"values": ["Q2", 30]}],
                },
            ),
        ],
        contacts=[("contact", {"role": "Hate crime coordinator", "organisation": "Sussex Police"})],
    )
    SolutionFigure.objects.create(page=solution, value="150%", label="more reports in a year")
    tag(
        solution,
        hate_crime,
        organisations=[OrganisationFactory(name="Brighton & Hove City Council")],
        schemes=[scheme],
    )
    html = body(client.get(solution.url))
    for text in (
        "Independently evaluated",
        "New or innovative",
        "Setting up the centres",
        "Recruit centres",
        "Remember",
        "150%",
        "more reports in a year",
        "Hate crime coordinator",
        "Brighton &amp; Hove City Council",
        'href="/workstreams/hate-crime/"',
        '<th scope="col">Quarter</th>',
        "<caption>Reports by quarter</caption>",
    ):
        assert text in html, text
    assert f'href="{scheme.url}"' in html


def test_every_text_field_is_escaped(client, index):
    workstream = WorkstreamFactory(name=EVIL, slug="evil", description=EVIL)
    scheme = SchemePageFactory(title=EVIL)
    solution = SolutionPageFactory(
        parent=index,
        title=EVIL,
        summary=EVIL,
        what_was_done=[
            ("heading", {"text": EVIL, "level": "h3"}),
            ("steps", {"heading": EVIL, "steps": [{"title": EVIL, "text": ""}]}),
            ("callout", {"kind": "info", "heading": EVIL, "text": "<p>ok</p>"}),
            ("contact", {"role": EVIL, "name": EVIL, "organisation": EVIL, "telephone": EVIL}),
        ],
        contacts=[("contact", {"role": EVIL, "name": EVIL})],
    )
    SolutionFigure.objects.create(page=solution, value=EVIL[:40], label=EVIL)
    tag(solution, workstream, organisations=[OrganisationFactory(name=EVIL)], schemes=[scheme])
    guide = tag(
        GuidePageFactory(parent=index, title=EVIL, summary=EVIL, body=[("heading", {"text": EVIL})]),
        workstream,
    )
    for url in (solution.url, guide.url, index.url, "/workstreams/evil/", "/workstreams/"):
        html = body(client.get(url))
        assert "<script>" not in html, url
        assert "<b>bold</b>" not in html, url
        assert "&lt;script&gt;" in html, url


def test_guide_page_renders_its_body(client, index, asb):
    guide = tag(
        GuidePageFactory(
            parent=index,
            title="Running a community trigger",
            body=[("paragraph", "<p>Agree a threshold.</p>")],
        ),
        asb,
    )
    html = body(client.get(guide.url))
    assert "Guide" in html and "Agree a threshold." in html
    assert 'href="/workstreams/anti-social-behaviour/"' in html


def test_documents_are_linked_only_for_viewers_who_may_see_them(
    client, member, make_user, index, make_document, members_collection
):
    public = make_document("National ISA template", collection=Collection.get_first_root_node())
    members_only = make_document("Pan-Sussex MoU", collection=members_collection)
    draft = make_document("Draft DPIA", status=DocumentStatus.DRAFT)
    solution = SolutionPageFactory(
        parent=index,
        what_was_done=[
            ("document", {"document": members_only, "description": "The MoU"}),
            ("document", {"document": public, "description": ""}),
            ("document", {"document": draft, "description": "Being written"}),
        ],
    )
    for document in (public, members_only, draft):
        SolutionDocument.objects.create(page=solution, document=document)
    anonymous = body(client.get(solution.url))
    assert "National ISA template" in anonymous
    assert "Pan-Sussex MoU" not in anonymous
    assert "Draft DPIA" not in anonymous
    client.force_login(member)
    signed_in = body(client.get(solution.url))
    assert signed_in.count("Pan-Sussex MoU") == 2
    assert "Draft DPIA" not in signed_in
    # The body is kept per visibility; a draft linked in it is shown to those who edit documents.
    client.force_login(make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS))
    assert "Draft DPIA" in body(client.get(solution.url))
    client.force_login(member)
    assert "Draft DPIA" not in body(client.get(solution.url))


def test_restricted_schemes_are_not_named(client, index, members_group):
    hidden = SchemePageFactory(title="Secret scheme")
    restrict_page(hidden, "groups", groups=[members_group])
    solution = tag(SolutionPageFactory(parent=index), schemes=[hidden])
    assert "Secret scheme" not in body(client.get(solution.url))


def test_workstream_url_filter(hate_crime):
    assert workstream_url(hate_crime) == "/workstreams/hate-crime/"
    assert workstream_url("fly-tipping") == "/workstreams/fly-tipping/"
    assert workstream_url("") == ""
    assert workstream_url("not a slug!") == ""


def test_knowledge_pages_are_shared_per_audience():
    """Their guard (the same bytes for two people of an audience, nothing personal stored) is
    tests/serving/test_shared_pages.py, whose addresses include every knowledge page type."""
    from knowledge.models import GuidePage, KnowledgeIndexPage, KnowledgePage, SolutionPage

    for model in (KnowledgePage, SolutionPage, GuidePage, KnowledgeIndexPage):
        assert model.cache_per_audience


def test_related_solutions_share_a_workstream_or_scheme_and_are_visible(
    client, index, hate_crime, asb, members_group
):
    scheme = SchemePageFactory(title="Pan-Sussex")
    solution = tag(SolutionPageFactory(parent=index, title="Reporting centres"), hate_crime)
    tag(GuidePageFactory(parent=index, title="Hate crime panels"), hate_crime)
    tag(SolutionPageFactory(parent=index, title="Same scheme, other workstream"), asb, schemes=[scheme])
    tag(solution, schemes=[scheme])
    tag(SolutionPageFactory(parent=index, title="Unrelated ASB work"), asb)
    hidden = tag(SolutionPageFactory(parent=index, title="Hidden hate crime pilot"), hate_crime)
    restrict_page(hidden, "groups", groups=[members_group])
    html = body(client.get(solution.url))
    related = html.split("Related solutions and guides", 1)[1]
    assert "Hate crime panels" in related
    assert "Same scheme, other workstream" in related
    assert "Unrelated ASB work" not in related
    assert "Hidden hate crime pilot" not in related
    assert related.count("Reporting centres") == 0


def test_solution_page_runs_a_constant_number_of_queries(
    client, member, index, hate_crime, asb, make_document
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    scheme = SchemePageFactory()
    solution = tag(SolutionPageFactory(parent=index), hate_crime, schemes=[scheme])
    SolutionDocument.objects.create(page=solution, document=make_document("An MoU"))

    def count(n):
        client.get(solution.url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{solution.url}?n={n}").status_code == 200
        return len(queries)

    few = count(1)
    for i in range(30):
        SolutionFigure.objects.create(page=solution, value=str(i), label="a figure")
        tag(
            SolutionPageFactory(parent=index),
            hate_crime,
            organisations=[OrganisationFactory()],
            schemes=[scheme],
        )
    solution.organisations.add(*[OrganisationFactory() for _ in range(5)])
    solution.workstreams.add(asb)
    solution.save()
    assert count(2) == few
    assert few <= 13, few  # 12 without related documents; see the report

"""What people type finds what they mean, on both backends: abbreviations, compound spellings,
questions, the names a page shows, one ranking over every source, document versions folded
under the current one, people's labels and an honest hint for each viewer."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import DocumentKind, DocumentStatus
from schemes.models import Organisation, OrganisationKind, Region, Workstream
from search.models import SearchTerm

from .test_site_search import Content, add_document, add_page, add_scheme, rebuild, search, titles


@pytest.fixture
def content(search_backend, organisation, django_capture_on_commit_callbacks):
    content = Content(django_capture_on_commit_callbacks, organisation)
    content.capture = django_capture_on_commit_callbacks
    return content


def test_an_abbreviation_finds_the_words_in_full_and_says_so(content, as_viewer):
    client = as_viewer("member")
    html = search(client, "MoU")
    assert titles(html)[0] == "Pan-Sussex Memorandum of Understanding"
    assert "Including results for" in html and "memorandum of understanding" in html
    # What the viewer may not see is never reached through an expansion.
    client.logout()
    html = search(client, "MoU")
    assert "Pan-Sussex Memorandum" not in html


def test_the_vocabulary_editors_keep_applies_at_once(content, as_viewer):
    client = as_viewer("anonymous")
    assert "Retention guidance" not in titles(search(client, "RRX"))
    SearchTerm.objects.create(term="RRX", meanings="retention review")
    assert titles(search(client, "RRX"))[0] == "Retention guidance"


def test_the_vocabulary_costs_no_query_when_warm(content, as_viewer):
    client = as_viewer("member")
    search(client, "ASB")
    with CaptureQueriesContext(connection) as queries:
        search(client, "ASB retention")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "search_searchterm" not in sql


@pytest.mark.parametrize("typed", ["fly-tipping", "fly tipping", "flytipping", "FLY TIPPING"])
def test_compound_spellings_find_the_same_page(content, as_viewer, typed):
    add_page(content.home, "Fly-tipping hotspots", summary="Shared evidence for prosecutions.")
    add_page(content.home, "Flytipping enforcement days", summary="Joint days of action.")
    rebuild()
    found = set(titles(search(as_viewer("anonymous"), typed))[:2])
    assert found == {"Fly-tipping hotspots", "Flytipping enforcement days"}


def test_a_question_needs_only_its_content_words(content, as_viewer):
    add_page(
        content.home,
        "Sharing information with the council",
        summary="What partners may share with a district council, and how.",
    )
    rebuild()
    html = search(as_viewer("anonymous"), "how do we share information with the council")
    assert titles(html)[0] == "Sharing information with the council"
    assert "No results contain all of the words" not in html


def test_a_question_finds_the_answer_that_lacks_one_of_its_words(content, as_viewer):
    add_page(
        content.home,
        "Information-sharing agreements",
        summary="What partners share and the lawful basis for it.",
    )
    add_page(
        content.home,
        "Notes from the quarterly meeting",
        summary="The council asked whether partners share information about noise.",
    )
    rebuild()
    html = search(as_viewer("anonymous"), "how do we share information with the council")
    found = titles(html)
    # The page with every word is still found, below the answer whose title holds two of them.
    assert found.index("Information-sharing agreements") < found.index("Notes from the quarterly meeting")
    assert "No results contain all of the words" not in html
    # Only "all but one" finds anything: said, as for "some of the words".
    html = search(as_viewer("anonymous"), "share information lawful quokkaberry")
    assert titles(html)[0] == "Information-sharing agreements"
    assert "No results contain all of the words" in html


def test_a_word_in_the_results_shown_is_never_corrected(content, as_viewer):
    add_page(content.home, "Starting out", summary="Your first weeks.")
    add_page(
        content.home,
        "Who does what",
        summary="Roles in a scheme.",
        body=[("paragraph", "<p>The steering group meets every quarter.</p>")],
    )
    rebuild()
    html = search(as_viewer("anonymous"), "who chairs the steering group")
    assert titles(html) == ["Who does what"]
    assert "Did you mean" not in html


def test_a_schemes_partners_lead_force_and_workstreams_are_found(content, as_viewer, organisation):
    council = Organisation.objects.create(
        name="Wealden District Council", kind=OrganisationKind.DISTRICT_COUNCIL, region=Region.SOUTH_EAST
    )
    add_scheme(
        content.home,
        "East Sussex scheme",
        summary="Partners across the county.",
        lead_force=organisation,
        partners=[council],
        workstreams=[Workstream.objects.get(slug="fly-tipping")],
    )
    client = as_viewer("anonymous")
    assert titles(search(client, "Wealden"))[0] == "East Sussex scheme"
    html = search(client, "Wealden District Council")
    assert titles(html)[0] == "East Sussex scheme"
    assert '<span class="tag search-result__kind">Scheme</span>' in html
    # Its workstreams, in any spelling, and its lead force.
    assert "East Sussex scheme" in titles(search(client, "flytipping"))
    assert "East Sussex scheme" in titles(search(client, "Sussex Police"))


def test_one_ranking_a_strong_document_beats_a_weak_page(content, as_viewer):
    add_page(
        content.home,
        "Annual report",
        summary="A year of partnership work, including a note on the quarrington protocol.",
    )
    add_document(
        "Quarrington protocol",
        ["The protocol partners follow."],
        content.capture,
        kind=DocumentKind.GUIDANCE,
    )
    rebuild()
    assert titles(search(as_viewer("anonymous"), "quarrington protocol")) == [
        "Quarrington protocol",
        "Annual report",
    ]


def test_earlier_versions_fold_under_the_current_one(content, as_viewer):
    versions = []
    for number, word in enumerate(["one", "two", "three"], start=1):
        versions.append(
            add_document(
                "Wessex information-sharing agreement",
                [f"Version {word} of the Wessex agreement."],
                content.capture,
                kind=DocumentKind.INFORMATION_SHARING_AGREEMENT,
                version_label=str(number),
                replaces=versions[-1] if versions else None,
                effective_date=datetime.date(2020 + number, 1, 1),
            )
        )
    first, current = versions[0], versions[-1]
    first.refresh_from_db()
    assert first.status == DocumentStatus.SUPERSEDED and first.family == current.family
    rebuild()
    html = search(as_viewer("anonymous"), "Wessex agreement")
    assert titles(html) == ["Wessex information-sharing agreement"]
    assert "version 3" in html and "2 earlier versions" in html
    assert '<span class="tag search-result__kind">Document</span>' in html


def test_results_are_labelled_as_people_say(content, as_viewer):
    html = search(as_viewer("member"), "retention")
    assert '<span class="tag search-result__kind">Page</span>' in html
    assert '<span class="tag search-result__kind">Document</span>' in html
    assert "Standard page" not in html and "Document library page" not in html


@pytest.mark.parametrize(
    ("viewer", "said", "not_said"),
    [
        ("anonymous", "Sign in", "once your account is approved"),
        ("pending", "once your account is approved", "Sign in</a> to search"),
        ("member", "members-only pages and documents you may see", "Sign in</a> to search"),
    ],
)
def test_an_honest_hint_for_each_viewer(content, as_viewer, viewer, said, not_said):
    client = as_viewer(viewer)
    for html in (search(client, ""), search(client, "nothingmatchesthisword")):
        assert said in html
        assert not_said not in html


def test_a_one_word_typo_is_corrected(content, as_viewer):
    html = search(as_viewer("anonymous"), "retentoin")
    assert "so these are results for" in html
    assert "Retention guidance" in titles(html)


def test_page_types_share_the_page_label_in_filters(content, as_viewer):
    html = search(as_viewer("member"), "retention", type="page.page")
    assert set(titles(html)) == {"Retention guidance", "Steering group minutes on quokkaberry records"}

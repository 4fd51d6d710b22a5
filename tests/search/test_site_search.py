"""The site search page (/search/): what each viewer finds, filters with counts, snippets,
"did you mean", sorting, pages, suggestions and a constant number of queries.

Every test runs against the Whoosh backend and Wagtail's database backend.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site

from accounts import roles
from documents.models import DocumentKind, DocumentLibraryPage, DocumentStatus
from documents.samples import make_pdf
from documents.services import document_create
from home.models import StandardPage
from schemes.models import (
    Organisation,
    OrganisationKind,
    Region,
    SchemeIndexPage,
    SchemePage,
    SchemeWorkstreamUse,
    Workstream,
)
from search.sources import forget_kept


def rebuild():
    call_command("rebuild_modelsearch_index", verbosity=0)


def add_page(parent, title, *, summary="", members_only=False, **extra):
    page = StandardPage(title=title, slug=re.sub(r"\W+", "-", title.lower())[:50], summary=summary, **extra)
    parent.add_child(instance=page)
    page.save_revision().publish()
    if members_only:
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([Group.objects.get(name=roles.MEMBERS)])
    return page


def add_document(title, clauses, capture, **fields):
    fields.setdefault("kind", DocumentKind.MOU)
    fields.setdefault("status", DocumentStatus.AGREED)
    fields.setdefault("effective_date", datetime.date(2024, 4, 1))
    with capture(execute=True):
        document = document_create(
            title=title, file=ContentFile(make_pdf(clauses), name="document.pdf"), **fields
        )
    document.refresh_from_db()
    return document


class Content:
    """What the tests search: public, members-only and draft pages and documents."""

    def __init__(self, capture, organisation):
        # Indexed once, at the end: an update of the index per save is most of the set-up's time.
        from django.conf import settings
        from django.test import override_settings

        backends = {
            name: {**params, "AUTO_UPDATE": False} for name, params in settings.WAGTAILSEARCH_BACKENDS.items()
        }
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            self._make(capture, organisation)
        rebuild()

    def _make(self, capture, organisation):
        self.home = Site.objects.get(is_default_site=True).root_page
        self.library = DocumentLibraryPage(title="Document library", slug="library")
        self.home.add_child(instance=self.library)
        self.library.save_revision().publish()
        members = Collection.get_first_root_node().add_child(name="Partnership documents")
        restriction = CollectionViewRestriction.objects.create(
            collection=members, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.set([Group.objects.get(name=roles.MEMBERS)])
        self.asb = Workstream.objects.get(slug="anti-social-behaviour")
        self.manchester = Organisation.objects.create(
            name="Greater Manchester Police", kind=OrganisationKind.POLICE_FORCE, region=Region.NORTH_WEST
        )
        self.public_page = add_page(
            self.home,
            "Retention guidance",
            summary="How long partners keep case records after retention review.",
        )
        self.private_page = add_page(
            self.home,
            "Steering group minutes on quokkaberry records",
            summary="Retention of records agreed by the steering group.",
            members_only=True,
        )
        self.public_document = add_document(
            "Information-sharing template",
            ["1.1 Partners agree the retention of shared records for six years."],
            capture,
            kind=DocumentKind.TEMPLATE,
            organisation=organisation,
            workstreams=[self.asb],
            effective_date=datetime.date(2023, 1, 10),
        )
        self.members_document = add_document(
            "Pan-Sussex Memorandum of Understanding",
            ["9.1 Case records retention: three years, then deleted by the marmalisk process."],
            capture,
            organisation=self.manchester,
            collection=members,
            effective_date=datetime.date(2025, 2, 1),
        )
        self.draft_document = add_document(
            "Harbour protocol draft",
            ["Retention under the zebulonic draft protocol."],
            capture,
            status=DocumentStatus.DRAFT,
        )


@pytest.fixture
def content(search_backend, organisation, django_capture_on_commit_callbacks):
    return Content(django_capture_on_commit_callbacks, organisation)


@pytest.fixture
def pending(make_user):
    return make_user("pending@sussex.police.uk", approved=False)


@pytest.fixture
def editor(make_user):
    return make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS)


def search(client, query="", **params):
    response = client.get(reverse("search"), {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def titles(html):
    return re.findall(r'class="heading-s search-result__title"><a href="[^"]*">([^<]*)</a>', html)


def count(html):
    match = re.search(r'id="search-count"[^>]*>\s*(\d+) results?', html)
    return int(match.group(1)) if match else 0


VIEWERS = ["anonymous", "pending", "member"]


# Who sees what -------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
def test_each_viewer_finds_only_what_they_may_see(content, as_viewer, viewer):
    client = as_viewer(viewer)
    html = search(client, "retention")
    found = set(titles(html))
    assert {"Retention guidance", "Information-sharing template"} <= found
    members_only = {"Steering group minutes on quokkaberry records", "Pan-Sussex Memorandum of Understanding"}
    if viewer == "member":
        assert members_only <= found
        assert count(html) == 4
    else:
        assert not members_only & found
        assert count(html) == 2
        # Nothing about them leaks through counts, facets or snippets either.
        assert "Greater Manchester Police" not in html
        assert "2025" not in html
        assert "quokkaberry" not in html and "marmalisk" not in html
    # Drafts are for editors only.
    assert "Harbour protocol draft" not in found
    assert "zebulonic" not in html


@pytest.mark.parametrize("viewer", VIEWERS)
def test_hidden_words_never_reach_suggestions_or_did_you_mean(content, as_viewer, viewer):
    client = as_viewer(viewer)
    # "quokkabery" is one letter from a word only the members-only page holds.
    html = search(client, "quokkabery")
    if viewer == "member":
        # Nothing has the word as typed: the page shows the results of the close one.
        assert "so these are results for" in html and "quokkaberry" in html
        assert titles(html) == ["Steering group minutes on quokkaberry records"]
    else:
        assert "Did you mean" not in html and "quokkaberry" not in html
        assert "so these are results for" not in html
    fragment = client.get(reverse("search_suggest"), {"q": "Steer"}).content.decode()
    assert ("Steering group minutes" in fragment) is (viewer == "member")
    fragment = client.get(reverse("search_suggest"), {"q": "Pan-Sus"}).content.decode()
    assert ("Pan-Sussex Memorandum" in fragment) is (viewer == "member")
    fragment = client.get(reverse("search_suggest"), {"q": "Harbour"}).content.decode()
    assert "Harbour protocol" not in fragment


def test_editors_find_drafts(content, as_viewer):
    html = search(as_viewer("editor"), "zebulonic")
    assert titles(html) == ["Harbour protocol draft"]


# Filters, counts, sorting, pages -------------------------------------------------------------


def test_facets_count_every_match_and_filters_combine(content, as_viewer):
    client = as_viewer("member")
    html = search(client, "retention")
    assert re.search(r"Memorandum of understanding <span class=\"search-facet__count\">\(1", html)
    assert re.search(r"Page <span class=\"search-facet__count\">\(2", html)
    assert "Standard page" not in html
    assert re.search(r"Anti-social behaviour <span class=\"search-facet__count\">\(1", html)
    assert re.search(r"Greater Manchester Police <span class=\"search-facet__count\">\(1", html)

    html = search(client, "retention", type="document.mou")
    assert titles(html) == ["Pan-Sussex Memorandum of Understanding"]
    # The type facet still counts the other types, so they can be added.
    assert re.search(r"Template <span class=\"search-facet__count\">\(1", html)

    html = search(client, "retention", type=["document.mou", "document.template"])
    assert set(titles(html)) == {"Pan-Sussex Memorandum of Understanding", "Information-sharing template"}
    html = search(client, "retention", type=["document.mou", "document.template"], year="2023")
    assert titles(html) == ["Information-sharing template"]
    html = search(client, "retention", workstream="anti-social-behaviour")
    assert titles(html) == ["Information-sharing template"]
    html = search(client, "retention", organisation=content.manchester.slug)
    assert titles(html) == ["Pan-Sussex Memorandum of Understanding"]
    html = search(client, "retention", organisation="nobody", year="1999")
    assert count(html) == 0 and "Remove the filters" in html
    # Malformed filter values are ignored.
    html = search(client, "retention", type="<script>", year="x" * 500)
    assert count(html) == 4 and "&lt;script&gt;" not in html


def add_scheme(home, title, *, summary, lead_force, partners=(), workstreams=()):
    """A published scheme page (under a new scheme index) with its partners and workstreams."""
    index = SchemeIndexPage(title="Schemes", slug="schemes")
    home.add_child(instance=index)
    scheme = SchemePage(
        title=title,
        slug=re.sub(r"\W+", "-", title.lower()),
        summary=summary,
        lead_force=lead_force,
        region=Region.SOUTH_EAST,
    )
    scheme.partners.set(partners)
    for workstream in workstreams:
        scheme.workstream_uses.add(SchemeWorkstreamUse(workstream=workstream))
    index.add_child(instance=scheme)
    scheme.save_revision().publish()
    rebuild()
    return scheme


def test_scheme_pages_filter_by_their_workstreams_and_organisations(content, as_viewer, organisation):
    brighton = Organisation.objects.create(
        name="Brighton & Hove City Council", kind=OrganisationKind.UNITARY_AUTHORITY, region=Region.SOUTH_EAST
    )
    add_scheme(
        content.home,
        "Pan-Sussex scheme",
        summary="Retention of case records across Sussex partners.",
        lead_force=organisation,
        partners=[brighton, content.manchester],
        workstreams=[Workstream.objects.get(slug="hate-crime"), content.asb],
    )
    client = as_viewer("member")

    html = search(client, "retention")
    assert re.search(r"Scheme <span class=\"search-facet__count\">\(1", html)
    assert re.search(r"Hate crime <span class=\"search-facet__count\">\(1", html)
    # The scheme and the template both run anti-social behaviour.
    assert re.search(r"Anti-social behaviour <span class=\"search-facet__count\">\(2", html)
    # Manchester: the members' MoU and, as a partner, the scheme.
    assert re.search(r"Greater Manchester Police <span class=\"search-facet__count\">\(2", html)

    assert titles(search(client, "retention", workstream="hate-crime")) == ["Pan-Sussex scheme"]
    assert set(titles(search(client, "retention", workstream="anti-social-behaviour"))) == {
        "Pan-Sussex scheme",
        "Information-sharing template",
    }
    assert titles(search(client, "retention", organisation=brighton.slug)) == ["Pan-Sussex scheme"]
    # The lead force counts as well as the partners.
    assert "Pan-Sussex scheme" in titles(search(client, "retention", organisation=organisation.slug))


def test_newest_first_and_pages(content, as_viewer, search_backend):
    client = as_viewer("member")
    for i in range(12):
        add_page(content.home, f"Retention note {i}", summary="Retention schedules.")
    rebuild()
    html = search(client, "retention", sort="newest")
    assert count(html) == 16
    first_page = titles(html)
    assert len(first_page) == 10
    assert "Page 1 of 2" in html and "?q=retention&amp;sort=newest&amp;page=2" in html
    second = search(client, "retention", sort="newest", page="2")
    assert len(titles(second)) == 6
    assert not set(first_page) & set(titles(second))
    assert "Information-sharing template" in titles(second)  # effective in 2023: oldest
    # Out-of-range and malformed page numbers show a page, not an error.
    assert len(titles(search(client, "retention", page="999"))) == 6
    assert len(titles(search(client, "retention", page="abc"))) == 10


def test_snippets_mark_matches_and_escape_content(content, as_viewer, django_capture_on_commit_callbacks):
    add_document(
        "Escaping test",
        ['Retention <script>alert("x")</script> & <b>bold</b> clauses'],
        django_capture_on_commit_callbacks,
        kind=DocumentKind.GUIDANCE,
    )
    rebuild()
    html = search(as_viewer("member"), "retention")
    assert "<mark>retention</mark>" in html.lower()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "<b>bold</b>" not in html


def test_did_you_mean_offers_a_better_spelling(content, as_viewer):
    # Nothing found: the close spelling's results are shown at once.
    html = search(as_viewer("anonymous"), "retension guidence")
    assert "so these are results for" in html and "retention guidance" in html
    assert titles(html)[0] == "Retention guidance"
    # Some words found: "did you mean" alongside the some-words results.
    html = search(as_viewer("anonymous"), "retention guidence")
    assert "No results contain all of the words" in html
    assert "Did you mean" in html and "retention guidance" in html
    html = search(as_viewer("anonymous"), "retention")
    assert "Did you mean" not in html


def test_some_words_when_no_result_has_all(content, as_viewer):
    html = search(as_viewer("anonymous"), "retention xylophonic")
    assert "No results contain all of the words" in html
    assert "Retention guidance" in titles(html)


def test_empty_states(content, client):
    html = search(client, "")
    assert "Tips" in html and "search-count" not in html
    html = search(client, "nothingmatchesthisword")
    assert "No results for" in html and "Check the spelling" in html and "Sign in" in html


def test_suggestions_fragment(content, client):
    response = client.get(reverse("search_suggest"), {"q": "Reten"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-labelledby="search-suggestions-heading"' in html
    assert 'href="/retention-guidance/"' in html
    assert 'hx-swap-oob="true"' in html and "suggestion" in html
    assert "Reten" not in client.get(reverse("search_suggest"), {"q": "R"}).content.decode()


def test_page_has_plain_form_and_htmx_suggestions(content, client):
    html = search(client, "retention")
    assert '<form method="get" action="/search/" role="search"' in html
    assert 'hx-get="/search/suggest/"' in html
    assert 'role="status" aria-live="polite"' in html
    assert "css/search.css" in html


# Queries -------------------------------------------------------------------------------------


def _bulk(content, capture, n):
    for i in range(n):
        add_page(content.home, f"Retention bulk page {i}", summary=f"Retention schedule number {i}.")
    for i in range(n // 2):
        add_document(
            f"Retention bulk document {i}", [f"Retention clause {i}."], capture, workstreams=[content.asb]
        )
    rebuild()


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_query_count_does_not_grow_with_the_data(
    content, as_viewer, viewer, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_viewer(viewer)
    search(client, "retention")  # warm Wagtail's caches (site root paths, chrome)

    def measure(query, **params):
        forget_kept()  # both measured as a process that has not yet seen these items
        with CaptureQueriesContext(connection) as queries:
            search(client, query, **params)
        return len(queries)

    small = measure("retention", sort="newest")
    _bulk(content, django_capture_on_commit_callbacks, 24)
    search(client, "warm")  # the site chrome, retired by the new pages, is cached again
    with django_assert_max_num_queries(12):
        large = measure("retention", sort="newest")
    assert large <= small + 1  # one more page type may be on the first page
    with django_assert_max_num_queries(12):
        search(client, "retention", type="document.mou", page="2")
    with django_assert_max_num_queries(12):
        search(client, "retentoin")  # did you mean
    with django_assert_max_num_queries(8):
        client.get(reverse("search_suggest"), {"q": "Reten"})


def test_a_page_found_again_is_presented_without_a_query_and_anew_after_a_change(
    content, as_viewer, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = add_page(content.home, "Kerbside waste protocol", summary="Kerbside collections and waste.")
    rebuild()
    client = as_viewer("member")
    search(client, "nothing-here")  # warm Wagtail's caches (site root paths, chrome)
    with CaptureQueriesContext(connection) as first:
        assert "Kerbside waste protocol" in search(client, "kerbside collections")
    with CaptureQueriesContext(connection) as again:
        assert "Kerbside waste protocol" in search(client, "kerbside waste")
    assert len(again) < len(first)  # the page's row is not read again

    with django_capture_on_commit_callbacks(execute=True):
        page.title = "Kerbside waste protocol, revised"
        page.save_revision().publish()  # a new content version: presented afresh
    rebuild()
    assert "Kerbside waste protocol, revised" in search(client, "kerbside waste")


def test_documents_presented_to_one_viewer_are_kept_but_never_shown_to_another_who_may_not_see_them(
    content, as_viewer, make_user, pending
):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # An editor's search presents the draft (kept); a member's the members-only MoU (kept).
    assert "Harbour protocol draft" in titles(search(as_viewer("editor"), "zebulonic"))
    member = Client()
    member.force_login(make_user("member@sussex.police.uk"))
    search(member, "nothing-here")  # warm Wagtail's caches (site root paths, chrome)
    with CaptureQueriesContext(connection) as first:
        assert "Pan-Sussex Memorandum of Understanding" in titles(search(member, "marmalisk"))
    with CaptureQueriesContext(connection) as again:
        assert "Pan-Sussex Memorandum of Understanding" in titles(search(member, "marmalisk process"))
    assert len(again) < len(first)  # the document's row and text are not read again
    html = search(member, "zebulonic protocol")  # the draft: editors only
    assert "Harbour protocol draft" not in html and "Retention under the" not in html
    # Never to those who may not see the document, whoever it was presented to before.
    anonymous, waiting = Client(), Client()
    waiting.force_login(pending)
    for client in (anonymous, waiting):
        html = search(client, "deleted marmalisk process")
        assert "Pan-Sussex Memorandum" not in html and "three years" not in html
        html = search(client, "zebulonic protocol")
        assert "Harbour protocol draft" not in html and "Retention under the" not in html


def test_candidates_found_again_are_not_read_again_and_never_given_to_a_viewer_who_may_not_see_them(
    content, as_viewer, make_user, monkeypatch
):
    """Candidates are kept per content version for every viewer (``kept_candidates``); who may
    see each is decided again on every search, from the facts kept with it."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from search import sources

    member = Client()
    member.force_login(make_user("member@sussex.police.uk"))
    search(member, "nothing-here")  # warm Wagtail's caches (site root paths, chrome)
    assert "Pan-Sussex Memorandum of Understanding" in titles(search(member, "marmalisk"))
    assert "Steering group minutes on quokkaberry records" in titles(search(member, "quokkaberry"))
    with CaptureQueriesContext(connection) as again:
        assert "Pan-Sussex Memorandum of Understanding" in titles(search(member, "marmalisk deleted"))
        assert "Steering group minutes on quokkaberry records" in titles(
            search(member, "quokkaberry minutes")
        )
    read = " ".join(query["sql"] for query in again)
    assert "documents_documentworkstream" not in read  # the documents' facets: kept
    assert '"wagtailcore_page"."search_description"' not in read  # the pages' names: kept

    # Kept from the member's searches, never shown to those who may not see them.
    assert "Harbour protocol draft" in titles(search(as_viewer("editor"), "zebulonic"))
    anonymous = Client()
    assert "Pan-Sussex Memorandum" not in search(anonymous, "marmalisk deleted")
    assert count(search(anonymous, "quokkaberry minutes")) == 0
    assert "Harbour protocol draft" not in titles(search(member, "zebulonic"))

    # Even if the index answered with them (an index behind the database): the kept facts decide.
    import documents.search_source

    keys = {
        "documents": [content.draft_document.pk, content.members_document.pk],
        "pages": [content.private_page.pk],
    }

    def index_behind(queryset, query, **kwargs):
        return keys["documents" if queryset.model is documents.models.GovernanceDocument else "pages"], False

    monkeypatch.setattr(sources, "search_keys", index_behind)
    monkeypatch.setattr(documents.search_source, "search_keys", index_behind)
    html = search(anonymous, "anything at all")
    assert count(html) == 0 and "quokkaberry" not in html and "Harbour" not in html  # nor counted
    shown = titles(search(member, "anything at all"))
    assert "Pan-Sussex Memorandum of Understanding" in shown and "Harbour protocol draft" not in shown

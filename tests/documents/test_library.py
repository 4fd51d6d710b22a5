"""The library page: filters with counts, sort, search, pagination, the superseded switch, htmx,
visibility, and a query count that does not grow with the number of documents."""

import datetime
import uuid

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Collection

from documents.models import (
    DocumentKind,
    DocumentStatus,
    DocumentText,
    DocumentWorkstream,
    GovernanceDocument,
)
from documents.samples import make_pdf
from documents.services import document_add_version, document_agree
from schemes.models import Organisation, OrganisationKind, Region, Workstream

from .conftest import CLAUSES_V2

pytestmark = pytest.mark.django_db


def bulk_documents(count: int, *, collection=None) -> None:
    """Rows only (no files): enough for the listing, fast at 5,000."""
    root = collection or Collection.get_first_root_node()
    organisations = [
        Organisation.objects.get_or_create(
            name=f"Council {i}",
            defaults={"kind": OrganisationKind.DISTRICT_COUNCIL, "region": Region.values[i % 10]},
        )[0]
        for i in range(12)
    ]
    workstreams = list(Workstream.objects.order_by("pk"))
    kinds = DocumentKind.values
    statuses = [
        DocumentStatus.AGREED,
        DocumentStatus.AGREED,
        DocumentStatus.IN_CONSULTATION,
        DocumentStatus.SUPERSEDED,
    ]
    now = timezone.now()
    documents = GovernanceDocument.objects.bulk_create(
        [
            GovernanceDocument(
                title=f"Bulk memorandum {i:05d}",
                file=f"documents/bulk-{i}.pdf",
                collection=root,
                kind=kinds[i % len(kinds)],
                status=statuses[i % len(statuses)],
                organisation=organisations[i % len(organisations)],
                region=organisations[i % len(organisations)].region,
                family=uuid.uuid4(),
                effective_date=datetime.date(2015 + i % 10, 1 + i % 12, 1),
                review_date=datetime.date(2026 + i % 3, 1 + i % 12, 1),
                summary="A partnership agreement.",
            )
            for i in range(count)
        ],
        batch_size=500,
    )
    DocumentText.objects.bulk_create(
        [DocumentText(document=document, status="done", extracted_at=now) for document in documents]
    )
    DocumentWorkstream.objects.bulk_create(
        [
            # By position, not primary key: keys depend on what ran before (sequences are not
            # rolled back), and the same ten documents must match the same filters every run.
            DocumentWorkstream(content_object=document, tag=workstreams[(i + j) % len(workstreams)])
            for i, document in enumerate(documents)
            for j in range(2)
        ],
        batch_size=1000,
    )


def retire_kept_pages():
    """bulk_create sends no signals: retire the kept listings as any saved document does."""
    from serving.version import bump_version

    bump_version()


def get(client, library, query=""):
    response = client.get(library.url + query)
    assert response.status_code == 200, response.content[:500]
    return response


def test_lists_current_versions_by_default_with_a_switch_for_superseded(client, library, make_document):
    first = make_document(title="Pan-Sussex MoU", version_label="1")
    second = document_add_version(
        previous=first, file=ContentFile(make_pdf(CLAUSES_V2), name="v2.pdf"), version_label="2"
    )
    document_agree(document=second)
    page = get(client, library).content.decode()
    assert page.count("Pan-Sussex MoU") == 1
    assert f"{second.pk}-pan-sussex-mou/" in page
    assert f"{first.pk}-pan-sussex-mou/" not in page
    page = get(client, library, "?superseded=1").content.decode()
    assert f"{first.pk}-pan-sussex-mou/" in page
    assert "A newer version of this document exists." in page


def test_drafts_are_never_listed(client, library, make_document, make_user):
    make_document(title="Secret draft", status=DocumentStatus.DRAFT)
    client.force_login(make_user("editor@sussex.police.uk", role="National editors"))
    assert "Secret draft" not in get(client, library, "?superseded=1").content.decode()


def test_filters_combine_and_counts_exclude_their_own_filter(
    client, library, make_document, other_organisation, workstream
):
    hate = Workstream.objects.get(slug="hate-crime")
    make_document(title="Sussex MoU", workstreams=[workstream])
    make_document(title="Sussex ToR", kind=DocumentKind.TERMS_OF_REFERENCE, workstreams=[workstream, hate])
    make_document(title="Manchester MoU", organisation=other_organisation, workstreams=[hate])

    response = get(client, library, "?kind=mou")
    listing = response.context["library_body"]
    assert "Sussex MoU" in listing and "Manchester MoU" in listing and "Sussex ToR" not in listing
    # The kind counts ignore the kind filter, so the other kinds can still be added.
    assert 'id="f-kind-terms_of_reference"' in listing
    assert 'Terms of reference <span class="facet__count">(1' in listing
    assert 'Memorandum of understanding <span class="facet__count">(2' in listing
    # Other facets count within the kind filter.
    assert 'Greater Manchester Police <span class="facet__count">(1' in listing

    listing = get(client, library, "?kind=mou&workstream=hate-crime").content.decode()
    assert "Manchester MoU" in listing and "Sussex MoU" not in listing
    listing = get(client, library, "?region=north_west").content.decode()
    assert "Manchester MoU" in listing and "Sussex ToR" not in listing
    listing = get(client, library, f"?organisation={other_organisation.slug}").content.decode()
    assert "Manchester MoU" in listing and "Sussex MoU" not in listing
    listing = get(client, library, "?status=in_consultation").content.decode()
    assert "No documents match your search and filters." in listing


def test_unknown_filter_values_are_ignored(client, library, make_document):
    make_document(title="Sussex MoU")
    page = get(
        client, library, "?kind=nonsense&status=draft&region=mars&sort=evil&page=abc&workstream=%3Cscript%3E"
    ).content.decode()
    assert "Sussex MoU" in page
    assert "<script>" not in page.split("</head>")[1]


def test_sort_orders(client, library, make_document):
    make_document(
        title="Beta", effective_date=datetime.date(2020, 1, 1), review_date=datetime.date(2030, 1, 1)
    )
    make_document(
        title="alpha", effective_date=datetime.date(2022, 1, 1), review_date=datetime.date(2029, 1, 1)
    )
    make_document(title="Gamma", effective_date=datetime.date(2021, 1, 1), review_date=None)

    assert _titles(client, library, "") == ["alpha", "Gamma", "Beta"]
    assert _titles(client, library, "?sort=title") == ["alpha", "Beta", "Gamma"]
    assert _titles(client, library, "?sort=review") == ["alpha", "Beta", "Gamma"]


def _titles(client, library, query):
    import re

    page = get(client, library, query).content.decode()
    return re.findall(r'class="heading-s document-result__title"><a href="[^"]+">([^<]+)</a>', page)


def test_search_within_the_library_reads_the_extracted_text(search_index, client, library, make_document):
    make_document(title="Pan-Sussex MoU")  # its text mentions "fax"
    make_document(title="Other MoU", clauses=["1.1 Nothing relevant here."])
    assert _titles(client, library, "?q=fax") == ["Pan-Sussex MoU"]
    page = get(client, library, "?q=fax").content.decode()
    assert "matching “fax”" in page
    assert "No documents match" in get(client, library, "?q=zzzzqqq").content.decode()


def test_pagination_keeps_the_filters(client, library, settings):
    settings.DOCUMENTS_LIBRARY_PAGE_SIZE = 5
    bulk_documents(80)
    page = get(client, library, "?kind=mou").content.decode()
    assert "Page 1 of" in page
    assert "?kind=mou&amp;page=2" in page
    second = get(client, library, "?kind=mou&page=2").content.decode()
    assert "Page 2 of" in second
    assert "Page 1 of" in get(client, library, "?page=9999").content.decode() or "Page" in second


def test_htmx_request_gets_only_the_results(client, library, make_document):
    make_document(title="Sussex MoU")
    response = client.get(library.url + "?kind=mou", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="library-body")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="library-body"')
    assert 'hx-swap-oob="true"' in body and "1 document found" in body
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_works_without_javascript(client, library, make_document):
    make_document(title="Sussex MoU")
    page = get(client, library).content.decode()
    assert '<form method="get" action="/library/"' in page
    assert "Apply filters" in page and 'type="submit"' in page


def test_anonymous_visitors_see_only_public_documents(
    client, library, make_document, members_collection, member
):
    make_document(title="Public template")
    make_document(title="Members MoU", collection=members_collection)
    page = get(client, library).content.decode()
    assert "Public template" in page and "Members MoU" not in page
    assert "Sign in" in page and "to see them all" in page
    client.force_login(member)
    page = get(client, library).content.decode()
    assert "Public template" in page and "Members MoU" in page


def test_cached_listing_is_not_shared_between_audiences(
    client, library, make_document, members_collection, member
):
    make_document(title="Members MoU", collection=members_collection)
    client.force_login(member)
    assert "Members MoU" in get(client, library).content.decode()
    client.logout()
    assert "Members MoU" not in get(client, library).content.decode()


def test_listing_changes_as_soon_as_a_document_does(client, library, make_document):
    document = make_document(title="Old title")
    assert "Old title" in get(client, library).content.decode()
    document.title = "New title"
    document.save()
    assert "New title" in get(client, library).content.decode()


def _count_queries(client, library, query):
    with CaptureQueriesContext(connection) as context:
        get(client, library, query)
    return len(context.captured_queries)


QUERIES = [
    "",
    "?kind=mou&workstream=hate-crime&superseded=1&sort=title",
    "?status=agreed&region=south_east&page=3",
]


@pytest.mark.parametrize("query", QUERIES)
def test_query_count_is_constant_from_10_to_5000_documents(
    client, library, query, django_assert_max_num_queries, settings
):
    """Anonymous visitors, listing not yet cached: at most 12 queries (DESIGN.md), 10 or 5,000
    documents alike. Adding documents retires the kept listings (the content version), so each
    count below is taken with the listing freshly computed. The anonymous page cache (serving.page_cache) is off:
    this measures the page itself."""
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    bulk_documents(10)
    get(client, library, "?kind=dpia&region=wales")  # Wagtail's own caches (site root paths, chrome)
    small = _count_queries(client, library, query)
    bulk_documents(4990)
    retire_kept_pages()
    get(client, library, "?kind=dpia&region=wales")  # the site's caches again, after the change
    with django_assert_max_num_queries(12):
        large = _count_queries(client, library, query)
    assert small == large
    with django_assert_max_num_queries(8):
        get(client, library, query)  # now cached


def test_members_query_count_is_constant(client, library, member, settings):
    # What rendering the listing costs: the whole-page cache per audience is off here.
    settings.AUDIENCE_PAGE_CACHE_SECONDS = 0
    client.force_login(member)
    bulk_documents(10)
    get(client, library, "?kind=dpia&region=wales")
    small = _count_queries(client, library, "?kind=mou")
    bulk_documents(4990)
    retire_kept_pages()
    get(client, library, "?kind=dpia&region=wales")
    large = _count_queries(client, library, "?kind=mou")
    assert small == large
    cached = _count_queries(client, library, "?kind=mou")
    assert cached == large - 4

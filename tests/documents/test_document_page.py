"""The page of each document: metadata, versions, review notice, and comparing versions."""

import datetime

import pytest
from django.core.files.base import ContentFile

from documents.comparison import compare_texts
from documents.models import DocumentStatus
from documents.samples import make_docx, make_pdf
from documents.services import document_add_version, document_agree

from .conftest import CLAUSES_V1, CLAUSES_V2

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(make_document, scheme, workstream, other_organisation):
    """Version 1 as DOCX, version 2 as PDF (agreed, superseding 1)."""
    first = make_document(
        title="Pan-Sussex MoU",
        fmt="docx",
        version_label="1.0",
        scheme=scheme,
        workstreams=[workstream],
        signatories=[other_organisation],
        summary="How the partners share information.",
    )
    second = document_add_version(
        previous=first,
        file=ContentFile(make_pdf(CLAUSES_V2), name="v2.pdf"),
        version_label="2.0",
        review_date=datetime.date(2020, 1, 1),
    )
    from documents.services import document_extract_text

    document_extract_text(document_id=second.pk)
    document_agree(document=second)
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def test_document_page_shows_metadata_versions_and_download(client, library, family, member):
    first, second = family
    client.force_login(member)
    page = client.get(library.document_url(second)).content.decode()
    assert '<h1 class="heading-xl document-page__title">Pan-Sussex MoU</h1>' in page
    assert "Status: </span>Agreed" in page
    assert "Version 2.0" in page
    assert "Greater Manchester Police" in page  # signatory, inherited from version 1
    assert "Anti-social behaviour" in page
    assert "Pan-Sussex" in page and "(owner)" in page
    assert f'href="{second.url}"' in page and "Download (PDF" in page
    assert "version 1.0" in page and 'aria-current="page"' in page
    assert "Compare two versions" in page


def test_review_overdue_notice(client, library, family, member):
    _, second = family
    client.force_login(member)
    page = client.get(library.document_url(second)).content.decode()
    assert "Review overdue" in page
    assert "due for review on 1 January 2020" in page


def test_superseded_version_points_to_the_current_one(client, library, family, member):
    first, second = family
    client.force_login(member)
    page = client.get(library.document_url(first)).content.decode()
    assert "This is not the current version" in page
    assert library.document_url(second) in page
    assert "Review overdue" not in page


def test_wrong_slug_redirects_to_the_canonical_address(client, library, family):
    first, _ = family
    response = client.get(f"{library.url}{first.pk}-old-title/")
    assert response.status_code == 302
    assert response["Location"] == library.document_url(first)
    assert client.get(f"{library.url}{first.pk}/")["Location"] == library.document_url(first)


def test_missing_or_restricted_document_pages_do_not_leak(
    client, library, make_document, members_collection, make_user
):
    document = make_document(collection=members_collection)
    assert client.get(library.document_url(document))["Location"].startswith("/accounts/login/")
    assert client.get(f"{library.url}999999-nothing/")["Location"].startswith("/accounts/login/")
    pending = make_user("pending@sussex.police.uk", approved=False)
    client.force_login(pending)
    # Someone awaiting approval is told why, as on members-only pages; a missing one is a 404.
    response = client.get(library.document_url(document))
    assert response.status_code == 403 and "waiting for approval" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert client.get(f"{library.url}999999-nothing/").status_code == 404
    # Rejected people are told so too.
    pending.approval_status = "rejected"
    pending.save()
    response = client.get(library.document_url(document))
    assert response.status_code == 403 and "has not been approved" in response.content.decode()


def test_comparison_marks_clause_changes_accessibly(client, library, family, member):
    first, second = family
    client.force_login(member)
    response = client.get(f"{library.url}{second.pk}/compare/?a={first.pk}&b={second.pk}")
    page = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "Changes from 1.0 to 2.0" in page
    assert "1 clause changed, 1 added, 1 removed; 4 unchanged." in page
    assert '<del class="diff-removed"><span class="visually-hidden">[removed: </span>six' in page
    assert '<ins class="diff-added"><span class="visually-hidden">[added: </span>three' in page
    assert "unchanged clauses" in page
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_comparison_defaults_to_the_previous_version_and_accepts_either_order(client, library, family):
    first, second = family
    default = client.get(f"{library.url}{second.pk}/compare/").content.decode()
    swapped = client.get(f"{library.url}{second.pk}/compare/?a={second.pk}&b={first.pk}").content.decode()
    assert "Changes from 1.0 to 2.0" in default and "Changes from 1.0 to 2.0" in swapped


@pytest.mark.parametrize("query", ["?a=1&b=1", "?a=abc&b=2", "?a=999999&b=1"])
def test_comparison_with_bad_choices_explains_itself(client, library, family, query):
    first, second = family
    query = (
        query.replace("a=1", f"a={first.pk}").replace("b=1", f"b={first.pk}").replace("b=2", f"b={second.pk}")
    )
    response = client.get(f"{library.url}{second.pk}/compare/{query}")
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_versions_from_another_family_cannot_be_compared(client, library, family, make_document):
    _, second = family
    stranger = make_document(title="Another scheme's MoU")
    response = client.get(f"{library.url}{second.pk}/compare/?a={stranger.pk}&b={second.pk}")
    assert response.status_code == 400
    assert "Another scheme" not in response.content.decode().split("<main")[1].split("compare-b")[0]


def test_clause_comparison_ignores_renumbering_and_pairs_edits():
    old = "1. Purpose\n\n1.1 Records are kept for six years.\n\n1.2 Faxes are allowed."
    new = "1. Purpose\n\n1.0 New opening clause about scope.\n\n1.2 Records are kept for three years."
    comparison = compare_texts(old, new)
    ops = [change.op for change in comparison.changes]
    assert ops.count("changed") == 1
    assert comparison.added == 1 and comparison.removed == 1
    changed = next(c for c in comparison.changes if c.op == "changed")
    assert [s.text for s in changed.segments if s.op == "removed"] == ["1.1", "six"]
    assert [s.text for s in changed.segments if s.op == "added"] == ["1.2", "three"]


def test_identical_texts_have_no_changes():
    text = "\n\n".join(CLAUSES_V1)
    assert not compare_texts(text, text).has_changes


def test_docx_and_pdf_of_the_same_text_compare_equal(tmp_path):
    from documents.extraction import extract_file

    (tmp_path / "a.docx").write_bytes(make_docx(CLAUSES_V1))
    (tmp_path / "a.pdf").write_bytes(make_pdf(CLAUSES_V1))
    docx = extract_file(tmp_path / "a.docx", "docx").text
    pdf = extract_file(tmp_path / "a.pdf", "pdf").text
    assert not compare_texts(docx, pdf).has_changes


def test_document_not_readable_cannot_be_compared_but_still_downloads(client, library, make_document, member):
    first = make_document(version_label="1")
    broken = document_add_version(
        previous=first,
        file=ContentFile(b"%PDF-1.4\n%%EOF garbage", name="broken.pdf"),
        version_label="2",
        status=DocumentStatus.IN_CONSULTATION,
    )
    from documents.services import document_extract_text

    document_extract_text(document_id=broken.pk)
    client.force_login(member)
    response = client.get(f"{library.url}{broken.pk}/compare/?a={first.pk}&b={broken.pk}")
    assert "could not be read, so they cannot be compared" in response.content.decode()
    page = client.get(library.document_url(broken)).content.decode()
    assert "could not be read" in page

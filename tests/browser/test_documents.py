"""Journeys through the document library: filtering, comparing two versions, downloading."""

import io
import re

import pytest

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def library(site):
    from documents.demo import load_demo_documents

    load_demo_documents(stdout=io.StringIO())


@pytest.fixture
def member_page(page, library, make_user, sign_in):
    make_user("ruth.ellis@sussex.police.uk", password=PASSWORD)
    sign_in(page, "ruth.ellis@sussex.police.uk", PASSWORD)
    return page


def results(page):
    return page.locator(".document-result__title").all_inner_texts()


def test_filtering_the_library_updates_results_in_place(member_page, axe_check):
    page = member_page
    page.goto("/library/")
    axe_check(page)
    assert page.inner_text("#library-count").startswith("5 documents")
    assert "Pan-Sussex Memorandum of Understanding" in results(page)

    # Ticking a filter updates the results without a page load, and the address follows.
    page.evaluate("window.__marker = 'same page'")
    page.get_by_label(re.compile(r"^Memorandum of understanding")).check()
    page.wait_for_function(
        "() => document.querySelector('#library-count').textContent.trim().startsWith('3 documents')"
    )
    assert page.evaluate("window.__marker") == "same page"
    assert "kind=mou" in page.url
    assert "3 documents found" in page.inner_text("#library-status")
    assert "Pan-Sussex steering group terms of reference" not in results(page)
    axe_check(page)

    page.get_by_label(re.compile(r"^North West")).check()
    page.wait_for_function(
        "() => document.querySelector('#library-count').textContent.trim().startsWith('1 document')"
    )
    assert results(page) == ["Greater Manchester Memorandum of Understanding"]

    # The superseded switch brings back the first Pan-Sussex version.
    page.goto("/library/?kind=mou&superseded=1")
    assert results(page).count("Pan-Sussex Memorandum of Understanding") == 2
    axe_check(page)


def test_filtering_works_without_javascript(browser, live_server, library, make_user, sign_in):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        page.goto("/library/?q=")
        page.get_by_label(re.compile(r"^Template")).check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"kind=template"))
        assert results(page) == ["Information-sharing agreement template"]
        assert "to see them all" in page.inner_text("main")  # members-only documents are hidden
    finally:
        context.close()


def test_comparing_two_versions_of_the_pan_sussex_mou(member_page, axe_check):
    page = member_page
    page.goto("/library/")
    page.get_by_role("link", name="Pan-Sussex Memorandum of Understanding").click()
    page.wait_for_selector("h1:has-text('Pan-Sussex Memorandum of Understanding')")
    axe_check(page)
    assert "version 1.0" in page.inner_text("#versions + .timeline")
    from documents.models import GovernanceDocument

    versions = GovernanceDocument.objects.filter(title="Pan-Sussex Memorandum of Understanding")
    page.get_by_label("Earlier version").select_option(value=str(versions.get(version_label="1.0").pk))
    page.get_by_label("Later version").select_option(value=str(versions.get(version_label="2.0").pk))
    page.get_by_role("button", name="Compare versions").click()
    page.wait_for_selector(".compare-summary")
    summary = " ".join(page.inner_text(".compare-summary").split())
    assert "4 clauses changed, 2 added, 1 removed" in summary
    assert page.locator("del.diff-removed", has_text="six").count() >= 1
    assert page.locator("ins.diff-added", has_text="three").count() >= 1
    # Screen readers hear the change, not just see a colour.
    assert (
        "[removed:" in page.locator(".diff__clause--changed").first.inner_text()
        or page.locator(".diff__clause--changed .visually-hidden").count()
    )
    axe_check(page)


def test_downloading_a_document_is_counted(member_page, axe_check):
    from documents.models import GovernanceDocument

    page = member_page
    document = GovernanceDocument.objects.get(
        title="Pan-Sussex Memorandum of Understanding", version_label="2.0"
    )
    page.goto(f"/library/{document.pk}-{document.slug}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download \(PDF")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    document.refresh_from_db()
    assert document.download_count == 1


def test_visitors_are_asked_to_sign_in_for_members_documents(page, library, axe_check):
    from documents.models import GovernanceDocument

    document = GovernanceDocument.objects.get(
        title="Pan-Sussex Memorandum of Understanding", version_label="2.0"
    )
    page.goto(f"/library/{document.pk}-{document.slug}/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.goto("/library/")
    axe_check(page)
    assert results(page) == ["Information-sharing agreement template"]

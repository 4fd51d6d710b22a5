"""Journey through the schemes: the index, its filters and the national usage matrix, then the
Pan-Sussex scheme, its MoU and the comparison with an MoU adapted from it."""

import io
import re

import pytest

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def member_page(page, site, make_user, sign_in):
    from documents.demo import load_demo_documents

    load_demo_documents(stdout=io.StringIO())
    make_user("ruth.ellis@sussex.police.uk", password=PASSWORD)
    sign_in(page, "ruth.ellis@sussex.police.uk", PASSWORD)
    return page


def matrix_cell(page, scheme: str, workstream: str) -> str:
    headers = page.locator(".usage-matrix__table thead th").all_inner_texts()
    row = page.locator(".usage-matrix__table tbody tr", has=page.locator("th", has_text=scheme))
    return " ".join(row.locator("th, td").nth(headers.index(workstream)).inner_text().split())


def test_schemes_index_matrix_and_the_pan_sussex_mou(member_page, axe_check):
    page = member_page
    page.goto("/schemes/")
    axe_check(page)
    assert page.locator("caption", has_text="Workstreams in use by scheme").count() == 1
    assert matrix_cell(page, "Pan-Sussex", "Restorative justice") == "Live since March 2015"
    assert matrix_cell(page, "Pan-Sussex", "Taxi licensing").startswith("Pilot")
    assert matrix_cell(page, "Greater Manchester", "Taxi licensing") == "Not used"

    # Filter with the plain form: only the North West scheme is left.
    page.get_by_label("Region").select_option("north_west")
    with page.expect_navigation():
        page.get_by_role("button", name="Show schemes").click()
    assert "region=north_west" in page.url
    assert page.locator(".usage-matrix__table tbody th").all_inner_texts() == ["Greater Manchester"]
    axe_check(page)
    assert (
        page.get_by_role("link", name="Download the matrix (CSV)")
        .get_attribute("href")
        .endswith("matrix-csv/?region=north_west")
    )

    # A value the form never offers is explained, not an error page.
    page.goto("/schemes/?workstream=not-a-workstream")
    assert "There is no workstream “not-a-workstream”" in page.inner_text(".error-summary")
    axe_check(page)

    page.goto("/schemes/")
    page.locator("ul.results").get_by_role("link", name="Pan-Sussex").click()
    page.wait_for_selector("h1:has-text('Pan-Sussex')")
    axe_check(page)
    main = page.inner_text("main")
    for text in (
        "Every three months",
        "Half the meetings",
        "Chief superintendent",
        "Mid Sussex District Council",
    ):
        assert text in main, text

    page.locator("a.scheme-mou").click()
    page.wait_for_selector("h1:has-text('Pan-Sussex Memorandum of Understanding')")
    axe_check(page)
    assert "Thames Valley Memorandum of Understanding" in page.inner_text("#lineage ~ ul")

    page.get_by_role("link", name=re.compile("compare clause by clause with Thames Valley")).click()
    page.wait_for_selector(".compare-summary")
    assert "Thames Valley Memorandum of Understanding" in page.inner_text("h2.heading-l")
    axe_check(page)

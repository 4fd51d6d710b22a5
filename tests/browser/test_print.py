"""Printed document and comparison pages: no buttons, forms or empty headings; each link's
address written after it (issue 10)."""

import io

import pytest

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def member_page(page, site, make_user, sign_in):
    from documents.demo import load_demo_documents

    load_demo_documents(stdout=io.StringIO())
    make_user("ruth.ellis@sussex.police.uk", password=PASSWORD)
    sign_in(page, "ruth.ellis@sussex.police.uk", PASSWORD)
    return page


def assert_printable(page):
    page.emulate_media(media="print")
    visible = page.evaluate(
        """() => [...document.querySelectorAll('main button, main form, main .button, h1, h2, h3')]
            .filter(el => el.matches('button, form, .button') || !el.textContent.trim())
            .filter(el => getComputedStyle(el).display !== 'none').map(el => el.outerHTML.slice(0, 80))"""
    )
    assert visible == []
    shown = page.evaluate(
        """() => [...document.querySelectorAll('main a[href^="/"]')]
            .map(a => getComputedStyle(a, '::after').content)"""
    )
    assert shown and any(content.startswith('" (/') for content in shown)
    page.emulate_media(media="screen")


def test_document_and_comparison_pages_print_without_controls_and_with_addresses(member_page):
    from documents.models import GovernanceDocument

    page = member_page
    versions = GovernanceDocument.objects.filter(title="Pan-Sussex Memorandum of Understanding")
    current = versions.get(version_label="2.0")
    page.goto(f"/library/{current.pk}-{current.slug}/")
    assert_printable(page)
    page.get_by_label("Earlier version").select_option(value=str(versions.get(version_label="1.0").pk))
    page.get_by_label("Later version").select_option(value=str(current.pk))
    page.get_by_role("button", name="Compare versions").click()
    page.wait_for_selector(".compare-summary")
    assert_printable(page)

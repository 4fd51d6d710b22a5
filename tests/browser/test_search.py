"""Journeys through the site search: searching, filtering, suggestions by keyboard, and the
plain form without JavaScript, each page audited with axe."""

import io
import re

import pytest

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def demo(site):
    from django.core.management import call_command

    from documents.demo import load_demo_documents

    load_demo_documents(stdout=io.StringIO())
    call_command("rebuild_modelsearch_index", verbosity=0)


@pytest.fixture
def member_page(page, demo, make_user, sign_in):
    make_user("ruth.ellis@sussex.police.uk", password=PASSWORD)
    sign_in(page, "ruth.ellis@sussex.police.uk", PASSWORD)
    return page


def titles(page):
    return page.locator(".search-result__title").all_inner_texts()


def test_a_member_finds_mous_and_filters_them(member_page, axe_check):
    page = member_page
    page.goto("/search/")
    axe_check(page)
    page.get_by_label("Search for").fill("memorandum of understanding")
    page.get_by_label("Search for").press("Enter")
    page.wait_for_selector("#search-count")
    axe_check(page)
    assert "Pan-Sussex Memorandum of Understanding" in titles(page)
    assert page.locator(".search-result__snippet mark").count() > 0
    page.get_by_label(re.compile(r"^Memorandum of understanding \(")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"type=document.mou"))
    axe_check(page)
    assert titles(page) and all("Memorandum" in t or "MoU" in t for t in titles(page))


def test_suggestions_as_you_type_are_reachable_by_keyboard(member_page, axe_check):
    page = member_page
    page.goto("/search/")
    page.get_by_label("Search for").press_sequentially("Pan-Sus", delay=30)
    suggestions = page.get_by_role("list", name="Suggestions")
    suggestions.wait_for()
    assert "suggestion" in page.inner_text("#search-suggestions-status")
    axe_check(page)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Pan-Sussex" in focused
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Pan-Sussex" in page.inner_text("h1")


def test_the_search_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        page.goto("/search/")
        page.get_by_label("Search for").fill("information sharing")
        page.get_by_role("search", name="Site search").get_by_role("button", name="Search").click()
        page.wait_for_url(re.compile(r"q=information"))
        assert titles(page)
        # Members-only documents are not found by visitors.
        assert "Pan-Sussex Memorandum of Understanding" not in titles(page)
        # A one-word typo with no results is corrected at once, and said so.
        page.goto("/search/?q=informaton")
        assert "No results for “informaton”, so these are results for information" in page.inner_text("main")
        assert titles(page)
    finally:
        context.close()

"""An axe audit of every page template of the foundation, as each kind of visitor sees it."""

import pytest

PASSWORD = "a long and unusual passphrase 42"

VISITOR_PAGES = [
    "/",
    "/about/",
    "/accessibility-statement/",
    "/schemes/",
    "/schemes/pan-sussex/",
    "/search/?q=sussex",
    "/search/?q=zzqxj",
    "/no-such-page/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/confirm-email/not-a-real-key/",
]
MEMBER_PAGES = [
    "/",
    "/members/",
    "/accounts/profile/",
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/password/change/",
]


@pytest.mark.parametrize("path", VISITOR_PAGES)
def test_visitor_pages_pass_axe(page, site, axe_check, path):
    page.goto(path)
    assert page.locator("h1").count() == 1, f"{path} should have exactly one h1"
    axe_check(page)


def test_member_pages_pass_axe(page, site, make_user, axe_check, sign_in):
    approver = make_user("approver@sussex.police.uk", password=PASSWORD, is_organisation_approver=True)
    make_user("waiting@sussex.police.uk", approved=False, role=None)
    sign_in(page, approver.email, PASSWORD)
    for path in [*MEMBER_PAGES, "/accounts/approvals/"]:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        axe_check(page)


def test_pending_member_pages_pass_axe(page, site, make_user, axe_check, sign_in):
    pending = make_user("waiting@sussex.police.uk", approved=False, role=None, password=PASSWORD)
    sign_in(page, pending.email, PASSWORD)
    for path in ("/", "/members/", "/accounts/profile/"):
        page.goto(path)
        axe_check(page)


def test_error_summary_on_profile_form(page, site, make_user, axe_check, sign_in):
    member = make_user("member@sussex.police.uk", password=PASSWORD)
    sign_in(page, member.email, PASSWORD)
    page.goto("/accounts/profile/")
    page.fill("#id_first_name", "")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    axe_check(page)


def test_pages_work_without_javascript(browser, live_server, site):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.fill("#site-search", "sussex")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/?q=sussex")
    assert "result" in page.inner_text("main")
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_selector(".error-summary")
    context.close()

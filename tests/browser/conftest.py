"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every page a journey visits gets an axe audit; serious or critical violations fail the test.
"""

import os
import re

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to
# set up data are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(_migrated_snapshot):
    """One Chromium for the session, started after the test database exists: Playwright's
    sync API switches greenlets, and the database set-up (with the serialised copy that
    live-server tests restore) must happen outside them."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run scripts/ensure_chromium.sh")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context per test (no cookies shared between tests)."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open extra, independent browser sessions (a second person in the same journey)."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def axe_check(_axe):
    """``axe_check(page)``: fail on any serious or critical axe violation of the page."""

    def check(page):
        results = _axe.run(page)
        blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        summary = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in blocking
        )
        assert not blocking, f"axe found problems on {page.url}:\n{summary}"
        return results

    return check


@pytest.fixture
def sign_in(axe_check):
    """``sign_in(page, email, password)`` through the real login form; with ``totp_secret``,
    the two-step code is given on the next page as a person would type it."""

    def do(page, email, password, totp_secret=None):
        page.goto("/accounts/login/")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("^Sign in$")).click()
        if totp_secret:
            from tests.totp import totp_code

            page.locator("input[name=code]").fill(totp_code(totp_secret, margin=10))
            with page.expect_navigation():
                page.get_by_role("button", name=re.compile("^Sign in$", re.I)).click()
            assert "/accounts/2fa/authenticate/" not in page.url, "the two-step code was refused"

    return do


@pytest.fixture(autouse=True)
def _restore_migrated_data(_snapshot_on_connection, django_db_serialized_rollback):
    """Live-server tests flush the database afterwards; Django puts the migrated data back
    at the start of each one."""


@pytest.fixture
def site(transactional_db):
    """The demo site's pages, organisations and schemes, for journeys that need them."""
    import io

    from home.demo import load_pages
    from schemes.demo import load_organisations, load_schemes

    load_pages(stdout=io.StringIO())
    load_schemes(stdout=io.StringIO(), organisations=load_organisations(stdout=io.StringIO()))

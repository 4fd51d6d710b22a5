"""Journey of a visitor from a council that is not yet a partner: from the home page to the
onboarding route, a refused sign-up that points to the start-a-scheme request, the request
itself (a plain form post) and what happens next. Every page gets an axe audit."""

import io
import re

import pytest


@pytest.fixture
def onboarding(site):
    from onboarding.demo import load_demo_onboarding

    load_demo_onboarding(stdout=io.StringIO())


def test_a_visitor_from_an_unknown_council_asks_to_start_a_scheme(page, onboarding, axe_check):
    from onboarding.models import StartSchemeRequest

    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("^Starting a scheme")
    ).click()
    page.wait_for_url(re.compile(r"/onboarding/$"))
    axe_check(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Starting a scheme: the onboarding route"
    assert "Step 1: Form a steering group with a senior chair" in page.inner_text("main")

    page.get_by_role("link", name="Ask to start a scheme").first.click()
    page.wait_for_url(re.compile(r"/onboarding/start-a-scheme/$"))
    axe_check(page)
    page.get_by_label("Organisation name").fill("Rutland County Council")
    page.get_by_label("Kind of organisation").select_option("county_council")
    page.get_by_label("Region").select_option("east_midlands")
    page.get_by_label("Area the scheme would cover").fill("Rutland")
    page.get_by_label("Your organisation's e-mail domain").fill("gmail.com")
    page.get_by_label("Your name").fill("Ash Patel")
    page.get_by_label("Your work e-mail address").fill("ash.patel@gmail.com")
    page.get_by_label("What you plan").fill("Anti-social behaviour with Leicestershire Police.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the request").click()
    axe_check(page)
    assert "gmail.com is a personal e-mail provider" in page.inner_text(".error-summary")
    assert not StartSchemeRequest.objects.filter(email_domain="gmail.com").exists()

    page.get_by_label("Your organisation's e-mail domain").fill("rutland.gov.uk")
    page.get_by_label("Your work e-mail address").fill("ash.patel@rutland.gov.uk")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(re.compile(r"/what-happens-next/$"))
    axe_check(page)
    assert page.get_by_role("heading", name="What happens next").is_visible()
    saved = StartSchemeRequest.objects.get(email_domain="rutland.gov.uk")
    assert saved.organisation_name == "Rutland County Council" and saved.status == "pending"

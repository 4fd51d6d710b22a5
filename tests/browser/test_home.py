"""The home page as a visitor and as a member sees it: workstream tiles, the feeds, the figures;
the member's scheme and what changed since their last visit. Every page gets an axe audit."""

import io
import re

import pytest


@pytest.fixture
def knowledge(site):
    from knowledge.demo import load_demo_knowledge

    load_demo_knowledge(stdout=io.StringIO())


@pytest.fixture
def sussex_member(site):
    from allauth.account.models import EmailAddress

    from accounts.models import ApprovalStatus, User
    from schemes.models import Organisation

    organisation = Organisation.objects.get(name="Sussex Police")
    user = User.objects.create_user(
        email="analyst@sussex.police.uk",
        password="correct horse battery staple",
        first_name="Alex",
        last_name="Reid",
        organisation=organisation,
        approval_status=ApprovalStatus.APPROVED,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_visitor_home(page, knowledge, axe_check):
    page.goto("/")
    axe_check(page)
    assert page.locator('head link[rel="alternate"][type="application/atom+xml"]').count() >= 2
    tiles = page.locator(".home-tiles")
    assert tiles.get_by_role("link", name="Restorative justice").get_attribute("href") == (
        "/workstreams/restorative-justice/"
    )
    figures = page.inner_text(".home-figures")
    assert re.search(r"\d+\s+schemes?", figures) and re.search(r"\d+\s+solutions?", figures)
    assert "For you" not in page.inner_text("main")
    tiles.get_by_role("link", name="Restorative justice").click()
    page.wait_for_url(re.compile(r"/workstreams/restorative-justice/$"))
    axe_check(page)


def test_member_home(page, knowledge, sussex_member, sign_in, axe_check):
    sign_in(page, sussex_member.email, "correct horse battery staple")
    page.goto("/")
    axe_check(page)
    main = page.inner_text("main")
    assert "For you" in main
    assert "Pan-Sussex" in page.inner_text("#your-schemes")
    assert "What changed" in main

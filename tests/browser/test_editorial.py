"""The editorial journey in the Wagtail admin: a contributor writes a guide in the knowledge
section and submits it for review; a national editor (two-step sign-in) gets one e-mail,
approves it and so publishes it; members then find it in the knowledge section. Our pages
get an axe audit (the admin is Wagtail's own)."""

import re

import pytest
from django.core import mail

from accounts import roles

PASSWORD = "correct horse battery staple"


@pytest.fixture
def draft(site):
    """A knowledge section with a guide its contributor has saved as a draft."""
    from wagtail.rich_text import RichText

    from knowledge.models import GuidePage, KnowledgeIndexPage
    from tests.factories import home_page

    index = home_page().add_child(instance=KnowledgeIndexPage(title="Knowledge", slug="knowledge"))
    guide = index.add_child(
        instance=GuidePage(
            title="Running a local users' group",
            slug="running-a-local-users-group",
            summary="To be written.",
            body=[("paragraph", RichText("<p>Meet every quarter; invite supervisors.</p>"))],
            live=False,
        )
    )
    guide.save_revision()
    return guide


def test_a_contributor_submits_and_a_national_editor_approves_and_publishes(
    page, new_page, draft, make_user, sign_in, axe_check
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from knowledge.models import GuidePage

    make_user("priya.shah@sussex.police.uk", role=roles.CONTRIBUTORS, password=PASSWORD)
    editor = make_user("jo.bennett@sussex.police.uk", role=roles.NATIONAL_EDITORS, password=PASSWORD)
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)  # national editors must use two-step sign-in

    # The contributor finishes the summary and submits the guide for review.
    sign_in(page, "priya.shah@sussex.police.uk", PASSWORD)
    # Their section only: no top-level page of their own.
    home = draft.get_parent().get_parent()
    page.goto(f"/admin/pages/add/home/standardpage/{home.pk}/")
    assert "/add/" not in page.url or "permission" in page.inner_text("body").lower()
    page.goto(f"/admin/pages/{draft.pk}/edit/")
    page.locator("#id_summary").fill("How schemes run their users' groups, and what to bring to them.")
    page.get_by_role("button", name="More actions").first.click()
    mail.outbox.clear()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"Submit to Editorial review")).click()
    draft.refresh_from_db()
    assert not draft.live
    assert draft.current_workflow_state is not None
    # One e-mail for the submission, to the national editor only (not to the contributor).
    assert [message.to for message in mail.outbox] == [[editor.email]]

    # Nobody else sees it yet.
    visitor = new_page()
    assert visitor.goto("/knowledge/running-a-local-users-group/").status == 404

    # The national editor signs in with their code, finds it awaiting review and approves it.
    editor_page = new_page()
    sign_in(editor_page, editor.email, PASSWORD, totp_secret=secret)
    editor_page.goto("/admin/")
    editor_page.get_by_role("link", name=re.compile(r"Running a local users' group")).first.click()
    editor_page.wait_for_url(re.compile(rf"/admin/pages/{draft.pk}/edit/"))
    editor_page.get_by_role("button", name="More actions").first.click()
    with editor_page.expect_navigation():
        editor_page.get_by_role("button", name=re.compile(r"^Approve and publish$", re.I)).click()

    guide = GuidePage.objects.get(pk=draft.pk)
    assert guide.live and not guide.has_unpublished_changes
    assert guide.summary.startswith("How schemes run")

    # Published: a member finds it in the knowledge section and opens it.
    member_page = new_page()
    make_user("alex.morgan@sussex.police.uk", password=PASSWORD)
    sign_in(member_page, "alex.morgan@sussex.police.uk", PASSWORD)
    member_page.goto("/knowledge/")
    axe_check(member_page)
    member_page.get_by_role("link", name="Running a local users' group").click()
    member_page.wait_for_url(re.compile(r"/knowledge/running-a-local-users-group/$"))
    assert "Meet every quarter" in member_page.inner_text("main")
    axe_check(member_page)

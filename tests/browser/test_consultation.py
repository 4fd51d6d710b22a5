"""The consultation on the Pan-Sussex MoU draft 3.0 (the demo's), axe clean: a member opens the
document, comments on a numbered clause from its page, and sees the clause's count go up there;
a national editor reads the comments by clause in the admin."""

import io
import re

import pytest

from accounts import roles

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def consultation(site):
    from accounts.demo import load_users
    from documents.demo import load_demo_documents
    from forum.demo import load_demo_forum
    from forum.models import Consultation

    out = io.StringIO()
    load_users(stdout=out)
    load_demo_documents(stdout=out)
    load_demo_forum(stdout=out)
    return Consultation.objects.select_related("document", "topic__group").get(
        document__title="Pan-Sussex Memorandum of Understanding", closed_at__isnull=True
    )


def clause_row(page, number):
    return page.locator(f"#clause-{number}")


def test_a_member_comments_on_a_clause_and_the_editor_reads_it_by_clause(
    page, new_page, consultation, make_user, axe_check, sign_in
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from documents.models import DocumentLibraryPage
    from forum.models import Membership

    member = make_user("kim.hart@sussex.police.uk", first_name="Kim", last_name="Hart", password=PASSWORD)
    Membership.objects.create(group=consultation.topic.group, user=member)
    document_url = DocumentLibraryPage.objects.live().get().document_url(consultation.document)

    sign_in(page, "kim.hart@sussex.police.uk", PASSWORD)
    page.goto(document_url)
    axe_check(page)
    section = page.locator("#consultation-title")
    assert "in consultation in the national best-practice group" in page.locator("main").inner_text()
    assert section.is_visible()
    assert "0 comments" in clause_row(page, 5).inner_text()

    # From the clause's row to a reply form already set to that clause.
    clause_row(page, 5).get_by_role("link").click()
    page.wait_for_url(re.compile(r"/reply/\?clause=5$"))
    axe_check(page)
    assert page.get_by_label("Your comment is on").input_value() == "5"
    page.get_by_label("Your reply").fill("Clause 5 should name the data protection officer of each partner.")
    with page.expect_navigation():
        page.get_by_role("button", name="Post your reply").click()
    assert "data protection officer of each partner" in page.locator("#forum-posts").inner_text()

    page.goto(document_url)
    assert "1 comment" in clause_row(page, 5).inner_text()
    axe_check(page)

    # A national editor (two-step sign-in) reads the comments by clause.
    editor = make_user("ed.itor@sussex.police.uk", role=roles.NATIONAL_EDITORS, password=PASSWORD)
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    admin = new_page()
    sign_in(admin, "ed.itor@sussex.police.uk", PASSWORD, totp_secret=secret)
    admin.goto("/admin/forum-moderation/consultations/")
    admin.get_by_role(
        "link", name=re.compile(r"Pan-Sussex Memorandum of Understanding – version 3\.0")
    ).click()
    admin.get_by_role("link", name="Clause 5", exact=True).click()
    admin.wait_for_url(re.compile(r"\?clause=5$"))
    main = admin.locator("main").inner_text()
    assert "Comments on clause 5" in main
    assert "Kim Hart" in main and "data protection officer of each partner" in main
    assert "Two-step verification for every account" not in main  # another clause's comment

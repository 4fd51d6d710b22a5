"""The first hour of a new member and the editor's workbench (issue 10): two-step set-up with
recovery codes, an editor uploading a new MoU version in three steps (on a desktop and on a
390-pixel-wide phone), a contributor kept to their section. axe runs on every page of ours,
allauth's included."""

import io
import re

import pytest

from accounts import roles
from tests.totp import totp_code

PASSWORD = "a long and unusual passphrase 42"
PHONE = {"width": 390, "height": 844}


def test_two_step_set_up_with_recovery_codes_then_signing_in_with_one(
    page, site, make_user, sign_in, axe_check
):
    make_user("alex.morgan@sussex.police.uk", password=PASSWORD)
    sign_in(page, "alex.morgan@sussex.police.uk", PASSWORD)
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url) if frame == page.main_frame else None)

    page.goto("/accounts/profile/")
    page.get_by_role("link", name="manage two-step sign-in").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/$"))
    axe_check(page)
    page.get_by_role("link", name="Set up two-step sign-in").click()
    page.wait_for_url(re.compile(r"/2fa/totp/activate/$"))
    axe_check(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(totp_code(secret, margin=10))
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-step sign-in").click()

    # Straight to the recovery codes, explained, listed and downloadable.
    page.wait_for_url(re.compile(r"/2fa/recovery-codes/$"))
    assert "Each code works once" in page.inner_text("main")
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) >= 10
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the codes")).click()
    with open(download.value.path()) as saved:
        assert saved.read().split() == codes
    # Signed in a moment ago: nobody was asked for their password again.
    assert not any("reauthenticate" in url for url in visited)

    # Signing in again with a recovery code instead of the app's.
    page.context.clear_cookies()
    sign_in(page, "alex.morgan@sussex.police.uk", PASSWORD)
    assert "Enter your two-step sign-in code" in page.inner_text("h1")
    axe_check(page)
    page.locator("input[name=code]").fill(codes[0])
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Sign in$")).click()
    assert page.get_by_role("link", name="Sign out").is_visible() or "Sign out" in page.content()


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_an_editor_uploads_a_new_mou_version_in_three_steps(
    page, site, make_user, sign_in, axe_check, viewport
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from documents.demo import load_demo_documents
    from documents.models import DocumentStatus, GovernanceDocument
    from documents.samples import make_pdf

    load_demo_documents(stdout=io.StringIO())
    mou = GovernanceDocument.objects.get(title="Pan-Sussex Memorandum of Understanding", status="agreed")
    editor = make_user("jo.bennett@sussex.police.uk", role=roles.NATIONAL_EDITORS, password=PASSWORD)
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    if viewport:
        page.set_viewport_size(viewport)
    sign_in(page, editor.email, PASSWORD, totp_secret=secret)

    # 1. The document in the workbench.
    page.goto(f"/admin/documents/edit/{mou.pk}/")
    # 2. Upload a new version.
    page.get_by_role("link", name="Upload a new version").click()
    page.wait_for_url(re.compile(rf"/admin/documents/{mou.pk}/new-version/$"))
    axe_check(page)
    # 3. The file, its label, its status and what changed; everything else is carried over.
    page.get_by_label("New file").set_input_files(
        {
            "name": "mou-2025.pdf",
            "mimeType": "application/pdf",
            "buffer": make_pdf(["Retention: three years."]),
        }
    )
    page.get_by_label("Version").fill("2025")
    page.get_by_label("Agreed").check()
    page.get_by_label("What changed").fill("Retention cut to three years.")
    with page.expect_navigation():
        page.get_by_role("button", name="Upload the new version").click()
    assert "Version 2025 of “Pan-Sussex Memorandum of Understanding” uploaded: Agreed." in page.inner_text(
        "body"
    )

    new = GovernanceDocument.objects.get(family=mou.family, version_label="2025")
    mou.refresh_from_db()
    assert (new.status, mou.status, new.scheme_id) == (
        DocumentStatus.AGREED,
        DocumentStatus.SUPERSEDED,
        mou.scheme_id,
    )

    # The library says so: the old version points readers to the new, current one.
    page.goto(f"/library/{mou.pk}-{mou.slug}/")
    assert "This is not the current version" in page.inner_text("main")
    axe_check(page)
    page.get_by_role("link", name=re.compile("Read the current version")).click()
    page.wait_for_url(re.compile(rf"/library/{new.pk}-"))
    assert "This is not the current version" not in page.inner_text("main")
    axe_check(page)

"""The journey of a new member: sign-up (keyboard only), verification, approval, sign-in."""

import re
from email.utils import parseaddr

import pytest
from django.core import mail

from accounts.models import ApprovalStatus, User
from tests.accounts.test_signup import confirmation_path

PASSWORD = "a long and unusual passphrase 42"


def tab_to(page, selector, limit=40):
    """Press Tab until ``selector`` has focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("(sel) => document.activeElement === document.querySelector(sel)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never received focus from the keyboard")


def type_passwords_and_send(page):
    """Passwords are never sent back to the browser, so each attempt types them again."""
    tab_to(page, "#id_password1")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def test_home_page_for_visitors(page, site, axe_check):
    page.goto("/")
    assert page.title().startswith("Share what works in community safety")
    axe_check(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


@pytest.mark.parametrize("viewport", [None, {"width": 390, "height": 844}], ids=["desktop", "phone"])
def test_signup_with_the_keyboard_alone_then_verify_approve_and_sign_in(
    page, new_page, site, make_user, axe_check, sign_in, viewport
):
    if viewport:
        page.set_viewport_size(viewport)
    approver = make_user("ruth.ellis@sussex.police.uk", is_organisation_approver=True, password=PASSWORD)

    page.goto("/")
    tab_to(page, "a[href='/accounts/signup/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/signup/$"))
    axe_check(page)

    # A first attempt with a private address: the error summary takes focus and links to the field.
    tab_to(page, "#id_first_name")
    page.keyboard.type("Jamie")
    page.keyboard.press("Tab")
    page.keyboard.type("Fox")
    page.keyboard.press("Tab")
    page.keyboard.type("Community safety officer")
    page.keyboard.press("Tab")
    page.keyboard.type("jamie.fox@gmail.com")
    type_passwords_and_send(page)
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert "No partner organisation uses the e-mail domain gmail.com" in page.inner_text(".error-summary")
    axe_check(page)
    assert not User.objects.filter(email="jamie.fox@gmail.com").exists()

    # Follow the summary's link to the field, correct it, retype the passwords, send again.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_email"
    page.keyboard.press("Control+A")
    page.keyboard.type("jamie.fox@sussex.police.uk")
    type_passwords_and_send(page)
    page.wait_for_selector("text=Check your e-mail")
    axe_check(page)

    applicant = User.objects.get(email="jamie.fox@sussex.police.uk")
    assert applicant.approval_status == ApprovalStatus.PENDING

    # The e-mail in the outbox: our subject, the site's name as the sender, never the host.
    message = mail.outbox[-1]
    assert message.subject == "[Best-practice forum] Confirm your e-mail address to finish signing up"
    assert parseaddr(message.from_email)[0] == "Best-practice forum"
    assert "Hello from" not in message.body and "127.0.0.1" not in message.subject

    # The link in the e-mail, confirmed with the keyboard.
    link = confirmation_path(message)
    page.goto(link)
    axe_check(page)
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert any(approver.email in m.to for m in mail.outbox)

    # The same link again says so clearly.
    page.goto(link)
    assert "expired or has already been used" in page.inner_text("main")

    # Signed in but not yet approved: public pages only.
    sign_in(page, applicant.email, PASSWORD)
    page.goto("/members/")
    assert "waiting for approval" in page.inner_text("main")
    axe_check(page)

    # The organisation's approver approves.
    approver_page = new_page()
    sign_in(approver_page, approver.email, PASSWORD)
    approver_page.goto("/accounts/approvals/")
    axe_check(approver_page)
    approver_page.get_by_role("button", name="Approve Jamie Fox").click()
    approver_page.wait_for_selector("text=is approved")
    axe_check(approver_page)

    # Now the members' area opens.
    page.goto("/members/")
    assert page.locator("h1").inner_text() == "Members' area"
    page.goto("/accounts/profile/")
    assert "Approved" in page.inner_text("main")
    axe_check(page)


def test_login_page_and_wrong_password(page, site, make_user, axe_check, sign_in):
    make_user("alex@sussex.police.uk", password=PASSWORD)
    sign_in(page, "alex@sussex.police.uk", "not the password")
    assert "not correct" in page.inner_text(".error-summary")
    axe_check(page)
    sign_in(page, "alex@sussex.police.uk", PASSWORD)
    assert page.get_by_role("link", name="Sign out").is_visible()

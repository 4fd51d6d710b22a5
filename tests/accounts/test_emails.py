"""Every e-mail the site sends: our words, the site's name from settings, plain text plus an
escaped HTML part, and a footer saying why the person got it."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts import emails, roles
from accounts.services import account_request_approval

from .test_signup import signup_data

pytestmark = pytest.mark.django_db

SENDER_NAME = settings.DEFAULT_FROM_EMAIL.partition(" <")[0]


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def assert_ours(message):
    body, html = message.body, html_of(message)
    assert settings.WAGTAIL_SITE_NAME in body and settings.WAGTAIL_SITE_NAME in html
    assert "You got this e-mail because" in body and "You got this e-mail because" in html
    for foreign in ("on testserver", "testserver!", "Hello from", "email ", "Email ", "recognize"):
        assert foreign not in body and foreign not in message.subject
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert '<html lang="en-GB">' in html


def test_sign_up_e_mail_is_ours(client, organisation):
    client.post(reverse("account_signup"), signup_data())
    [message] = mail.outbox
    assert message.subject == "[Best-practice forum] Confirm your e-mail address to finish signing up"
    assert SENDER_NAME == "Best-practice forum"
    assert_ours(message)
    assert "/accounts/confirm-email/" in message.body
    assert '<a href="http://testserver/accounts/confirm-email/' in html_of(message)


def test_password_reset_e_mail_is_ours(client, make_user):
    user = make_user("reset.me@sussex.police.uk")
    client.post(reverse("account_reset_password"), {"email": user.email})
    [message] = mail.outbox
    assert message.subject == "[Best-practice forum] Reset your password"
    assert_ours(message)
    assert "/accounts/password/reset/key/" in message.body


def test_markup_in_a_display_name_is_inert(make_user, django_capture_on_commit_callbacks):
    make_user("approver@sussex.police.uk", is_organisation_approver=True)
    applicant = make_user("applicant@sussex.police.uk", approved=False, role=None)
    applicant.first_name = '<a href="https://evil.example">Click</a>'
    applicant.save()
    with django_capture_on_commit_callbacks(execute=True):
        account_request_approval(account=applicant)
    [message] = mail.outbox
    assert_ours(message)
    html = html_of(message)
    assert "evil.example" in html and '<a href="https://evil.example' not in html
    assert "&lt;a href=" in html
    assert '<a href="https://evil.example">Click</a>' in message.body  # plain text shows it as typed


@pytest.mark.parametrize(
    "prefix",
    [
        "account/email/email_changed",
        "account/email/email_confirm",
        "account/email/email_deleted",
        "account/email/password_changed",
        "account/email/password_set",
        "account/email/password_reset",
        "account/email/unknown_account",
        "account/email/account_already_exists",
        "account/email/email_confirmation",
        "mfa/email/totp_activated",
        "mfa/email/totp_deactivated",
        "mfa/email/recovery_codes_generated",
    ],
)
def test_every_allauth_e_mail_has_our_template(prefix):
    context = {
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "timestamp": "1 January 2026",
        "email": "a@b.example",
        "from_email": "a@b.example",
        "to_email": "c@d.example",
        "deleted_email": "a@b.example",
        "activate_url": "http://x/confirm/",
        "password_reset_url": "http://x/reset/",
        "signup_url": "http://x/signup/",
    }
    message = emails.compose(
        subject_template=f"{prefix}_subject.txt",
        text_template=f"{prefix}_message.txt",
        context=context,
        to=["a@b.example"],
    )
    assert_ours(message)
    assert message.subject and message.subject[0].isupper()


def test_workflow_notice_is_ours(make_user, mailoutbox, django_capture_on_commit_callbacks):
    from wagtail.models import Workflow

    from tests.knowledge.factories import KnowledgeIndexPageFactory, SolutionPageFactory

    index = KnowledgeIndexPageFactory(slug="knowledge")
    editor = make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS)
    contributor = make_user("writer@sussex.police.uk", role=roles.CONTRIBUTORS)
    page = SolutionPageFactory(parent=index, title="Draft <b>write-up</b>")
    page.save_revision(user=contributor)
    workflow = page.get_workflow() or Workflow.objects.get(name="Editorial review")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.start(page, contributor)
    [message] = mailoutbox
    assert message.to == [editor.email]
    html = html_of(message)
    for part in (message.body, html):
        assert "Community safety best-practice forum" in part
        assert "You got this e-mail because you take part in the site's moderation workflow" in part
    assert "email-header.jpg" not in html
    assert "<b>write-up</b>" not in html

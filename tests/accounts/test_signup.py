import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import ApprovalStatus, User
from schemes.models import Organisation, OrganisationEmailDomain, OrganisationKind, Region

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"


def signup_data(**overrides):
    data = {
        "first_name": "Jamie",
        "last_name": "Fox",
        "job_title": "Community safety officer",
        "email": "jamie.fox@sussex.police.uk",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def confirmation_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_with_work_email_creates_pending_account_and_sends_link(client, organisation):
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="jamie.fox@sussex.police.uk")
    assert user.organisation == organisation
    assert user.job_title == "Community safety officer"
    assert user.approval_status == ApprovalStatus.PENDING
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_signup_with_unknown_domain_is_refused_and_changes_nothing(client, organisation):
    response = client.post(reverse("account_signup"), signup_data(email="jamie@gmail.com"))
    assert response.status_code == 200
    assert "No partner organisation uses the e-mail domain gmail.com" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not User.objects.filter(email="jamie@gmail.com").exists()
    assert mail.outbox == []


def test_shared_domain_asks_which_organisation(client, db):
    orgs = []
    for name in ("Adur District Council", "Worthing Borough Council"):
        org = Organisation.objects.create(
            name=name, kind=OrganisationKind.DISTRICT_COUNCIL, region=Region.SOUTH_EAST
        )
        OrganisationEmailDomain.objects.create(organisation=org, domain="adur-worthing.gov.uk")
        orgs.append(org)
    data = signup_data(email="sam@adur-worthing.gov.uk")
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose your organisation" in body
    assert "Worthing Borough Council" in body
    assert not User.objects.filter(email="sam@adur-worthing.gov.uk").exists()

    response = client.post(reverse("account_signup"), {**data, "organisation": orgs[1].pk})
    assert response.status_code == 302
    assert User.objects.get(email="sam@adur-worthing.gov.uk").organisation == orgs[1]


def test_shared_domain_refuses_an_organisation_that_does_not_own_it(client, organisation):
    other = Organisation.objects.create(name="Other", kind=OrganisationKind.OTHER, region=Region.LONDON)
    OrganisationEmailDomain.objects.create(organisation=other, domain="sussex.police.uk")
    stranger = Organisation.objects.create(name="Stranger", kind=OrganisationKind.OTHER, region=Region.LONDON)
    response = client.post(reverse("account_signup"), signup_data(organisation=stranger.pk))
    assert response.status_code == 200
    assert not User.objects.filter(email="jamie.fox@sussex.police.uk").exists()


def test_weak_password_is_refused(client, organisation):
    response = client.post(reverse("account_signup"), signup_data(password1="password", password2="password"))
    assert response.status_code == 200
    assert not User.objects.exists()


def test_verification_link_confirms_once_and_asks_approvers(
    client, make_user, django_capture_on_commit_callbacks
):
    approver = make_user("approver@sussex.police.uk", is_organisation_approver=True)
    client.post(reverse("account_signup"), signup_data())
    path = confirmation_path(mail.outbox[0])

    assert client.get(path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="jamie.fox@sussex.police.uk").verified
    approval_mail = [m for m in mail.outbox if approver.email in m.to]
    assert len(approval_mail) == 1
    assert "waiting for approval" in approval_mail[0].subject

    # The same link again: a clear message, nothing changes, nobody is e-mailed again.
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    assert response.status_code == 410
    assert "expired or has already been used" in response.content.decode()
    assert "expired or has already been used" in client.get(path).content.decode()
    assert len(mail.outbox) == sent


def test_expired_verification_link_is_refused(client, organisation, settings, monkeypatch):
    client.post(reverse("account_signup"), signup_data())
    path = confirmation_path(mail.outbox[0])
    from django.utils import timezone

    later = timezone.now() + timedelta(days=settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS + 1)
    monkeypatch.setattr("django.core.signing.time.time", lambda: later.timestamp())
    assert "expired or has already been used" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 410
    assert not EmailAddress.objects.get(email="jamie.fox@sussex.police.uk").verified


def test_unverified_account_cannot_sign_in(client, organisation):
    client.post(reverse("account_signup"), signup_data())
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "jamie.fox@sussex.police.uk", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_empty_form_says_what_to_enter(client, organisation):
    body = client.post(reverse("account_signup"), {}).content.decode()
    for message in ("Enter your first name", "Enter your work e-mail address", "Enter a password"):
        assert message in body
    assert 'href="#id_email"' in body

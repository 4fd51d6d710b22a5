import logging

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_member_signs_in_and_out(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == member.pk
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused_with_a_clear_message(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "wrong"})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_repeated_failures_are_throttled_and_logged(client, member, caplog):
    caplog.set_level(logging.WARNING, logger="accounts.security")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": member.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failures = [r for r in caplog.records if "Failed sign-in" in r.getMessage()]
    assert len(failures) == 5
    assert member.email in failures[0].getMessage()


def test_forged_csrf_token_is_refused_and_changes_nothing(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Mallory",
            "last_name": "X",
            "job_title": "x",
            "digest_frequency": "never",
            "csrfmiddlewaretoken": "forged",
        },
    )
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    member.refresh_from_db()
    assert member.first_name == "Sam"


def test_password_reset_sends_a_link(client, member, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_password_reset_for_unknown_address_reveals_nothing(client, organisation, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@sussex.police.uk"})
    assert response.status_code == 302
    assert User.objects.count() == 0
    assert mailoutbox == [] or "nobody@sussex.police.uk" in mailoutbox[0].to


def test_two_factor_setup_is_offered(client, member):
    client.force_login(member)
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)


def test_empty_login_says_what_to_enter(client, db):
    body = client.post(reverse("account_login"), {}).content.decode()
    assert "Enter your e-mail address" in body and "Enter your password" in body
    assert "E-mail address" in client.get(reverse("account_login")).content.decode()

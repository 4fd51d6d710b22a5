"""The sign-in pages keep their promises: one "Forgotten your password?" link, no password
asked again straight after signing in (but asked a while later), and a signed-in person
without editing rights told so on our page at /admin/."""

import time

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"


def sign_in(client, email):
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302


def test_one_forgotten_password_link(client):
    content = client.get("/accounts/login/").content.decode()
    assert content.count('href="/accounts/password/reset/"') == 1
    assert "Forgotten your password?" in content and "Forgot your password" not in content


def test_setting_up_two_step_sign_in_asks_no_password_straight_after_signing_in(client, make_user):
    make_user("alex@sussex.police.uk", password=PASSWORD)
    sign_in(client, "alex@sussex.police.uk")
    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert response.status_code == 200  # the form (a wrong code), not the re-authentication
    session = client.session
    for record in session[AUTHENTICATION_METHODS_SESSION_KEY]:
        record["at"] = time.time() - 3600
    session.save()
    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response.url
    assert "Confirm it is you" in client.get(response.url).content.decode()


def test_admin_without_editing_rights_is_told_so_on_our_page(client, make_user):
    make_user("alex@sussex.police.uk", password=PASSWORD)
    sign_in(client, "alex@sussex.police.uk")
    response = client.get("/admin/")
    assert response.status_code == 403
    content = response.content.decode()
    assert "You do not have editing rights" in content and "Sign in to Wagtail" not in content

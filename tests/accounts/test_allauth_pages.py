"""Every allauth page a person can reach is in our layout and words: British English,
"e-mail", one "Forgotten your password?" link where a password is asked for, GOV.UK-style
radios (no allauth script)."""

import pytest

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"
AMERICAN = ("Email Addresses", "Forgot your password", "Bad Token", "Reset My Password", "Make Primary")

SIGNED_OUT = {
    "/accounts/password/reset/": "Reset your password",
    "/accounts/password/reset/done/": "Check your e-mail",
    "/accounts/password/reset/key/1-nonsense/": "This link no longer works",
    "/accounts/password/reset/key/done/": "Your password has been changed",
    "/accounts/inactive/": "This account is closed",
}
SIGNED_IN = {
    "/accounts/email/": "Your e-mail addresses",
    "/accounts/password/change/": "Change your password",
    "/accounts/reauthenticate/": "Confirm it is you",
}


def assert_ours(content, heading):
    assert f'<h1 class="heading-xl">{heading}</h1>' in content
    for words in AMERICAN:
        assert words not in content


@pytest.mark.parametrize("url", SIGNED_OUT)
def test_signed_out_pages(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_ours(response.content.decode(), SIGNED_OUT[url])


@pytest.mark.parametrize("url", SIGNED_IN)
def test_signed_in_pages(client, make_user, url):
    make_user("alex@sussex.police.uk", password=PASSWORD)
    client.post("/accounts/login/", {"login": "alex@sussex.police.uk", "password": PASSWORD})
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert_ours(content, SIGNED_IN[url])
    if "password" in url or "reauthenticate" in url:
        assert content.count("Forgotten your password?") == 1


def test_e_mail_management_uses_our_radios_and_no_script(client, make_user):
    make_user("alex@sussex.police.uk", password=PASSWORD)
    client.post("/accounts/login/", {"login": "alex@sussex.police.uk", "password": PASSWORD})
    content = client.get("/accounts/email/").content.decode()
    assert 'type="radio" name="email" value="alex@sussex.police.uk"' in content
    assert "account/js/" not in content
    assert "<legend" in content


@pytest.mark.parametrize(
    "url, heading",
    [
        ("/accounts/2fa/totp/deactivate/", "Turn off two-step sign-in"),
        ("/accounts/2fa/recovery-codes/generate/", "Make new recovery codes"),
        ("/accounts/2fa/reauthenticate/", "Confirm it is you"),
    ],
)
def test_two_step_pages_with_an_authenticator(client, make_user, url, heading):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.totp import totp_code

    user = make_user("alex@sussex.police.uk", password=PASSWORD)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}).status_code == 302
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert_ours(content, heading)
    assert "Deactivate" not in content and "Generate" not in content

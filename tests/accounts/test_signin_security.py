"""Issue 8: the admin's sign-in is allauth's, compulsory two-step sign-in for some roles, and
throttling behind the reverse proxy."""

import logging

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    generate_totp_secret,
)
from django.urls import reverse

from accounts import roles
from tests.totp import totp_code

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def signed_in_user_id(client):
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


@pytest.fixture
def editor(make_user):
    return make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS)


@pytest.fixture
def editor_with_totp(editor):
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    editor.totp_secret = secret
    return editor


# 1. /admin/login/ is no second door ---------------------------------------------------------


def test_admin_login_url_is_allauths(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=/admin/")


@pytest.mark.parametrize("method", ["get", "post"])
def test_admin_login_redirects_to_allauth_keeping_next(client, method):
    response = getattr(client, method)("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2Fpages%2F"


def test_admin_login_does_not_send_people_to_other_sites(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"


def test_password_posted_to_admin_login_signs_nobody_in(client, editor_with_totp):
    response = client.post(
        "/admin/login/", {"username": editor_with_totp.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert signed_in_user_id(client) is None
    assert client.get("/admin/").status_code == 302


def test_admin_needs_the_two_step_code_through_allauth(client, editor_with_totp):
    form = client.get(reverse("account_login") + "?next=/admin/").content.decode()
    assert 'name="next" value="/admin/"' in form
    response = client.post(
        reverse("account_login"), {"login": editor_with_totp.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    assert client.get("/admin/")["Location"].startswith(reverse("account_login"))

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert signed_in_user_id(client) is None
    assert wrong.status_code == 200

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(editor_with_totp.totp_secret)})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert signed_in_user_id(client) == editor_with_totp.pk
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("door", ["/admin/login/", "/_util/login/"])
def test_no_other_sign_in_form_signs_anyone_in(client, editor_with_totp, member, door):
    for person in (editor_with_totp, member):
        response = client.post(door, {"username": person.email, "password": PASSWORD, "next": "/about/"})
        assert response.status_code == 302
        assert response["Location"] == reverse("account_login") + "?next=%2Fabout%2F"
        assert signed_in_user_id(client) is None


def test_admin_login_is_throttled_like_allauths(client, editor):
    for _ in range(15):
        client.post("/admin/login/", {"username": editor.email, "password": "wrong password"})
        client.post(reverse("account_login") + "?next=/admin/", {"login": editor.email, "password": "wrong"})
    client.post("/admin/login/", {"username": editor.email, "password": PASSWORD})
    assert signed_in_user_id(client) is None
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": editor.email, "password": PASSWORD}
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_signed_in_person_without_editing_rights_is_told_so(client, member):
    sign_in(client, member.email)
    assert signed_in_user_id(client) == member.pk
    for path in ("/admin/", "/admin/pages/", "/admin/login/?next=/admin/"):
        response = client.get(path, follow=True)
        assert response.status_code == 403, path
        body = response.content.decode()
        assert "You do not have editing rights" in body
        assert 'name="password"' not in body


def test_editor_opens_the_admin(client, make_user):
    contributor = make_user("writer@sussex.police.uk", role=roles.CONTRIBUTORS)
    sign_in(client, contributor.email)
    assert client.get("/admin/").status_code == 200


# 3. Two-step sign-in compulsory for some roles ------------------------------------------------


REQUIRED = [
    pytest.param({"role": roles.NATIONAL_EDITORS}, id="national editor"),
    pytest.param({"role": roles.MODERATORS}, id="moderator"),
    pytest.param({"role": roles.CASE_WORKERS}, id="case worker"),
    pytest.param({"is_superuser": True, "is_staff": True}, id="administrator"),
]
OPTIONAL = [
    pytest.param({}, id="member"),
    pytest.param({"role": roles.CONTRIBUTORS}, id="contributor"),
    pytest.param({"role": roles.SUPPLIER_STAFF}, id="supplier staff"),
    pytest.param({"is_organisation_approver": True}, id="organisation approver"),
    pytest.param({"approved": False, "role": None}, id="awaiting approval"),
]


@pytest.mark.parametrize("kind", REQUIRED)
def test_roles_that_must_set_up_two_step_sign_in_first(client, make_user, kind):
    user = make_user("holder@sussex.police.uk", **kind)
    response = sign_in(client, user.email)
    assert signed_in_user_id(client) == user.pk
    activate = reverse("mfa_activate_totp")

    # Anything else sends them to the set-up.
    for path in (
        "/",
        reverse("accounts:profile"),
        "/admin/",
        reverse("accounts:approvals"),
        "/search/?q=mou",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == activate, path
    response = client.post(reverse("accounts:profile"), {"first_name": "Changed"})
    assert response["Location"] == activate
    user.refresh_from_db()
    assert user.first_name == "Sam"
    htmx = client.get("/", headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == activate

    # The set-up page explains why; straight after signing in it asks for no password again
    # (AccountAdapter.is_reauthentication_required: a recent sign-in counts).
    page = client.get(activate)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Set up two-step sign-in" in body and "Your role on the forum needs two-step sign-in" in body

    # Setting it up shows the recovery codes, which can be downloaded.
    secret = client.session[SECRET_SESSION_KEY]
    done = client.post(activate, {"code": totp_code(secret)})
    assert done.status_code == 302
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")

    # Then the site opens.
    assert client.get("/").status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.parametrize("kind", REQUIRED)
def test_sign_out_is_allowed_before_set_up(client, make_user, kind):
    user = make_user("holder@sussex.police.uk", **kind)
    sign_in(client, user.email)
    assert client.get(reverse("account_logout")).status_code == 200
    client.post(reverse("account_logout"))
    assert signed_in_user_id(client) is None
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("kind", OPTIONAL)
def test_two_step_sign_in_is_optional_for_other_roles(client, make_user, kind):
    user = make_user("holder@sussex.police.uk", **kind)
    sign_in(client, user.email)
    assert signed_in_user_id(client) == user.pk
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get("/").status_code in (200, 404)
    assert client.get(reverse("mfa_index")).status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    assert "Set up two-step sign-in" in page and "needs two-step sign-in" not in page


def test_role_holder_who_removes_two_step_sign_in_must_set_it_up_again(client, editor_with_totp):
    sign_in_then_code = sign_in(client, editor_with_totp.email)
    assert sign_in_then_code["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(editor_with_totp.totp_secret)})
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=editor_with_totp, type=Authenticator.Type.TOTP).exists(), (
        response.content.decode()
    )
    assert client.get(reverse("accounts:profile"))["Location"] == reverse("mfa_activate_totp")


def test_static_files_are_not_held_back(client, editor, settings):
    sign_in(client, editor.email)
    from accounts.middleware import AccountsSecurityMiddleware

    assert AccountsSecurityMiddleware._allowed_before_two_step(settings.STATIC_URL + "css/site.css")
    assert not AccountsSecurityMiddleware._allowed_before_two_step("/members/")


def test_ordinary_pages_cost_no_extra_query_once_decided(client, member):
    sign_in(client, member.email)
    client.get(reverse("accounts:approvals"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("accounts:approvals")).status_code == 404
    assert not any("mfa_authenticator" in q["sql"] for q in queries.captured_queries)


# 4. Throttling behind the reverse proxy -------------------------------------------------------


@pytest.fixture
def behind_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    return {"REMOTE_ADDR": "10.0.0.2"}  # the proxy


def from_address(address):
    return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": f"{address}"}


def test_one_attackers_failures_do_not_lock_others_out(client, make_user, behind_proxy):
    real = make_user("real@sussex.police.uk")
    for i in range(10):
        sign_in(client, f"someone{i}@sussex.police.uk", "wrong password", **from_address("203.0.113.9"))
    refused = sign_in(client, "someone99@sussex.police.uk", "wrong password", **from_address("203.0.113.9"))
    assert "Too many failed login attempts" in refused.content.decode()

    response = sign_in(client, real.email, PASSWORD, **from_address("198.51.100.7"))
    assert response.status_code == 302
    assert signed_in_user_id(client) == real.pk


def test_failures_on_one_account_from_many_addresses_are_still_limited(client, member, behind_proxy):
    for i in range(5):
        sign_in(client, member.email, "wrong password", **from_address(f"203.0.113.{i + 1}"))
    response = sign_in(client, member.email, PASSWORD, **from_address("198.51.100.7"))
    assert "Too many failed login attempts" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_without_a_trusted_proxy_the_header_is_ignored(client, make_user, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    real = make_user("real@sussex.police.uk")
    for i in range(10):
        sign_in(client, f"someone{i}@sussex.police.uk", "wrong", **from_address(f"203.0.113.{i + 1}"))
    response = sign_in(client, real.email, PASSWORD, **from_address("198.51.100.7"))
    assert "Too many failed login attempts" in response.content.decode()


def test_security_log_names_the_real_client_address(client, member, behind_proxy, caplog):
    caplog.set_level(logging.INFO, logger="accounts.security")
    sign_in(client, member.email, "wrong", **from_address("203.0.113.9"))
    sign_in(client, member.email, PASSWORD, **from_address("198.51.100.7"))
    lines = [r.getMessage() for r in caplog.records if r.name == "accounts.security"]
    assert any("Failed sign-in" in line and "203.0.113.9" in line for line in lines), lines
    assert any("Signed in" in line and "198.51.100.7" in line for line in lines), lines
    assert not any("10.0.0.2" in line for line in lines)


def test_trusted_proxy_count_comes_from_the_environment(monkeypatch):
    import runpy

    monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    assert runpy.run_module("config.settings.base")["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "2")
    assert runpy.run_module("config.settings.base")["ALLAUTH_TRUSTED_PROXY_COUNT"] == 2

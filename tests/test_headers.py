"""Content-Security-Policy and Permissions-Policy headers (issue 8)."""

import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


PUBLIC_PAGES = ["/", "/search/?q=mou", "/accounts/login/", "/accounts/signup/", "/no-such-page/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_html_pages_have_a_strict_policy(client, path):
    response = client.get(path)
    assert response["Content-Type"].startswith("text/html")
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header and "nonce-" not in header


def test_signed_in_pages_have_the_strict_policy(client, member):
    client.force_login(member)
    response = client.get("/")
    assert directives(response)["script-src"] == ["'self'"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_inline_script(client, path):
    body = client.get(path).content.decode()
    assert "<script>" not in body
    assert "js/js-enabled.js" in body or "<html" not in body


def test_html_pages_say_no_to_powerful_features(client):
    header = client.get("/")["Permissions-Policy"]
    features = dict(item.split("=") for item in header.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture", "serial"):
        assert features[feature] == "()"
    # Passkeys (allauth's MFA) must keep working.
    assert "publickey-credentials-get" not in features


def test_the_admin_has_its_own_looser_policy(client, make_user):
    client.force_login(make_user("admin@sussex.police.uk", is_superuser=True, is_staff=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'", "'unsafe-eval'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert not any(value.startswith("'nonce-") for values in policy.values() for value in values)
    assert "Permissions-Policy" in response


def test_admin_login_page_has_the_admin_policy(client):
    response = client.get("/admin/login/")
    assert "'unsafe-inline'" in directives(response)["script-src"]


def test_the_page_caches_keep_the_headers(client):
    first = client.get("/")
    second = client.get("/")
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]
    assert second["Permissions-Policy"]


def test_the_middleware_leaves_non_html_alone(rf):
    from django.http import HttpResponse, JsonResponse

    from config.headers import ContentSecurityPolicyMiddleware

    for response in (JsonResponse({"ok": True}), HttpResponse(b"%PDF", content_type="application/pdf")):
        middleware = ContentSecurityPolicyMiddleware(lambda request, response=response: response)
        assert "Content-Security-Policy" not in middleware(rf.get("/x"))
    html = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("<p>hi</p>"))
    assert "Content-Security-Policy" in html(rf.get("/x"))

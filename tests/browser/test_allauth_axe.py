"""axe on allauth's pages a person reaches signed out and signed in, on a desktop and on a
390-pixel-wide phone, in one browser context, page after page (issue 10)."""

PASSWORD = "a long and unusual passphrase 42"
SIGNED_OUT = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-nonsense/",
    "/accounts/password/reset/key/done/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/nonsense/",
    "/accounts/inactive/",
]
SIGNED_IN = [
    "/accounts/profile/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/reauthenticate/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/logout/",
]


def test_allauth_pages_are_axe_clean_on_desktop_and_phone(page, site, make_user, sign_in, axe_check):
    make_user("alex.morgan@sussex.police.uk", password=PASSWORD)
    for viewport in ({"width": 1280, "height": 800}, {"width": 390, "height": 844}):
        page.set_viewport_size(viewport)
        page.context.clear_cookies()
        for url in SIGNED_OUT:
            page.goto(url)
            axe_check(page)
        sign_in(page, "alex.morgan@sussex.police.uk", PASSWORD)
        for url in SIGNED_IN:
            page.goto(url)
            axe_check(page)

"""A two-step sign-in code as a person's authenticator app shows it.

The site accepts the code of the current 30-second window only (allauth's default tolerance
of none). A code worked out in a window's last moments may reach the site in the next one and
be refused, so a test waits for a window with ``margin`` seconds still to run before asking
for one: a slow machine never fails a sign-in by chance."""

import time


def totp_code(secret: str, margin: float = 5.0) -> str:
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))

"""Wagtail's password forms for restricted pages and collections, throttled like sign-ins.

config/urls.py routes Wagtail's two addresses here (before Wagtail's own patterns). Failed attempts
are counted in the cache per client address and restriction, and per restriction from every
address; past either limit, every attempt (even with the right password) gets a 429 saying how
long to wait, until the oldest counted failure leaves the window.
"""

import hashlib
import ipaddress
import math
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail import views as wagtail_views
from wagtail.documents.views import serve as wagtail_document_views

from .signals import client_ip, security_log


def _now() -> float:
    return time.time()


def _client(request) -> str:
    """The client address, an IPv6 one cut to its network as allauth's limits do (/64), so that
    rotating through one's own addresses does not give more attempts."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        prefix = getattr(settings, "ALLAUTH_RATE_LIMIT_IPV6_PREFIX", 64)
        return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False).network_address)
    return address


def _keys(request, scope: str) -> list[tuple[str, int]]:
    address = hashlib.sha256(_client(request).encode()).hexdigest()[:32]
    return [
        (f"accounts:pw:{scope}:addr:{address}", settings.ACCOUNTS_PASSWORD_ATTEMPTS_PER_ADDRESS),
        (f"accounts:pw:{scope}:all", settings.ACCOUNTS_PASSWORD_ATTEMPTS_PER_RESTRICTION),
    ]


def _recent(key: str, now: float) -> list[float]:
    window = settings.ACCOUNTS_PASSWORD_WINDOW
    return [t for t in cache.get(key, []) if t > now - window]


@contextmanager
def _locked(scope: str):
    """Serialise the read-modify-write of one restriction's counts between requests and servers
    (a cache lock, as allauth's limits use); after a second's wait it goes ahead unlocked."""
    key = f"accounts:pw:{scope}:lock"
    deadline = time.monotonic() + 1
    acquired = cache.add(key, 1, timeout=5)
    while not acquired and time.monotonic() < deadline:
        time.sleep(0.01)
        acquired = cache.add(key, 1, timeout=5)
    try:
        yield
    finally:
        if acquired:
            cache.delete(key)


def _wait(keys, now: float) -> int:
    wait = 0.0
    for key, limit in keys:
        failures = _recent(key, now)
        if len(failures) >= limit:
            # Allowed again once enough failures have left the window.
            oldest_counted = sorted(failures)[len(failures) - limit]
            wait = max(wait, oldest_counted + settings.ACCOUNTS_PASSWORD_WINDOW - now)
    return math.ceil(wait)


def consume(request, scope: str) -> tuple[int, float | None]:
    """Count an attempt on ``scope`` before the password is checked, so that simultaneous
    guesses cannot slip past the limit: ``(seconds to wait, None)`` when over it, else
    ``(0, stamp)``, the stamp to give back with :func:`give_back` if the password was right."""
    keys = _keys(request, scope)
    with _locked(scope):
        now = _now()
        wait = _wait(keys, now)
        if wait:
            return wait, None
        for key, limit in keys:
            # No more than the limit needs, so that the entry stays small however long the attack.
            cache.set(
                key, sorted([*_recent(key, now), now])[-limit:], timeout=settings.ACCOUNTS_PASSWORD_WINDOW
            )
    return 0, now


def give_back(request, scope: str, stamp: float) -> None:
    """A right password is not a failure: take its attempt off the counts again."""
    keys = _keys(request, scope)
    with _locked(scope):
        for key, _limit in keys:
            failures = cache.get(key, [])
            if stamp in failures:
                failures.remove(stamp)
                cache.set(key, failures, timeout=settings.ACCOUNTS_PASSWORD_WINDOW)


def _too_many(request, wait: int, scope: str):
    security_log.warning("Password form %s locked for %ss from %s", scope, wait, client_ip(request))
    return_url = request.POST.get("return_url", "") if request.method == "POST" else ""
    if not url_has_allowed_host_and_scheme(return_url, request.get_host(), request.is_secure()):
        return_url = ""
    response = render(
        request,
        "accounts/too_many_attempts.html",
        {"minutes": max(1, math.ceil(wait / 60)), "return_url": return_url},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _throttled(request, scope: str, view, *args):
    if request.method != "POST":
        return view(request, *args)
    wait, stamp = consume(request, scope)
    if wait:
        return _too_many(request, wait, scope)
    response = view(request, *args)
    if response.status_code == 302:
        # Wagtail answers a right password with a redirect, anything else with the form again.
        give_back(request, scope, stamp)
    else:
        security_log.warning("Wrong password for %s from %s", scope, client_ip(request))
    return response


def page_password(request, page_view_restriction_id: int, page_id: int):
    return _throttled(
        request,
        f"page-{page_view_restriction_id}",
        wagtail_views.authenticate_with_password,
        page_view_restriction_id,
        page_id,
    )


def collection_password(request, restriction_id: int):
    return _throttled(
        request,
        f"collection-{restriction_id}",
        wagtail_document_views.authenticate_with_password,
        restriction_id,
    )

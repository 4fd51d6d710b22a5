"""How many start-a-scheme requests one client address may send: a fixed window in the cache.

The client address is found as the sign-in throttles find it (``TRUSTED_PROXY_COUNT``, through
``accounts.signals.client_ip``); every POST counts, the honeypot's too.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache

from accounts.signals import client_ip

DEFAULT_LIMIT = 5
DEFAULT_WINDOW = 60 * 60


def limit() -> int:
    return getattr(settings, "ONBOARDING_REQUESTS_PER_ADDRESS", DEFAULT_LIMIT)


def window() -> int:
    return getattr(settings, "ONBOARDING_REQUESTS_WINDOW", DEFAULT_WINDOW)


def _key(request) -> str:
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
        if parsed.version == 6:  # one's own /64 is one address, as allauth's limits count it
            address = str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    except ValueError:
        pass
    return "onboarding:requests:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def consume(request) -> bool:
    """Count one attempt; False once the address has used up its window."""
    key = _key(request)
    if cache.add(key, 1, timeout=window()):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window())
        return True
    return count <= limit()

"""The client's address, the same for every reader: allauth's login throttles, the
site's own throttles (objections, certificate checks, the API) and the audit.

Behind N trusted reverse proxies (``ZHICHENG_PROXY_COUNT``: nginx in front = 1, a load
balancer in front of nginx = 2), each proxy appends the address it saw to X-Forwarded-For,
so the N-th entry from the right is the one the outermost trusted proxy saw: the client.
Entries further left were written by the client and are never believed. Without a proxy
the socket peer (REMOTE_ADDR) is the client.

On the single-machine deployment gunicorn listens on a unix socket, where REMOTE_ADDR is
empty: the address then comes only from the proxy's header, which is why the documented
configuration sets ZHICHENG_PROXY_COUNT=1 (docs/deploy.md).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# What the login throttles count under when no address can be known (a misconfigured proxy
# count on a unix socket). Logins still work; they share one bucket, which is the safe side.
UNKNOWN_CLIENT = "unknown-client"


def trusted_proxy_count() -> int:
    return max(0, int(getattr(settings, "ZHICHENG_PROXY_COUNT", 0)))


def _clean(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[::1]:443" as some balancers write it
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # "1.2.3.4:5678"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address as text, or None when it cannot be known."""
    hops = trusted_proxy_count()
    if hops > 0:
        forwarded = [
            part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return _clean(forwarded[-hops])
        # Fewer entries than trusted proxies: the request skipped a proxy (a health check
        # on the app server itself); the peer is then the best witness.
    return _clean(request.META.get("REMOTE_ADDR") or "")

"""Handing a signed-in session to the browser.

Journeys that are not about signing in start from a session made with Django's test client
and put into the browser's cookies; the sign-in itself, with the officials' second factor,
is what tests/accounts and the navigation journeys test by typing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client


def hand_session(page: Any, base: str, user: Any) -> None:
    """The browser is now signed in as `user` (and as nobody else)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": cookie.value, "url": base}])

"""Typing the demo officials' authenticator code, as a person does.

allauth accepts each code once: a second sign-in of the same account within one 30-second
step is refused with the same code. A person then waits for the app's next code; so does
this helper, instead of failing at random when two journeys sign the same official in
within one step.
"""

from __future__ import annotations

import time
from typing import Any


def enter_code(page: Any) -> None:
    """On allauth's second-factor page: type the current code; if it was used already,
    wait for the next one and type that."""
    from allauth.mfa import app_settings

    from zhicheng.accounts.totp import totp_code
    from zhicheng.demo.accounts import DEMO_TOTP_SECRET

    period = app_settings.TOTP_PERIOD
    for _attempt in range(2):
        page.fill("input[name=code]", totp_code(DEMO_TOTP_SECRET))
        page.click("main form button[type=submit]")
        page.wait_for_load_state("load")
        if "/2fa/" not in page.url:
            return
        time.sleep(period - time.time() % period + 0.5)  # the next code

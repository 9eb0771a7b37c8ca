"""Posting an authenticator code from a test client, as a person types it.

allauth accepts a code only in the 30-second step it belongs to (no tolerance window is
configured). A code computed just before a step ends can reach the server in the next one
and be refused, on a slow or busy machine, as a person's would; the person then types the
new code. So does this helper, once, and only when the step did change during the request:
any other refusal is returned to the test as it is.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings

from zhicheng.accounts.totp import totp_code


def _step() -> int:
    return int(time.time() // app_settings.TOTP_PERIOD)


def post_code(client: Any, url: str, secret: str) -> Any:
    step = _step()
    response = client.post(url, {"code": totp_code(secret)})
    if response.status_code == 200 and _step() != step:
        response = client.post(url, {"code": totp_code(secret)})
    return response

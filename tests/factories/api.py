"""API test helpers: the one error format."""

from __future__ import annotations

from typing import Any


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error format: {"error": {"code", "message", "details": [...]}}."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]

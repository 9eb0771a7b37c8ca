from typing import Any

from django.http import HttpRequest

from . import clock


def site(request: HttpRequest) -> dict[str, Any]:
    out: dict[str, Any] = {"business_today": clock.today(), "clock_pinned": clock.is_pinned()}
    if clock.demo_clock_enabled():  # demo mode only: one query for the banner's button
        from .democlock import may_move

        out["demo_clock_button"] = may_move(getattr(request, "user", None))
    return out

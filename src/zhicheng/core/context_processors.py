from typing import Any

from django.http import HttpRequest

from . import clock


def site(request: HttpRequest) -> dict[str, Any]:
    return {"business_today": clock.today(), "clock_pinned": clock.is_pinned()}

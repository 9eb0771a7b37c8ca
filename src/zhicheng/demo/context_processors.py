from typing import Any

from django.http import HttpRequest

from zhicheng.core import clock
from zhicheng.demo.clock import may_move


def demo_clock(request: HttpRequest) -> dict[str, Any]:
    """The banner's button to move the demo date on (demo mode only: one query)."""
    if not clock.demo_clock_enabled():
        return {}
    return {"demo_clock_button": may_move(getattr(request, "user", None))}

"""The business date. ZHICHENG_TODAY pins it (the demo runs inside the 2024 season).

Two demo-only ways move it on (docs/operations.md, "Demo clock"):
- `pinned(day)`: a context manager for the demo seeding, which runs each step on the date
  it would have happened (it wins over everything while it is active);
- the demo clock: with `ZHICHENG_DEMO_CLOCK` on, a date stored in a file under the var
  directory (`zhicheng demo_clock`, the banner button of the city office). The later of it
  and ZHICHENG_TODAY is today, so restarting `make run` never moves time backwards.
"""

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils import timezone

_pinned: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar(
    "zhicheng_pinned_day", default=None
)


def demo_clock_enabled() -> bool:
    return bool(getattr(settings, "ZHICHENG_DEMO_CLOCK", False)) and not getattr(
        settings, "PRODUCTION", False
    )


def demo_clock_file() -> Path:
    return Path(getattr(settings, "ZHICHENG_DEMO_CLOCK_FILE", "") or (
        Path(settings.VAR_DIR) / "demo-clock.txt"))


def demo_clock_day() -> dt.date | None:
    """The date stored by the demo clock, or None (off, never set, or unreadable)."""
    if not demo_clock_enabled():
        return None
    try:
        return dt.date.fromisoformat(demo_clock_file().read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def base_day() -> dt.date:
    """Today without the demo clock: ZHICHENG_TODAY, else today in Asia/Shanghai."""
    pinned = getattr(settings, "ZHICHENG_TODAY", "")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return timezone.localdate()


def today() -> dt.date:
    day = _pinned.get()
    if day is not None:
        return day
    base = base_day()
    demo = demo_clock_day()
    return demo if demo is not None and demo > base else base


def is_pinned() -> bool:
    return bool(getattr(settings, "ZHICHENG_TODAY", "")) or demo_clock_day() is not None


@contextlib.contextmanager
def pinned(day: dt.date) -> Iterator[dt.date]:
    """Run the block as if today were `day` (demo seeding only; callers audit the date)."""
    token = _pinned.set(day)
    try:
        yield day
    finally:
        _pinned.reset(token)

"""The business date. ZHICHENG_TODAY pins it (the demo runs inside the 2024 season).

Two demo-only ways move it on (docs/operations.md, "Demo clock"):
- `pinned(day)`: a context manager for the demo seeding, which runs each step on the date
  it would have happened (it wins over everything while it is active);
- the demo clock: with `ZHICHENG_DEMO_CLOCK` on, a date stored in a file under the var
  directory (`zhicheng demo_clock`, the banner button of the city office). The later of it
  and ZHICHENG_TODAY is today, so restarting `make run` never moves time backwards.

`now()` is the business moment every timestamp a person sees or searches is stamped with
(submission, messages, inbox, audit, review steps, certificates): with the demo clock on or
a seeding step pinned, the current time of day on the business date, so the seeded story
reads in order and an audit search by demo dates finds the demo's events. Otherwise, and
always in production, it is the real time. Security clocks (sessions, API tokens, lockouts,
signed checkpoints and revocation lists, health checks) keep `timezone.now()`: they measure
real elapsed time and must not be moved by a button.
"""

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import models
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


def follows_business_date() -> bool:
    """True while timestamps follow the business date: a pinned seeding step, or the demo
    clock on (never in production). ZHICHENG_TODAY alone moves dates, not timestamps."""
    return _pinned.get() is not None or demo_clock_enabled()


def now() -> dt.datetime:
    """The business moment (see the module docstring)."""
    real = timezone.now()
    if not follows_business_date():
        return real
    local = timezone.localtime(real)
    day = today()
    if day == local.date():
        return real
    return local.replace(year=day.year, month=day.month, day=day.day)


class BusinessTimestampField(models.DateTimeField):
    """A DateTimeField whose auto_now/auto_now_add stamp is `now()`, not the wall clock."""

    def pre_save(self, model_instance: models.Model, add: bool) -> dt.datetime | None:
        if self.auto_now or (self.auto_now_add and add):
            value = now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

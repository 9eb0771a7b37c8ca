"""The business date. ZHICHENG_TODAY pins it (the demo runs inside the 2024 season)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    pinned = getattr(settings, "ZHICHENG_TODAY", "")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return timezone.localdate()


def is_pinned() -> bool:
    return bool(getattr(settings, "ZHICHENG_TODAY", ""))

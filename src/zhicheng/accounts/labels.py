"""The authentication steps of the audit as people read them (core.labels)."""

from __future__ import annotations

from zhicheng.core import labels

from .models import NotifyChannels
from .operations import AUTH_EVENTS, NOTIFY_PREFERENCES

labels.register("audit_action", AUTH_EVENTS)
labels.register("audit_action", {NOTIFY_PREFERENCES: "修改通知方式"})
labels.register_choices("notify_channels", NotifyChannels)

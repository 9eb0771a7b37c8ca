"""The authentication steps of the audit as people read them (core.labels)."""

from __future__ import annotations

from zhicheng.core import labels

from .operations import AUTH_EVENTS

labels.register("audit_action", AUTH_EVENTS)

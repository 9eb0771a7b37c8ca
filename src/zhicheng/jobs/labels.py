"""The jobs' states, kinds and audit action as people read them (core.labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhicheng.core import labels

from .models import JobState
from .registry import KINDS

labels.register_choices("job_state", JobState)
labels.register("audit_action", {"job.start": _("发起后台任务")})
labels.register_resolver("job_kind", lambda code: KINDS[code].label if code in KINDS else None)

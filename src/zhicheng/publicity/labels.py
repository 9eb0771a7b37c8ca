"""The publicity's kinds and audit actions as people read them (core.labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhicheng.core import labels

from .models import Kind

labels.register_choices("publicity_kind", Kind)
labels.register("audit_action", {
    "publicity.open": _("开始公示"),
    "publicity.close": _("公示期满"),
    "publicity.objection.file": _("提出异议"),
    "publicity.objection.resolve": _("处理异议"),
})

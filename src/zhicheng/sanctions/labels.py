"""The sanctions' kinds and audit actions as people read them (core.labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhicheng.core import labels

from .models import Kind, Status

labels.register_choices("sanction_kind", Kind)
labels.register_choices("sanction_status", Status)
labels.register("audit_action", {
    "sanction.correction.close": _("整改销号"),
    "sanction.correction.order": _("责令限期整改"),
    "sanction.correction.overdue": _("整改逾期"),
    "sanction.correction.report": _("报送整改报告"),
    "sanction.suspension.lift": _("解除暂停评审"),
    "sanction.suspension.order": _("暂停评审"),
    "sanction.void_results.order": _("宣布评审结果无效"),
    "sanction.withdrawal.order": _("收回评审权"),
})

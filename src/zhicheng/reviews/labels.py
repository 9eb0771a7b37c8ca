"""The review chain's audit actions as people read them (core.labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhicheng.applications.states import TRANSITIONS
from zhicheng.core import labels

labels.register("audit_action", {f"review.{t.name}": t.label for t in TRANSITIONS})
labels.register("audit_action", {
    "review.city_office_review": _("市职称办抽查"),
    "review.committee_setting": _("设置评委会受理参数"),
    "review.correction_material": _("上传补正材料"),
    "review.correction_reminder": _("补正期限提醒"),
    "review.dossier_view": _("查阅申报材料"),
    "review.sampling_draw": _("抽取抽查样本"),
    "review.sampling.commit": _("公布抽查种子哈希"),
    "review.sampling.run": _("抽取抽查样本"),
    "review.sampling_finding": _("记录抽查结果"),
    "review.unit_check": _("单位核对原件"),
    "review.record_provincial_pass": _("省高评委评审通过"),
    "review.record_provincial_fail": _("省高评委评审未通过"),
})

"""The application's codes as people read them (core.labels): states, transitions (which are
also the review chain's steps), roles, routes, verdicts, profile field names, audit actions."""

from __future__ import annotations

import re

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from zhicheng.core import labels
from zhicheng.documents.pdfclean import LABELS as PDF_ACTIVE_CONTENT
from zhicheng.policy.decision import OUTCOME_NAMES, VERDICT_NAMES

from . import profiles
from .forms import SECTION_FORMS, EmploymentForm
from .models import Channel, DeliveryState, MaterialKind, Route
from .states import TRANSITIONS, Role, State

labels.register_choices("state", State)
labels.register_choices("role", Role)
labels.register_choices("route", Route)
labels.register_choices("material_kind", MaterialKind)
labels.register_choices("channel", Channel)
labels.register_choices("delivery_state", DeliveryState)
labels.register("transition", {t.name: t.label for t in TRANSITIONS})
# A review step is the transition it recorded, or the city office's sampling check.
labels.register("step", {t.name: t.label for t in TRANSITIONS})
labels.register("step", {"city_office_review": _("市职称办抽查"),
                         "sampling_finding": _("市职称办抽查结果")})
labels.register("verdict", VERDICT_NAMES)
labels.register("outcome", OUTCOME_NAMES)
labels.register("level", profiles.LABELS["title_level"])
labels.register("education_level", profiles.LABELS["level"])
labels.register("grade", profiles.LABELS["grade"])
labels.register("achievement_kind", profiles.LABELS["achievement"])
labels.register("section", {k: v[0] for k, v in profiles.LIST_SECTIONS.items()})
labels.register("section", {"employment": _("工作单位与就业信息"), "residence": _("户籍与居住")})


def _form_field_labels() -> dict[str, str]:
    out: dict[str, str] = {}
    all_forms: list[type[django_forms.Form]] = [*SECTION_FORMS.values(), EmploymentForm]
    for form in all_forms:
        for name, field in form.base_fields.items():
            if name != "version" and field.label:
                out.setdefault(name, _without_clause(str(field.label)))
    return out


_CLAUSE = re.compile(r"^[一二三四五六七八九十]+(（[一二三四五六七八九十]+）)?[0-9]*$")


def _without_clause(text: str) -> str:
    """"已与用人单位签订劳动（聘用）合同（一（一））" -> "…劳动（聘用）合同": a field's name
    in a diff or a refusal leaves the clause to the form."""
    if not text.endswith("）"):
        return text
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {"）": 1, "（": -1}.get(text[i], 0)
        if depth == 0:
            inner = text[i + 1:-1].split("，")[-1]
            return text[:i] if i and _CLAUSE.match(inner) else text
    return text


# Field names of the profile (diffs, refusals): the form's labels, plus the stored facts the
# forms do not ask for directly.
labels.register("field", {
    "status": _("就业状态"), "sector": _("行业领域"), "grassroots": _("基层一线"),
    "agency_managed": _("人事代理"), "employer_kind": _("单位性质"), "category": _("户籍类别"),
    "id": _("编号"), "uid": _("编号"),
})
labels.register("field", _form_field_labels())

labels.register("audit_action", {
    "application.create": _("新建申报"),
    "application.veto": _("一票否决"),
    "application.confirm_special_route": _("初定/考核认定核准"),
    "applications.add_application": _("新建申报"),
    "notification.read": _("阅读消息"),
    "notification.resend": _("重发消息"),
    "plan.update": _("修改评审计划"),
    "integrity.record": _("记入诚信档案"),
})
for t in TRANSITIONS:
    labels.register("audit_action", {f"application.{t.name}": t.label})

# What was removed from an uploaded PDF (documents.pdfclean), shown to reviewers.
labels.register("pdf_active_content", PDF_ACTIVE_CONTENT)

"""The decision's lists built in Python (applications/templatetags/decisions.py) give the
markup the template's loops gave, byte for byte: the template as it was is rendered beside
the one in use, for engine decisions and snapshot dicts, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import engines
from django.template.loader import get_template
from django.utils import translation

from zhicheng.policy.decision import Decision, ExcludedMaterial, Finding, Material

# applications/_decision.html before its loops became tags.
TEMPLATE_WITH_LOOPS = """{% load i18n portal %}
<div id="decision" aria-live="polite">
  {% if plan_error %}<div class="alert alert-warning plan-error">{% for e in plan_error %}{{ e }}{% endfor %}</div>{% endif %}
  {% if decision %}
    <div class="alert {% if decision.verdict == 'eligible' %}alert-success{% elif decision.verdict == 'ineligible' %}alert-danger{% else %}alert-warning{% endif %} verdict" data-verdict="{{ decision.verdict }}">
      <strong>{% translate "资格审查结果" %}：</strong>
      {% if decision.verdict == "eligible" %}{% translate "符合申报条件" %}{% elif decision.verdict == "ineligible" %}{% translate "不符合申报条件（有不符合的条件时不能提交）" %}{% else %}{% translate "需人工审核（请在情况说明中逐项说明）" %}{% endif %}
      <span class="small text-muted ms-2">{{ decision.route_label }}</span>
    </div>
    <ul class="list-group mb-3 findings">
      {% for f in decision.findings %}
        <li class="list-group-item finding finding-{{ f.outcome }}" data-rule="{{ f.rule }}">
          <span class="badge {% if f.outcome == 'fail' %}text-bg-danger{% elif f.outcome == 'needs_review' %}text-bg-warning{% elif f.outcome == 'pass' %}text-bg-success{% else %}text-bg-secondary{% endif %}">{% if f.outcome == "fail" %}{% translate "不符合" %}{% elif f.outcome == "needs_review" %}{% translate "需人工审核" %}{% elif f.outcome == "pass" %}{% translate "符合" %}{% else %}{% translate "说明" %}{% endif %}</span>
          <a class="clause" href="{{ f.clause|clause_url }}" target="_blank" rel="noopener">{{ f.clause }}</a>
          {{ f.message }}
        </li>
      {% endfor %}
    </ul>
    {% if decision.required_materials %}
      <h3 class="h6">{% translate "应提交的材料" %}</h3>
      <ul class="required-materials">
        {% for m in decision.required_materials %}<li>{{ m.name }}（<a href="{{ m.clause|clause_url }}" target="_blank" rel="noopener">{{ m.clause }}</a>）</li>{% endfor %}
      </ul>
    {% endif %}
    {% if decision.excluded_materials %}
      <h3 class="h6">{% translate "不予计入的材料" %}</h3>
      <ul class="excluded-materials">
        {% for m in decision.excluded_materials %}<li>{{ m.title }}：{{ m.reason }}（<a href="{{ m.clause|clause_url }}">{{ m.clause }}</a>）</li>{% endfor %}
      </ul>
    {% endif %}
  {% else %}
    {% for p in problems %}<div class="alert alert-secondary problem">{{ p }}</div>{% endfor %}
  {% endif %}
</div>
"""  # noqa: E501


def _decision(**changes: Any) -> Decision:
    data: dict[str, Any] = {
        "season": "2024", "applicant_id": "7", "applicant_name": "王<测试>", "request": {},
        "verdict": "needs_review", "route": "normal", "route_label": "正常晋升", "seniority": None,
        "required_materials": [Material("学历证书", "二（二）"), Material("A&B <证明>", "附件"),
                               Material("未知条款", "no such clause")],
        "excluded_materials": [ExcludedMaterial("achievement", "M1", "论文\"甲\"", "晚于截止日期",
                                                "二（二）")],
        "findings": [
            Finding("ladder.level", "pass", "二（一）", "符合 <b>层级</b>"),
            Finding("integrity.record", "fail", "五（四）", "诚信档案 & 记录 'x'"),
            Finding("seniority", "needs_review", "二（二）", "需人工审核"),
            Finding("note", "info", "", "说明"),
            Finding("odd", "unknown", "附件", "？"),
        ],
        "flags": [],
    }
    data.update(changes)
    return Decision(**data)


CASES = [
    _decision(),
    _decision().to_dict(),  # a submitted application's snapshot
    _decision(findings=[], required_materials=[], excluded_materials=[]),
    {"verdict": "eligible", "findings": [{"rule": "r"}], "required_materials": [{}],
     "excluded_materials": [{"title": None}]},  # keys missing, a None
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case", range(len(CASES)))
def test_the_lists_are_the_loops_markup(case: int, language: str) -> None:
    before = engines["django"].from_string(TEMPLATE_WITH_LOOPS)
    now = get_template("applications/_decision.html")
    context = {"decision": CASES[case], "problems": [], "plan_error": None}
    with translation.override(language):
        html = now.render(context)
        assert html == before.render(context)
    if case == 0:
        assert "finding-fail" in html and "&lt;b&gt;层级&lt;/b&gt;" in html
        assert html.count("<li") == 5 + 3 + 1

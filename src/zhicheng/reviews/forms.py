"""Forms of the review pages (Chinese labels; validation of substance is in the operations)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhicheng.applications.models import MaterialKind

from .models import FindingOutcome

CORRECTION_ROWS = 8


class ReasonsForm(forms.Form):
    reasons = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=2000)


class CorrectionForm(forms.Form):
    """一次性告知: up to CORRECTION_ROWS items, each a target and what is wrong."""

    due_date = forms.DateField(
        label=_("补正期限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("（请选择资料条目或材料）")), *targets]
        for i in range(CORRECTION_ROWS):
            self.fields[f"target_{i}"] = forms.ChoiceField(
                label=_("第%(n)d项：资料或材料") % {"n": i + 1}, choices=choices, required=False
            )
            self.fields[f"problem_{i}"] = forms.CharField(
                label=_("第%(n)d项：存在的问题及补正要求") % {"n": i + 1},
                required=False, max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"target_{i}"], self[f"problem_{i}"]) for i in range(CORRECTION_ROWS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        items = []
        for i in range(CORRECTION_ROWS):
            target, problem = data.get(f"target_{i}", ""), (data.get(f"problem_{i}") or "").strip()
            if target and not problem:
                self.add_error(f"problem_{i}", "请写明该项存在的问题及补正要求。")
            elif problem and not target:
                self.add_error(f"target_{i}", "请选择该项对应的资料条目或材料。")
            elif target:
                items.append({"target": target, "problem": problem})
        if not items and not self.errors:
            raise forms.ValidationError("请至少列出一项需要补正的内容（一次性告知全部内容）。")
        data["items"] = items
        return data


class CorrectionMaterialForm(forms.Form):
    material_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    file = forms.FileField(label=_("补正后的文件（PDF、JPEG或PNG）"))
    title = forms.CharField(label=_("材料名称"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("类别"), choices=MaterialKind.choices, required=False)
    document_date = forms.DateField(
        label=_("材料日期"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class DrawForm(forms.Form):
    plan = forms.IntegerField(widget=forms.HiddenInput)


class FindingForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("结论"), choices=FindingOutcome.choices)
    finding = forms.CharField(label=_("抽查意见"), widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=2000)



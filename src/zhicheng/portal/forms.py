"""The plan-table filter form. Invalid values are dropped with a message, never a 500."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from zhicheng.catalogue.models import Series

from .queries import PlanFilters


class PlanFilterForm(forms.Form):
    series = forms.ChoiceField(label=_("职称系列"), required=False)
    office = forms.ChoiceField(label=_("评委会办事机构"), required=False)
    month = forms.TypedChoiceField(
        label=_("受理月份"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部月份")), *((m, MONTHS[m]) for m in range(1, 13))],
    )
    q = forms.CharField(label=_("搜索"), required=False, max_length=50, strip=True)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("row", _("按序号")),
            ("office", _("按办事机构")),
            ("acceptance", _("按受理时间")),
        ],
    )

    def __init__(
        self, data: Any, *, offices: list[str], series: list[Series], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["office"].choices = [("", _("全部办事机构")), *((o, o) for o in offices)]  # type: ignore[attr-defined]
        self.fields["series"].choices = [("", _("全部系列")), *((s.code, s.name) for s in series)]  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("专业、办事机构或地址"), "type": "search"}
        )

    def filters(self) -> PlanFilters:
        """The valid part of the query; invalid fields are ignored (see `ignored`)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return PlanFilters(
            series=data.get("series") or "",
            office=data.get("office") or "",
            month=data.get("month"),
            q=data.get("q") or "",
            sort=data.get("sort") or "row",
        )

    @property
    def ignored(self) -> list[str]:
        return [str(self.fields[name].label) for name in self.errors]

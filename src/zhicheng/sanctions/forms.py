from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhicheng.evaluation.models import Committee, Meeting

from .models import Kind
from .operations import VOIDABLE_MEETING_STATES
from .queries import committee_offices, committees_for, voidable_meetings


class DecisionForm(forms.Form):
    """One form for the four measures; which fields matter depends on `kind` (the operation
    names anything missing)."""

    kind = forms.ChoiceField(label=_("处理措施"), choices=Kind.choices)
    office = forms.ModelChoiceField(label=_("评委会办事机构"), queryset=committee_offices(),
                                    required=False)
    committee = forms.ModelChoiceField(
        label=_("评委会"), queryset=Committee.objects.select_related("office"), required=False,
        help_text=_("限期整改、暂停评审可不选（即该办事机构的全部评委会）；收回评审权必选。"),
    )
    meeting = forms.ModelChoiceField(
        label=_("评审会议"), required=False,
        queryset=Meeting.objects.filter(state__in=VOIDABLE_MEETING_STATES)
        .select_related("committee"),
        help_text=_("宣布评审结果无效时必选。"),
    )
    decision_number = forms.CharField(label=_("处理决定文号"), max_length=80)
    reason = forms.CharField(label=_("处理理由"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("事实与证据"), widget=forms.Textarea(attrs={"rows": 4}))
    due_on = forms.DateField(label=_("整改期限"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}),
                             help_text=_("限期整改时必填。"))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:  # the choices of the office's own city (docs/seasons.md, 多城市)
            self.fields["office"].queryset = committee_offices(user)  # type: ignore[attr-defined]
            self.fields["committee"].queryset = committees_for(user)  # type: ignore[attr-defined]
            self.fields["meeting"].queryset = voidable_meetings(  # type: ignore[attr-defined]
                user, VOIDABLE_MEETING_STATES)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        committee = data.get("committee")
        if kind == Kind.VOID_RESULTS and not data.get("meeting"):
            self.add_error("meeting", _("宣布评审结果无效须选择评审会议。"))
        if kind == Kind.WITHDRAWAL and committee is None:
            self.add_error("committee", _("收回评审权须选择评委会。"))
        if kind in (Kind.CORRECTION, Kind.SUSPENSION):
            if data.get("office") is None and committee is not None:
                data["office"] = committee.office
            if data.get("office") is None:
                self.add_error("office", _("请选择评委会办事机构。"))
        if kind == Kind.CORRECTION and not data.get("due_on"):
            self.add_error("due_on", _("限期整改须填写整改期限。"))
        return data

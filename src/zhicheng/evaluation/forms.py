from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhicheng.accounts.models import User
from zhicheng.catalogue.models import Level
from zhicheng.orgs.models import Organisation

from .models import ConflictKind


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("会议地点"), max_length=200)
    pass_rate = forms.DecimalField(label=_("评审通过率（%）"), required=False, min_value=0,
                                   max_value=100, decimal_places=2)
    specialty = forms.CharField(label=_("抽取专业"), max_length=120)
    level = forms.ChoiceField(label=_("专家职称层级"), choices=Level.choices)
    count = forms.IntegerField(label=_("抽取人数"), min_value=1, max_value=99)
    reserve = forms.IntegerField(label=_("备选人数"), min_value=0, max_value=99, initial=2)

    def spec(self) -> list[dict[str, object]]:
        d = self.cleaned_data
        return [{"specialty": d["specialty"], "level": d["level"], "count": d["count"],
                 "reserve": d["reserve"]}]


class ExpertForm(forms.Form):
    """Add a person to the pool (committee office)."""

    username = forms.CharField(label=_("账户名"), max_length=150)
    specialty = forms.CharField(label=_("专业"), max_length=120)
    title_level = forms.ChoiceField(label=_("职称层级"), choices=Level.choices,
                                    initial="associate_senior")
    unit = forms.CharField(label=_("工作单位（全称或统一社会信用代码）"), max_length=200)
    term_start = forms.DateField(label=_("入库日期"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(label=_("任期届满"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_username(self) -> object:
        user = User.objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise forms.ValidationError(_("没有该账户，请先为专家开通账户。"))
        return user

    def clean_unit(self) -> object:
        text = self.cleaned_data["unit"].strip()
        unit = Organisation.objects.filter(Q(name=text) | Q(credit_code=text.upper())).first()
        if unit is None:
            raise forms.ValidationError(_("没有找到该单位，请填写单位全称或统一社会信用代码。"))
        return unit


class ConflictForm(forms.Form):
    """An expert's own declaration: `target` is `a<application id>` or `u<unit id>`."""

    target = forms.CharField(label=_("申报人或单位"), max_length=20)
    kind = forms.ChoiceField(label=_("利害关系类型"), choices=[])
    note = forms.CharField(label=_("具体情况"), max_length=200)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = ConflictKind.choices  # type: ignore[attr-defined]

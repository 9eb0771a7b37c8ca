"""Forms of the city office's season pages: each names the field it refuses, in Chinese, and
keeps what was typed (a bound form re-rendered)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhicheng.orgs.queries import in_office_cities
from zhicheng.policy.package import Parameter
from zhicheng.policy.plans import WindowError, parse_window

from . import doctemplates
from .models import Season

DATE_LABELS = {
    "seniority_cutoff": _("资历（任职年限）计算截止"),
    "materials_cutoff": _("业绩成果、论文、学历截止"),
    "committee_notice_due": _("评委会年度通知报市职称办会签"),
    "evaluation_deadline": _("中初级职称评审完成期限"),
    "education_transition_end": _("初定学历过渡期截止"),
}
DATE_INPUT = forms.DateInput(format="%Y-%m-%d",
                             attrs={"type": "date", "class": "form-control form-control-sm"})
TEXT = {"class": "form-control form-control-sm"}
# How sure the reading of the clause is (the tables' `confidence`: H / M / L).
CONFIDENCE = {"H": _("高"), "M": _("中"), "L": _("低")}


class DeriveForm(forms.Form):
    base = forms.ModelChoiceField(
        label=_("以哪一届为基础"), queryset=Season.objects.none(), empty_label=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    code = forms.SlugField(label=_("新年度代码"), max_length=50,
                           widget=forms.TextInput(attrs=TEXT))
    name = forms.CharField(label=_("新年度名称"), max_length=80, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args: Any, user: Any = None, example: str = "", **kwargs: Any) -> None:
        """`user`: the seasons offered are those of the office's city (docs/seasons.md,
        多城市); `example`: the code proposed from the current season, named in the help."""
        super().__init__(*args, **kwargs)
        base: Any = self.fields["base"]
        seasons = Season.objects.filter(published_version__isnull=False)
        if user is not None:
            seasons = seasons.filter(in_office_cities(user, "owner"))
        base.queryset = seasons.order_by("-year")
        base.label_from_instance = lambda s: s.name
        self.fields["code"].help_text = (
            _("小写字母、数字和连字符，例如 %(example)s") % {"example": example} if example
            else _("小写字母、数字和连字符"))


class DatesForm(forms.Form):
    """The key dates of season.toml, one date field each (labels from DATE_LABELS)."""

    def __init__(self, dates: dict[str, dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, node in dates.items():
            value = node.get("value")
            initial = dt.date.fromisoformat(value["$date"]) if isinstance(value, dict) else None
            self.fields[key] = forms.DateField(
                label=DATE_LABELS.get(key, node.get("text", "")[:30]), initial=initial,
                widget=DATE_INPUT, help_text=node.get("clause", ""),
                error_messages={"invalid": _("请输入存在的日期（年-月-日）"),
                                "required": _("请填写此日期")},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seniority, deadline = data.get("seniority_cutoff"), data.get("evaluation_deadline")
        if seniority and deadline and deadline <= seniority:
            self.add_error("evaluation_deadline", _("评审完成期限应晚于资历计算截止日期"))
        return data


class ParameterForm(forms.Form):
    text = forms.CharField(label=_("原文（条款表述）"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 3}))

    def __init__(self, parameter: Parameter, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label = _("取值")
        field: forms.Field
        if parameter.kind == "date":
            field = forms.DateField(label=label, widget=DATE_INPUT, error_messages={
                "invalid": _("请输入存在的日期（年-月-日）"), "required": _("请填写取值")})
            self.initial["value"] = dt.date.fromisoformat(parameter.value["$date"])
        elif parameter.kind == "int":
            field = forms.IntegerField(label=label, min_value=0, max_value=10000,
                                       widget=forms.NumberInput(attrs=TEXT),
                                       error_messages={"invalid": _("请输入整数"),
                                                       "required": _("请填写取值")})
            self.initial["value"] = parameter.value
        else:
            field = forms.FloatField(label=label, min_value=0, widget=forms.NumberInput(attrs=TEXT),
                                     error_messages={"invalid": _("请输入数字"),
                                                     "required": _("请填写取值")})
            self.initial["value"] = parameter.value
        self.fields = {"value": field, **self.fields}
        self.initial["text"] = parameter.text
        if not parameter.text:
            del self.fields["text"]


class PlanRowForm(forms.Form):
    row = forms.IntegerField(label=_("序号"), min_value=1, max_value=999,
                             widget=forms.NumberInput(attrs=TEXT))
    specialty = forms.CharField(label=_("专业名称"), max_length=120,
                                widget=forms.TextInput(attrs=TEXT))
    office = forms.CharField(label=_("评委会办事机构"), max_length=60, required=False,
                             widget=forms.TextInput(attrs=TEXT))
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False,
                            widget=forms.TextInput(attrs=TEXT))
    address = forms.CharField(label=_("材料报送地址"), max_length=200, required=False,
                              widget=forms.TextInput(attrs=TEXT))
    acceptance = forms.CharField(label=_("申报材料受理时间"), max_length=60, required=False,
                                 widget=forms.TextInput(attrs=TEXT))
    evaluation = forms.CharField(label=_("计划评审时间"), max_length=60, required=False,
                                 widget=forms.TextInput(attrs=TEXT))
    remarks = forms.CharField(label=_("备注"), max_length=200, required=False,
                              widget=forms.TextInput(attrs=TEXT))

    def _window(self, name: str) -> str:
        text = str(self.cleaned_data.get(name, "")).strip()
        if text:
            try:
                parse_window(text)
            except WindowError as exc:
                raise forms.ValidationError(str(exc)) from None
        return text

    def clean_acceptance(self) -> str:
        return self._window("acceptance")

    def clean_evaluation(self) -> str:
        return self._window("evaluation")

    def clean_specialty(self) -> str:
        text = str(self.cleaned_data.get("specialty", "")).strip()
        if "," in text or "\n" in text:
            raise forms.ValidationError(_("专业名称不能含逗号或换行"))
        return text


class OfficeForm(forms.Form):
    """An office the draft's plan table names that its organisations file does not."""

    ACTIONS = [("department", _("添加为本年度的市级部门办事机构")),
               ("not_office", _("不是办事机构，只保留文字"))]
    office = forms.CharField(widget=forms.HiddenInput, max_length=60)
    action = forms.ChoiceField(label=_("处理方式"), choices=ACTIONS, widget=forms.RadioSelect)
    name = forms.CharField(label=_("机构全称"), max_length=120, required=False,
                           widget=forms.TextInput(attrs=TEXT))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "department" and not str(data.get("name", "")).strip():
            self.add_error("name", _("添加机构时请填写机构全称"))
        return data


class PublishForm(forms.Form):
    on = forms.DateField(label=_("发布日期"), widget=DATE_INPUT, error_messages={
        "invalid": _("请输入存在的日期（年-月-日）"), "required": _("请选择发布日期")})


class PlanUploadForm(forms.Form):
    file = forms.FileField(label=_("计划表文件（.xlsx或.csv）"),
                           widget=forms.ClearableFileInput(
                               attrs={"class": "form-control form-control-sm",
                                      "accept": ".xlsx,.csv"}),
                           error_messages={"required": _("请选择要上传的文件")})


class NoticeForm(forms.Form):
    """The season's notice: its number, title and date (season.toml) and its text (notice.md)."""

    notice_number = forms.CharField(label=_("通知文号"), max_length=60,
                                    widget=forms.TextInput(attrs=TEXT))
    notice_title = forms.CharField(label=_("通知标题"), max_length=120,
                                   widget=forms.TextInput(attrs=TEXT))
    notice_date = forms.DateField(label=_("发文日期"), widget=DATE_INPUT, error_messages={
        "invalid": _("请输入存在的日期（年-月-日）"), "required": _("请填写发文日期")})
    body = forms.CharField(label=_("通知正文（Markdown，条款用标题）"), required=False,
                           max_length=200_000,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 8}))


class DocumentTemplateForm(forms.Form):
    """The adjustable texts of one document (seasons.doctemplates): a placeholder the document
    does not fill, or a stray brace, is refused on its field with the placeholders allowed."""

    header = forms.CharField(label=_("文头"), max_length=120, required=False,
                             widget=forms.TextInput(attrs=TEXT))
    office_name = forms.CharField(label=_("发文单位（留空：按数据自动填写）"), max_length=120,
                                  required=False, widget=forms.TextInput(attrs=TEXT))
    title = forms.CharField(label=_("标题（留空：标准标题）"), max_length=200, required=False,
                            widget=forms.TextInput(attrs=TEXT))
    closing = forms.CharField(label=_("结尾文字"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    contact = forms.CharField(label=_("联系方式"), max_length=300, required=False,
                              widget=forms.TextInput(attrs=TEXT))
    columns = forms.MultipleChoiceField(label=_("可选列"), required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        optional = doctemplates.KINDS[kind].optional_columns
        columns = self.fields["columns"]
        assert isinstance(columns, forms.MultipleChoiceField)
        columns.choices = [(c, c) for c in optional]
        if not optional:
            del self.fields["columns"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in doctemplates.TEXT_FIELDS:
            try:
                doctemplates.check(self.kind, name, data.get(name, "") or "")
            except doctemplates.TemplateError as exc:
                self.add_error(name, str(exc))
        return data

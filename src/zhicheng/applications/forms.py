"""Forms: one per profile section, the application request, materials, commitment, submit.

Every form keeps what was typed when it is refused and says in Chinese what is wrong; rows are
validated by the policy engine's own pydantic models (`row_errors`)."""

from __future__ import annotations

import datetime as dt
import typing
from functools import cache
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import router
from django.db.models.query import MAX_GET_RESULTS
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from zhicheng.catalogue.models import Level, Series
from zhicheng.core import clock
from zhicheng.core.prepared import INT_MARKERS, Prepared, key_value, prepared
from zhicheng.documents.uploads import format_size, max_upload_bytes
from zhicheng.orgs.models import Organisation, OrgKind
from zhicheng.policy import Profile
from zhicheng.sanctions.checks import with_withdrawal_flag
from zhicheng.seasons.models import CommitteePlan, Season

from .models import MaterialKind, Route
from .operations import OperationError, check_plan_open
from .profiles import LABELS, pydantic_messages
from .queries import plans_for

if TYPE_CHECKING:  # typing only: django-stubs is a development dependency
    from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
CHECK = {"class": "form-check-input"}

REQUIRED = _("此项必填。")
ERRORS = {"required": REQUIRED, "invalid": _("格式不正确。"),
          "invalid_choice": _("请选择列表中的选项。")}


def _char(label: StrOrPromise, required: bool = False, **kw: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=kw.pop("max_length", 200),
        widget=kw.pop("widget", forms.TextInput(attrs=TEXT)), error_messages=ERRORS, **kw,
    )


def _date(label: StrOrPromise, required: bool = True, **kw: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DATE,
        error_messages={**ERRORS, "invalid": _("请输入有效日期（年-月-日）。")}, **kw,
    )


PICK = ("", _("（请选择）"))


def _choice(label: StrOrPromise, choices: list[tuple[str, StrOrPromise]], required: bool = True,
            **kw: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, required=required,
        widget=forms.Select(attrs=SELECT), error_messages=ERRORS, **kw,
    )


def _bool(label: StrOrPromise, **kw: Any) -> forms.BooleanField:
    return forms.BooleanField(
        label=label, required=False, widget=forms.CheckboxInput(attrs=CHECK), **kw
    )


def _labels(key: str) -> list[tuple[str, StrOrPromise]]:
    return list(LABELS[key].items())


def series_choices() -> list[tuple[str, str]]:
    return [(s.code, s.name) for s in Series.objects.order_by("position", "code")]


@cache
def row_model(section: str) -> type[BaseModel]:
    annotation = Profile.model_fields[section].annotation
    (item,) = typing.get_args(annotation)
    return typing.cast(type[BaseModel], item)


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SectionForm(VersionedForm):
    """A row of a list section. Subclasses name the Profile field in `section`."""

    section = ""
    meta_fields: tuple[str, ...] = ()

    def row(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name == "version" or name in self.meta_fields:
                continue
            if value in ("", None):
                continue
            if isinstance(value, dt.date):
                value = value.isoformat()
            out[name] = value
        return out

    def meta(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.meta_fields:
            value = self.cleaned_data.get(name)
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
        return out

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            row_model(self.section).model_validate(self.row())
        except PydanticError as exc:
            for loc, message in pydantic_messages(exc):
                field = str(loc[0]) if loc else None
                self.add_error(field if field in self.fields else None, message)
        return cleaned

    @classmethod
    def initial_from(cls, row: dict[str, Any], meta: dict[str, Any], version: int) -> dict:
        return {**row, **{k: meta.get(k) for k in cls.meta_fields}, "version": version}


class EducationForm(SectionForm):
    section = "education"
    meta_fields = ("verified_online", "report_date")
    level = _choice(_("学历"), _labels("level"))
    kind = _choice(_("学习形式"), [
        ("full_time", _("全日制")), ("part_time", _("非全日制")),
        ("military_academy", _("部队院校")),
        ("party_school", _("党校")), ("technical_school", _("技工院校")),
        ("training_certificate", _("培训班结业证书")),
    ])
    completed = _bool(_("已取得毕业证书或学位（未取得请取消勾选）"), initial=True)
    date = _date(_("毕业（取得）日期"))
    school = _char(_("毕业院校"))
    major = _char(_("所学专业"))
    degree = _char(_("学位（如工学学士，无则不填）"))
    major_matches_work = _bool(_("所学专业与从事专业一致"), initial=True)
    verified_online = _bool(
        _("已通过学信网在线核验（提供3个月内的学信网证明，可免交原件，五（五））"))
    report_date = _date(_("学信网证明日期"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("verified_online"):
            report = cleaned.get("report_date")
            if report is None:
                self.add_error("report_date", _("勾选在线核验时请填写学信网证明日期。"))
            elif (clock.today() - report).days > 92 or report > clock.today():
                self.add_error(
                    "report_date", _("学信网证明须为3个月内出具（五（五）），请重新下载证明。")
                )
        return cleaned


class TitleForm(SectionForm):
    section = "titles"
    series = _choice(_("系列"), [])
    specialty = _char(_("专业"))
    level = _choice(_("层级"), _labels("title_level"))
    name = _char(_("职称名称"), required=True, max_length=60)
    date = _date(_("取得资格时间"))
    kind = _choice(_("证书类型"), [
        ("national", _("国家系列职称")), ("local", _("地方职称")), ("out_of_town", _("外地职称")),
    ])
    obtained_via = _choice(_("取得方式"), [
        ("evaluation", _("评审")), ("exam", _("考试")), ("initial_determination", _("初定")),
        ("same_level_transfer", _("同级转评")), ("assessment_recognition", _("考核认定")),
        ("direct", _("直接认定")),
    ])
    issuer = _char(_("发证机关"))
    certificate_number = _char(_("证书编号"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        typing.cast(forms.ChoiceField, self.fields["series"]).choices = series_choices()


class WorkForm(SectionForm):
    section = "work_history"
    start = _date(_("开始日期"))
    end = _date(_("结束日期（至今可不填）"), required=False)
    employer = _char(_("工作单位"), required=True)
    position = _char(_("岗位或职务"))
    duties = _char(_("从事专业技术工作内容"), max_length=200)
    professional = _bool(_("从事专业技术工作"), initial=True)


class AssessmentForm(SectionForm):
    section = "annual_assessments"
    year = forms.IntegerField(label=_("年度"), min_value=1950, max_value=2100,
                              widget=forms.NumberInput(attrs=TEXT), error_messages=ERRORS)
    # No preselected grade: 优秀 as a default would be a claim nobody made.
    grade = _choice(_("考核结果"), [PICK, *_labels("grade")])
    unit = _char(_("考核单位"))


class SanctionForm(SectionForm):
    section = "sanctions"
    kind = _choice(_("处分类型"), [
        ("party_discipline", _("党纪处分")), ("government", _("政务处分")),
        ("administrative", _("行政处分")), ("other", _("其他处理")),
    ])
    name = _char(_("处分名称（如警告、记过）"))
    decided_on = _date(_("处分决定日期"))
    impact_until = _date(_("影响期截止日期"), required=False)


class ExamForm(SectionForm):
    section = "exams"
    subject = _char(_("考试名称"), required=True)
    series = _choice(_("系列"), [])
    level = _choice(_("层级"), _labels("title_level"))
    passed_on = _date(_("合格日期"))
    valid_until = _date(_("有效期至"), required=False)
    certificate_number = _char(_("证书（成绩单）编号"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        typing.cast(forms.ChoiceField, self.fields["series"]).choices = series_choices()


class ContinuingEducationForm(SectionForm):
    section = "continuing_education"
    year = forms.IntegerField(label=_("年度"), min_value=1950, max_value=2100,
                              widget=forms.NumberInput(attrs=TEXT), error_messages=ERRORS)
    public_hours = forms.FloatField(label=_("公需科目学时"), min_value=0, max_value=2000,
                                    widget=forms.NumberInput(attrs=TEXT), error_messages=ERRORS)
    professional_hours = forms.FloatField(
        label=_("专业科目学时"), min_value=0, max_value=2000,
        widget=forms.NumberInput(attrs=TEXT), error_messages=ERRORS,
    )
    public_certificate = _bool(_("已打印《继续教育公需科目培训考核合格证明》（二（九））"))


class AchievementForm(SectionForm):
    section = "achievements"
    title = _char(_("名称"), required=True)
    kind = _choice(_("类别"), _labels("achievement"))
    date = _date(_("取得（发表）日期"))
    source = _char(_("刊物、出版社、项目来源或授予单位"))
    role = _char(_("本人排名或角色（如第1作者、主持）"), max_length=60)
    representative = _bool(_("代表作（五（一））"))
    used_in_passed_evaluation = _bool(_("往年评审通过时已使用过（不能再次使用，二（二））"))

    def row(self) -> dict[str, Any]:
        # The id is the fact's stable uid, set by the operation.
        return {**super().row(), "id": "pending"}


SECTION_FORMS: dict[str, type[SectionForm]] = {
    f.section: f
    for f in (
        EducationForm, TitleForm, WorkForm, AssessmentForm, SanctionForm, ExamForm,
        ContinuingEducationForm, AchievementForm,
    )
}


class EmploymentForm(VersionedForm):
    employer = forms.ModelChoiceField(
        label=_("工作单位"), queryset=Organisation.objects.none(), required=False,
        widget=forms.Select(attrs=SELECT), empty_label=_("（请选择）"),
        error_messages={**ERRORS, "invalid_choice": _("请从列表中选择用人单位。")},
        help_text=_("单位不在列表中的，请联系单位人事部门到市职称办登记。"),
    )
    freelancer = _bool(_("自由职业（由市人才服务中心审核上报，四）"))
    # No preselected answer: 已签订 as a default would be a claim nobody made.
    contract = forms.TypedChoiceField(
        label=_("已与用人单位签订劳动（聘用）合同（一（一））"),
        choices=[PICK, ("yes", _("已签订")), ("no", _("未签订"))],
        coerce=lambda value: value == "yes", empty_value=None, required=False,
        widget=forms.Select(attrs=SELECT), error_messages=ERRORS,
    )
    professional_work = _bool(_("目前从事专业技术工作"), initial=True)
    city = _char(_("就业城市"), required=True)  # initial: the current season's city (the view)
    residence = _choice(_("户籍（国籍）类别"), [
        ("mainland", _("内地（大陆）")), ("hong_kong", _("香港")), ("macau", _("澳门")),
        ("taiwan", _("台湾")), ("foreign", _("外籍")),
    ])
    permit = _choice(_("外籍人员证件"), [
        ("none", _("无（非外籍）")), ("foreigner_work_permit", _("外国人来华工作许可证")),
        ("foreigner_permanent_residence", _("外国人永久居留身份证")),
        ("jiangsu_overseas_talent_residence", _("江苏省海外高层次人才居住证")),
    ])
    social_insurance_verified = _bool(_("社保信息可通过平台在线查验（免交社保证明，五（五））"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = typing.cast(forms.ModelChoiceField, self.fields["employer"])
        field.queryset = Organisation.objects.filter(kind=OrgKind.EMPLOYER).order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("freelancer") and cleaned.get("employer"):
            self.add_error("employer", _("自由职业者不选择工作单位；请二选一。"))
        if not cleaned.get("freelancer") and not cleaned.get("employer") and not self.errors:
            self.add_error("employer", _("请选择工作单位，或勾选自由职业。"))
        if not cleaned.get("freelancer") and cleaned.get("contract") is None:
            self.add_error("contract", _("请选择是否已与用人单位签订劳动（聘用）合同。"))
        if cleaned.get("residence") == "foreign" and cleaned.get("permit") == "none":
            self.add_error("permit", _("外籍人员须持有外国人来华工作许可证、永久居留身份证或"
                                       "江苏省海外高层次人才居住证（一（二））。"))
        return cleaned


def plan_label(plan: CommitteePlan, today: dt.date) -> str:
    state = _("受理中") if plan.is_open_on(today) else _("未在受理期")
    office = plan.office_name or _("办事机构未注明")
    window = plan.acceptance_text or _("受理时间未公布")
    return f"{plan.row}. {plan.specialty}（{office}，{window}，{state}）"


def _plan_to_decide() -> Prepared:
    """What `PlanChoiceField.to_python` reads of a season's plan (`plans_for(season)` as it
    narrows it), compiled once (core.prepared): every live pre-check validates a plan."""
    return prepared(
        ("applications.forms.plan_to_decide",),
        lambda season_id, pk: with_withdrawal_flag(
            CommitteePlan.objects.filter(season_id=season_id)
            .select_related("season", "season__published_version")
            .defer("season__published_version__data")
        ).filter(pk=pk).order_by()[:MAX_GET_RESULTS],
        router.db_for_read(CommitteePlan), markers=INT_MARKERS[:2],
    )


class PlanChoiceField(forms.ModelChoiceField):
    # The season whose plans are the choices (ApplicationForm), or None: the queryset's.
    season_id: int | None = None

    def label_from_instance(self, obj: Any) -> str:
        return plan_label(obj, clock.today())

    def to_python(self, value: Any) -> Any:
        """The chosen plan with what validating it and deciding under it read: its season
        (the window, 附件) and the hash of the season's published version (the rules), and
        whether a withdrawal in force closed it (五（三）); not the office and the series the
        choices show (`plan.series` still reads them on use). One query instead of four."""
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        if isinstance(value, CommitteePlan):
            value = value.pk
        season_id = getattr(self, "season_id", None)
        if season_id is not None:  # the season's plans (ApplicationForm): compiled once
            pk = key_value(CommitteePlan, value)
            found = _plan_to_decide().instances(season_id, pk) if pk is not None else []
            if found:
                return found[0]
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice",
                params={"value": value},
            )
        plans = self.queryset
        assert plans is not None  # set in ApplicationForm.__init__
        try:
            return with_withdrawal_flag(
                plans.select_related(None)
                .select_related("season", "season__published_version")
                .defer("season__published_version__data")
                .prefetch_related(None)
            ).get(pk=value)
        except (ValueError, TypeError, CommitteePlan.DoesNotExist, forms.ValidationError):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice",
                params={"value": value},
            ) from None


class SeriesChoiceField(forms.ModelChoiceField):
    """A series by its code, among all series (ApplicationForm's choices)."""

    def to_python(self, value: Any) -> Any:
        """The ModelChoiceField's lookup, compiled once (core.prepared): every live pre-check
        validates the series."""
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        if isinstance(value, Series):
            value = value.code
        found = prepared(
            ("applications.forms.series",),
            lambda code: Series.objects.filter(code=code).order_by()[:MAX_GET_RESULTS],
            router.db_for_read(Series), markers=("\x00series-code",),
        ).instances(str(value))
        if len(found) == 1:
            return found[0]
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value},
        )


class ApplicationForm(forms.Form):
    plan = PlanChoiceField(
        label=_("评委会（评审计划表）"), queryset=CommitteePlan.objects.none(),
        widget=forms.Select(attrs=SELECT), empty_label=_("（请选择受理中的评委会）"),
        error_messages={**ERRORS, "invalid_choice": _("请选择评审计划表中的评委会。")},
    )
    series = SeriesChoiceField(
        label=_("系列"), queryset=Series.objects.none(), to_field_name="code",
        widget=forms.Select(attrs=SELECT), empty_label=_("（请选择）"), error_messages=ERRORS,
    )
    specialty = _char(_("专业"), required=True, max_length=120,
                      widget=forms.TextInput(attrs={**TEXT, "list": "specialties"}))
    # No preselected level: 员级 as a default made the first decision read 不符合.
    level = _choice(_("申报层级"), [PICK, *((str(v), str(label)) for v, label in Level.choices)])
    route = _choice(_("申报途径"), [(str(v), str(label)) for v, label in Route.choices])
    explanation = forms.CharField(
        label=_("情况说明（对“需人工审核”的事项逐项说明）"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, season: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        plans = plans_for(season) if season is not None else CommitteePlan.objects.none()
        plan_field = typing.cast(PlanChoiceField, self.fields["plan"])
        plan_field.queryset = plans
        if season is not None:
            plan_field.season_id = season.pk if isinstance(season, Season) else int(season)
        typing.cast(forms.ModelChoiceField, self.fields["series"]).queryset = (
            Series.objects.order_by("position", "code")
        )

    def clean_plan(self) -> CommitteePlan:
        plan: CommitteePlan = self.cleaned_data["plan"]

        try:
            check_plan_open(plan)
        except OperationError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return plan


class MaterialForm(forms.Form):
    file = forms.FileField(
        label=_("文件（PDF、JPEG或PNG）"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".pdf,.jpg,.jpeg,.png"}
        ),
        error_messages={"required": _("请选择要上传的文件。"), "empty": _("文件是空的。")},
    )
    kind = _choice(_("材料类别"), [(str(v), str(label)) for v, label in MaterialKind.choices])
    title = _char(_("材料名称"), required=True)
    document_date = _date(_("材料日期（证书、论文等的取得或发表日期）"))
    is_representative = _bool(_("代表作（五（一））"))
    proves = _choice(_("证明的资料条目"), [], required=False)

    def __init__(self, *args: Any, fact_choices: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        typing.cast(forms.ChoiceField, self.fields["proves"]).choices = fact_choices or [
            ("", _("（不对应具体条目）"))
        ]
        self.fields["file"].help_text = str(
            _("按文件内容识别类型；每个文件不超过 %(size)s。")
        ) % {"size": format_size(max_upload_bytes())}


class CommitmentForm(forms.Form):
    accept = forms.BooleanField(
        label=_("本人已完整阅读上述承诺书，承诺所填信息和所交材料真实可靠"),
        widget=forms.CheckboxInput(attrs=CHECK),
        error_messages={"required": _("请勾选同意承诺书后再签署。")},
    )


class SubmitForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    explanation = forms.CharField(
        label=_("情况说明"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )

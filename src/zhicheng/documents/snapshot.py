"""The shape of the application snapshot that the printable form is rendered from.

The applications app freezes a snapshot at submission and builds this dict from it (see
docs/documents.md and `zhicheng.documents.sample.SAMPLE_SNAPSHOT`). Values are what is
printed: Chinese labels, not codes (``"优秀"``, not ``"excellent"``). Dates are ISO strings
(``"2008-09-01"`` or ``"2008-09"``) or `datetime.date`; the form prints them as ``2008.09``.
Every key below is required unless marked ``NotRequired``; lists may be empty (the form prints
“无”). `validate_snapshot` refuses missing and unknown keys, so a typo is an error, not a
silently blank box.
"""

# No `from __future__ import annotations` here: TypedDict must see NotRequired at runtime
# (validate_snapshot reads __required_keys__).
import datetime as dt
from typing import Any, NotRequired, TypedDict, get_args, get_origin, get_type_hints

DateLike = str | dt.date | None


class ApplicantData(TypedDict):
    name: str
    gender: str  # 男 / 女
    birth_date: DateLike  # printed as 出生年月 (year.month)
    id_type: str  # 居民身份证 / 港澳居民来往内地通行证 / 护照 …
    id_masked: str  # masked number, e.g. 320703********1234
    # The full number, printed instead of id_masked: only for the applicant and the offices
    # that handle the dossier, who stamp the form (docs/documents.md).
    id_number: NotRequired[str]
    unit: str  # 工作单位 (full name)
    phone: NotRequired[str]  # printed as given


class RequestData(TypedDict):
    series: str  # 申报系列, e.g. 工程系列
    specialty: str  # 申报专业
    level: str  # 申报层级, e.g. 中级
    title_name: str  # 申报职称名称, e.g. 工程师
    route: str  # 申报途径, e.g. 正常申报 / 转评 / 初定 / 破格
    current_title: str  # 现职称 (“无” if none)
    current_title_date: DateLike  # 现职称取得时间
    years_in_profession: str | int | float  # 从事专业技术工作年限 (years)


class EducationRow(TypedDict):
    start: DateLike
    end: DateLike
    school: str
    major: str
    education: str  # 学历: 本科 / 硕士研究生 …
    degree: str  # 学位: 工学学士 … (“” if none)
    mode: str  # 学习形式: 全日制 / 非全日制
    verified_online: NotRequired[bool]  # 学信网在线核验 (五（五）)


class TitleRow(TypedDict):
    name: str  # 职称或资格名称
    specialty: str
    level: str
    date: DateLike  # 取得时间
    obtained_via: str  # 评审 / 考试 / 认定 / 初定 / 转评
    issuer: str  # 审批或发证机关
    certificate_number: str


class WorkRow(TypedDict):
    start: DateLike
    end: DateLike  # None or "" = 至今
    employer: str
    position: str  # 岗位或职务
    duties: str  # 从事专业技术工作内容 (long text wraps)


class AssessmentRow(TypedDict):
    year: int | str
    grade: str  # 优秀 / 合格 / 基本合格 / 不合格 / 不定等次
    unit: NotRequired[str]  # 考核单位
    note: NotRequired[str]


class ContinuingEducationRow(TypedDict):
    year: int | str
    public_hours: float | int | str  # 公需科目学时
    professional_hours: float | int | str  # 专业科目学时
    public_certificate: NotRequired[bool]  # 公需科目考核合格证明
    note: NotRequired[str]


class AchievementRow(TypedDict):
    kind: str  # 论文 / 著作 / 项目 / 专利 / 获奖 / 报告 / 其他
    title: str
    date: DateLike
    source: str  # 刊物、出版社、项目来源或授予单位
    role: str  # 本人排名或角色, e.g. 第1作者 / 主持
    representative: bool  # 代表作
    level: NotRequired[str]  # 级别, e.g. 省级


class MaterialRow(TypedDict):
    title: str  # 材料名称
    category: str  # 学历证明 / 职称证书 / 业绩成果 …
    date: DateLike  # the material's date (the cut-off rule applies to it)
    kind: str  # PDF / JPEG / PNG (from CheckedUpload.kind.label or .value)
    size: int  # bytes
    sha256: str  # 64 hex digits, as recorded at upload
    pages: NotRequired[int | None]


class CommitmentData(TypedDict):
    text: str  # the 承诺书 text as shown (paragraphs separated by blank lines)
    accepted_at: str | dt.datetime | None  # None: not yet accepted (draft)
    accepted_ip: NotRequired[str]


class ApplicationSnapshot(TypedDict):
    application_no: str  # 申报编号
    season: str  # e.g. 2024年度
    committee: str  # 评委会 name
    plan: str  # 评审计划 as printed, e.g. “计划第5行 · 工程系列中级…”
    submitted_at: str | dt.datetime | None  # None = draft (a 草稿 watermark is printed)
    applicant: ApplicantData
    request: RequestData
    education: list[EducationRow]
    titles: list[TitleRow]
    work: list[WorkRow]
    assessments: list[AssessmentRow]
    continuing_education: list[ContinuingEducationRow]
    achievements: list[AchievementRow]
    materials: list[MaterialRow]
    commitment: CommitmentData
    snapshot_sha256: NotRequired[str]  # printed in the footer when given


class SnapshotError(ValueError):
    """The snapshot dict does not have the documented shape (a programming error)."""


def _typed_dict_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and hasattr(annotation, "__required_keys__"):
        return annotation
    return None


def _check(value: Any, schema: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{path or '快照'} 应为字典（dict）")
        return
    hints = get_type_hints(schema)
    required: frozenset[str] = schema.__required_keys__
    for key in sorted(required - value.keys()):
        problems.append(f"缺少 {path}{key}")
    for key in sorted(value.keys() - hints.keys()):
        problems.append(f"未知字段 {path}{key}")
    for key, annotation in hints.items():
        if key not in value:
            continue
        nested = _typed_dict_of(annotation)
        if nested is not None:
            _check(value[key], nested, f"{path}{key}.", problems)
        elif get_origin(annotation) is list:
            (item_type,) = get_args(annotation)
            rows = value[key]
            if not isinstance(rows, list | tuple):
                problems.append(f"{path}{key} 应为列表（list）")
                continue
            for index, row in enumerate(rows):
                _check(row, item_type, f"{path}{key}[{index}].", problems)


def validate_snapshot(snapshot: Any) -> None:
    """Raise `SnapshotError` listing every missing or unknown key (paths like ``work[2].end``)."""
    problems: list[str] = []
    _check(snapshot, ApplicationSnapshot, "", problems)
    if not problems:
        masked = str(snapshot["applicant"]["id_masked"])
        if len(masked) >= 6 and "*" not in masked:
            problems.append(
                "applicant.id_masked 必须是脱敏后的证件号码（含 *）；完整号码放在 id_number")
    if problems:
        raise SnapshotError("申报快照格式不符：" + "；".join(problems[:20]))

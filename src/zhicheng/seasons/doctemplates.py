"""The adjustable parts of the office documents (docs/documents.md §Document templates): per
kind of document the texts the city office may change without code, their placeholders, the
optional columns and the defaults. Plain data and checks; the stored rows are
`seasons.models.DocumentTemplate`, read through `seasons.queries.document_template`."""

from __future__ import annotations

import string
from dataclasses import dataclass, field, replace
from typing import Any


class TemplateError(ValueError):
    """A text with a placeholder the document does not know, or a stray brace (Chinese)."""


@dataclass(frozen=True)
class Template:
    kind: str
    header: str = ""          # the heading line (红头), e.g. "{市职称办}文件"
    office_name: str = ""     # issuing office at the bottom; blank: the office of the data
    title: str = ""           # blank: the standard title of the document
    closing: str = ""         # paragraph after the table
    contact: str = ""         # contact line
    columns: tuple[str, ...] = ()   # the optional columns shown

    def fill(self, text: str, values: dict[str, Any]) -> str:
        """`text` with its placeholders replaced by `values` (checked on save)."""
        return text.format_map({k: values.get(k, "") for k in names(text)}) if text else ""

    def shows(self, column: str) -> bool:
        return column in self.columns


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    placeholders: tuple[str, ...]
    optional_columns: tuple[str, ...]
    default: Template = field(compare=False)


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("publicity_notice", "公示通知", ("年度", "评委会", "公示单位", "人数"),
         ("申报层级", "性别"),
         Template("publicity_notice", columns=("申报层级",))),
    Kind("result_document", "评审结果文件", ("年度", "评委会", "市职称办", "文号", "人数"),
         ("性别", "专业"),
         Template("result_document", header="{市职称办}文件",
                  title="关于{评委会}{年度}年度职称评审结果的通知",
                  closing="请各单位按照有关规定做好聘用工作。", columns=("性别", "专业"))),
    Kind("opening_report", "开评报告", ("年度", "评委会", "办事机构"), (),
         Template("opening_report", title="{评委会}评审会议开评报告")),
    Kind("roster", "评审对象花名册", ("年度", "评委会", "办事机构", "人数"),
         ("性别", "系列", "申报职称名称"),
         Template("roster", title="{评委会}{年度}年度评审对象花名册",
                  columns=("性别", "系列", "申报职称名称"))),
)}
TEXT_FIELDS = ("header", "office_name", "title", "closing", "contact")
FIELD_LABELS = {"header": "文头", "office_name": "发文单位", "title": "标题",
                "closing": "结尾文字", "contact": "联系方式", "columns": "可选列"}


def names(text: str) -> list[str]:
    """The placeholder names of `text`; raises TemplateError on a stray brace."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateError(
            "花括号不成对：占位符写作{年度}这样，文字中的花括号请写成{{和}}。") from exc
    return [name for _lit, name, _spec, _conv in parsed if name is not None]


def check(kind: str, field_name: str, text: str) -> None:
    """Refuse a text that names a placeholder the document does not fill, or that has a stray
    brace, with a message naming the field and the placeholders it may use."""
    allowed = KINDS[kind].placeholders
    label = FIELD_LABELS[field_name]
    try:
        found = names(text)
    except TemplateError as exc:
        raise TemplateError(f"{label}：{exc}") from None
    for name in found:
        if name not in allowed:
            shown = "、".join(f"{{{a}}}" for a in allowed)
            what = f"{{{name}}}" if name else "{}"
            raise TemplateError(f"{label}：没有占位符{what}。可用的占位符：{shown}。")


def from_row(kind: str, row: Any | None) -> Template:
    """The template of `kind`: the stored row's values, or the default."""
    default = KINDS[kind].default
    if row is None:
        return default
    return replace(default, **{f: getattr(row, f) for f in TEXT_FIELDS},
                   columns=tuple(c for c in (row.columns or [])
                                 if c in KINDS[kind].optional_columns))


# The table of each document, in order; an optional column is printed only when chosen.
COLUMNS: dict[str, tuple[str, ...]] = {
    "publicity_notice": ("序号", "姓名", "性别", "工作单位", "申报专业", "申报层级"),
    "result_document": ("序号", "姓名", "性别", "工作单位", "专业", "资格名称"),
    "opening_report": (),
    "roster": ("序号", "姓名", "性别", "工作单位", "系列", "专业", "申报层级", "申报职称名称"),
}
WIDTHS = {"序号": 0.6, "姓名": 1.2, "性别": 0.6, "工作单位": 2.8, "申报专业": 2.2, "专业": 1.6,
          "申报层级": 1.0, "系列": 1.4, "资格名称": 1.8, "申报职称名称": 1.6}


def table(template: Template, rows: list[dict[str, str]]) -> tuple[list[str], list[float],
                                                                   list[list[str]]]:
    """(columns, widths, rows) of the document: its fixed columns and the chosen optional
    ones, each row a dict by column name."""
    optional = KINDS[template.kind].optional_columns
    columns = [c for c in COLUMNS[template.kind]
               if c not in optional or template.shows(c)]
    return (columns, [WIDTHS.get(c, 1.0) for c in columns],
            [[str(r.get(c, "")) for c in columns] for r in rows])


SAMPLE_VALUES = {"评委会": "连云港市工程技术中级评委会（示例）", "办事机构": "市工信局（示例）",
                 "公示单位": "连云港某某有限公司（示例）", "人数": "2"}
SAMPLE_ROWS = [
    {"序号": "1", "姓名": "张示例", "性别": "男", "工作单位": "连云港某某有限公司",
     "申报专业": "工程系列 · 质量工程", "专业": "质量工程", "申报层级": "中级", "系列": "工程系列",
     "资格名称": "工程师", "申报职称名称": "工程师"},
    {"序号": "2", "姓名": "李示例", "性别": "女", "工作单位": "连云港某某研究院",
     "申报专业": "工程系列 · 机械工程", "专业": "机械工程", "申报层级": "中级", "系列": "工程系列",
     "资格名称": "工程师", "申报职称名称": "工程师"},
]

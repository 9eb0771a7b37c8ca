"""What every figure of the supervision pages counts, written once.

Each page shows the definitions of its figures next to them (`data-figure` on the figure,
`data-definition` on its definition), each workbook carries them on a sheet 口径说明, and
docs/supervision.md §Definitions lists them word for word (a test compares the three).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Definition:
    key: str
    label: Any
    text: Any


_ALL: tuple[Definition, ...] = (
    Definition("applications", _("申报数"), _(
        "本年度已提交的申报，不含草稿和申报人撤回的；不论现在处于哪个环节都计入，"
        "不予受理、放弃和已撤销的也计入。取自申报记录，按页面所示业务日期当天的状态统计。")),
    Definition("stages", _("各环节人数"), _(
        "按申报当前状态分组的人数，含初定和考核认定的申报；“通过”一栏含评审通过、结果公示中、"
        "已核准备案、已发证四种状态，所以可能多于计入通过率的“通过人数”。")),
    Definition("states", _("各状态申报数"), _(
        "该评审计划的申报按当前状态逐一计数，不含草稿和申报人撤回的；各状态之和等于总览中"
        "该评委会的申报数。")),
    Definition("passed", _("通过人数"), _(
        "当前状态为评审通过、结果公示中、已核准备案或已发证的申报：评委会表决通过且未因通过率"
        "上限而未通过的，以及报省评审后省评委会通过的；结果公示中的仍可能因异议而改变。"
        "不含初定和考核认定（不经表决）；已撤销的不计入。")),
    Definition("failed", _("未通过人数"), _(
        "当前状态为评审未通过的申报：表决同意票未达到三分之二的，表决通过但因通过率上限"
        "未通过的，以及省评委会未通过的。不含初定和考核认定。")),
    Definition("pass_rate", _("通过率"), _(
        "通过人数÷（通过人数＋未通过人数），以百分比表示，保留一位小数；尚在审核或评审中的、"
        "初定和考核认定的、已撤销的都不在分母中。")),
    Definition("open_windows", _("受理窗口开放的评委会"), _(
        "业务日期所在月份属于评审计划表“申报材料受理时间”的评委会（专业）数。")),
    Definition("reports_awaiting", _("开评报告待审批"), _(
        "开评报告已报送、等待市职称办审批的评审会议数；一个评委会负责几个评审计划时，"
        "每次会议只计一次。")),
    Definition("corrections_overdue", _("补正逾期"), _(
        "一次性补正通知尚未办结、补正期限早于业务日期的申报数。")),
    Definition("publicity_overdue", _("单位公示期满未推荐"), _(
        "仍处于单位公示中、单位公示最后一天早于业务日期的申报数：公示已结束，单位尚未推荐。")),
    Definition("reviews_overdue", _("审核超期"), _(
        "处于已提交、单位审核中、初审中或评委会复核中的申报，自最后一个审核环节（没有则自提交）"
        "起按工作日历超过规定的工作日数仍未处理的；工作日数是系统参数，可按年度调整，"
        "页面上写明了本年度的数值。")),
    Definition("data_overdue", _("评审数据逾期未报"), _(
        "评审结果公布后，报送期限已过仍未报送评审数据的评审会议数，每次会议计一次。")),
    Definition("data_late", _("评审数据迟报"), _(
        "报送日期晚于报送期限的评审会议数，每次会议计一次。")),
    Definition("district", _("县区"), _(
        "用人单位所在的县区；自由职业者单列；用人单位未登记县区的计入“未注明”。")),
    Definition("unit_type", _("单位性质"), _(
        "用人单位登记的单位性质；自由职业者单列；未登记的计入“未注明”。")),
    Definition("sex", _("性别"), _(
        "申报人实名认证证件上的性别；没有实名认证的计入“未登记”。")),
    Definition("age", _("年龄段"), _(
        "按申报人实名认证证件上的出生日期，计算到评审年度的12月31日的周岁；"
        "没有实名认证的计入“未登记”。")),
    Definition("yoy", _("同比"), _(
        "本年度申报数比上一评审年度申报数增减的百分比：（本年度申报数－上年度申报数）÷"
        "上年度申报数。只比较申报数；两年的通过率分列，不相减。")),
    Definition("report_roster", _("参评人数（报送）"), _(
        "评委会办事机构已报送的评审数据中，该次会议的评审对象人数，以报送时为准。")),
    Definition("report_passed", _("通过人数（报送）"), _(
        "已报送的评审数据中通过的人数（表决通过且未因通过率上限未通过），以报送时为准："
        "其后撤销的仍计入，尚未报送的会议不计入；报省评审的申报不在市评委会的报送数据中。"
        "因此可能与上方各表的通过人数不同。")),
    Definition("report_failed", _("未通过人数（报送）"), _(
        "已报送的评审数据中未通过的人数，含表决通过但因通过率上限未通过的。")),
    Definition("report_held_back", _("因通过率未通过"), _(
        "表决通过、但评委会办事机构按通过率上限决定不予通过的人数（已报送的数据）。")),
    Definition("report_rate", _("通过率（报送）"), _(
        "通过人数（报送）÷参评人数（报送），保留一位小数。")),
    Definition("report_experts", _("出席/抽取评委"), _(
        "已报送的评审数据中出席会议的评委人数和抽取的评委人数（不含备选）。")),
    Definition("not_reported", _("未报送"), _(
        "评审结果已公布、评审数据尚未报送的会议：其数字未知，显示“未报送”，不计入合计。")),
)

DEFINITIONS: dict[str, Definition] = {d.key: d for d in _ALL}

# What each page shows, section by section (the keys of its figures).
DASHBOARD_SUMMARY = ("applications", "open_windows", "pass_rate", "reports_awaiting",
                     "corrections_overdue", "publicity_overdue", "reviews_overdue",
                     "data_overdue", "data_late")
DASHBOARD_TABLE = ("applications", "stages", "pass_rate", "corrections_overdue",
                   "publicity_overdue", "reviews_overdue")
STATISTICS_TABLE = ("applications", "passed", "failed", "pass_rate", "yoy")
DATA_REPORT = ("report_roster", "report_passed", "report_failed", "report_rate",
               "report_held_back", "report_experts", "not_reported")
PLAN = ("states", "corrections_overdue", "publicity_overdue")
DIMENSION = {"district": "district", "unit_type": "unit_type", "sex": "sex", "age": "age"}


def pick(*keys: str) -> list[Definition]:
    return [DEFINITIONS[k] for k in keys]


def table_keys(dimension: str) -> tuple[str, ...]:
    extra = (DIMENSION[dimension],) if dimension in DIMENSION else ()
    return extra + STATISTICS_TABLE


def rows() -> list[tuple[str, str]]:
    """(label, text) of every definition, for a workbook's 口径说明 sheet."""
    return [(str(d.label), str(d.text)) for d in _ALL]

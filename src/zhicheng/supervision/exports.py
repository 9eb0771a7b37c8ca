"""Excel exports of the dashboard and of every statistics table: openpyxl in write-only
mode (constant memory), streamed; Chinese file names in an RFC 5987 Content-Disposition."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook

from zhicheng.core.xlsx import stream_workbook

from . import definitions
from .queries import SHOWN_STATES, CityReport, Dashboard, StatRow, StatTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


def _cell(value: Any) -> Any:
    if isinstance(value, bool):  # a person reads 是/否, not True/False
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return float(value)
    return value


def xlsx_chunks(sheets: Sequence[Sheet], chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    wb = Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        ws.append(list(sheet.header))
        for row in sheet.rows:
            ws.append([_cell(v) for v in row])
    return stream_workbook(wb, chunk_size)


def definitions_sheet() -> Sheet:
    """What every figure counts (supervision/definitions.py), in every workbook."""
    return Sheet("口径说明", ["指标", "口径"], definitions.rows())


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> StreamingHttpResponse:
    """The workbook of `sheets` and, last, the sheet 口径说明."""
    response = StreamingHttpResponse(xlsx_chunks([*sheets, definitions_sheet()]),
                                     content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- the dashboard --------------------------------------------------------------------------

_REPORT_STATUS = {"": "", "waiting": "待报送", "sent": "已报送", "late": "逾期报送",
                  "overdue": "逾期未报送"}


def dashboard_header(review_overdue_workdays: int | None) -> list[str]:
    """The columns of 评审监督总览 (docs/exports.md)."""
    return [
        "序号", "评委会（专业）", "评委会办事机构", "申报材料受理时间", "受理窗口",
        # One column per state, headed 状态：… so that the state 评审通过 and the figure
        # 通过人数 (four states, without 初定/考核认定) never share a header.
        *[f"状态：{s.label}" for s in SHOWN_STATES],
        "申报数", "通过人数", "未通过人数", "通过率（%）",
        "补正逾期", "单位公示期满未推荐", f"审核超过{review_overdue_workdays}个工作日",
        "开评报告待审批", "评审会议（日期 状态）", "评审数据逾期未报送", "评审数据逾期报送",
    ]


def dashboard_sheet(board: Dashboard) -> Sheet:
    header = dashboard_header(board.review_overdue_workdays)

    def rows() -> Iterator[list[Any]]:
        for r in board.rows:
            yield [
                r.plan.row, r.plan.specialty, r.plan.office.name if r.plan.office
                else r.plan.office_name, r.plan.acceptance_text,
                "开放" if r.window_open else "关闭",
                *[r.counts.get(s.value, 0) for s in SHOWN_STATES],
                r.total, r.passed, r.failed, r.pass_rate,
                r.corrections_overdue, r.publicity_overdue, r.reviews_overdue,
                r.reports_awaiting,
                "；".join(f"{m.meeting.date:%Y-%m-%d} {m.meeting.get_state_display()}"
                         for m in r.meetings),
                r.data_overdue, r.data_late,
            ]

    return Sheet("评审监督总览", header, rows())


# --- statistics -----------------------------------------------------------------------------


def stat_header(dimension: str, season_name: str, previous_name: str = "") -> list[str]:
    """The columns of a statistics table (docs/exports.md); the last three with a previous
    season to compare with."""
    header = [dimension, f"{season_name}申报数", "通过人数", "未通过人数", "通过率（%）"]
    if previous_name:
        header += [f"{previous_name}申报数", "申报数同比（%）", f"{previous_name}通过率（%）"]
    return header


def stat_sheet(table: StatTable, season_name: str, previous_name: str = "") -> Sheet:
    header = stat_header(str(table.dimension.label), season_name,
                         previous_name if table.has_previous else "")

    def rows() -> Iterator[list[Any]]:
        for r in [*table.rows, table.total]:
            row: list[Any] = [r.label, r.total, r.passed, r.failed, r.pass_rate]
            if table.has_previous:
                row += [r.previous_total, r.change, r.previous_pass_rate]
            yield row

    return Sheet(str(table.dimension.title), header, rows())


NOT_REPORTED = "未报送"


def data_report_sheets(report: CityReport) -> list[Sheet]:
    """Each meeting's report (未报送 where the figures are not known yet, never zeros), the
    total of the reports sent, and the same by series and by level with their totals."""

    def meeting_rows() -> Iterator[list[Any]]:
        for r in report.rows:
            info = r.info
            sent = bool(info.report and info.report.sent_on)
            figures: list[Any] = (
                [r.roster, r.passed, r.not_passed, r.pass_rate, r.held_back, r.experts_drawn,
                 r.experts_present] if sent else [NOT_REPORTED] * 7)
            yield [info.meeting.committee.name, info.meeting.committee.office.name,
                   info.meeting.date, info.report.due_on if info.report else None,
                   info.report.sent_on if info.report else None,
                   _REPORT_STATUS[info.report_status], *figures]
        t = report.totals
        if t is not None:
            yield ["合计（已报送）", "", None, None, None, f"已报送{len(report.sent)}次会议",
                   t.roster, t.passed, t.not_passed, t.pass_rate, t.held_back,
                   t.experts_drawn, t.experts_present]

    meetings = Sheet("各评委会报送", REPORT_MEETING_COLUMNS, meeting_rows())
    out = [meetings]
    for title, first, rows, total in (
        ("按系列", "系列", report.by_series, report.series_total),
        ("按层级", "层级", report.by_level, report.level_total),
    ):
        out.append(Sheet(title, [first, *REPORT_FIGURE_COLUMNS],
                         [_report_row(r) for r in [*rows, total]]))
    return out


# The columns of the city's data-report summary (docs/exports.md).
REPORT_MEETING_COLUMNS = [
    "评委会", "办事机构", "会议日期", "报送期限", "报送日期", "报送状态",
    "参评人数（报送）", "通过人数（报送）", "未通过人数（报送）", "通过率（报送）（%）",
    "因通过率未通过", "抽取评委", "出席评委",
]
REPORT_FIGURE_COLUMNS = ["参评人数（报送）", "通过人数（报送）", "未通过人数（报送）",
                         "通过率（报送）（%）"]


def _report_row(r: StatRow) -> list[Any]:
    return [r.label, r.total, r.passed, r.failed, r.pass_rate]

"""docs/exports.md is the column layout of every Excel export: each table there must be the
header row the code writes, in order (a column added on one side only fails here), and the
data report's workbook carries what the doc promises (real dates, 是/否, the province's
columns)."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "exports.md"


def documented() -> dict[str, list[str]]:
    """{export id: [column, …]} from the `### \\`id\\`` sections of docs/exports.md."""
    out: dict[str, list[str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"### `([^`]+)`", line)
        if heading:
            current = heading.group(1)
            out[current] = []
        elif line.startswith("## "):
            current = None
        elif current and line.startswith("| ") and not line.startswith(("| column", "|---")):
            out[current].append(line.split("|")[1].strip())
    return out


def coded() -> dict[str, list[str]]:
    from zhicheng.auditlog.queries import EXPORT_COLUMNS
    from zhicheng.evaluation.exports import APPLICANT_COLUMNS, CODE_COLUMNS
    from zhicheng.reviews.exports import WORKLIST_COLUMNS
    from zhicheng.supervision import exports as sup
    from zhicheng.supervision.queries import SHOWN_STATES

    dashboard = sup.dashboard_header(7)
    states = [f"状态：{s.label}" for s in SHOWN_STATES]
    at = dashboard.index(states[0])
    dashboard[at:at + len(states)] = ["状态：<状态>"]
    return {
        "data-report/评审对象": [t for _k, t in APPLICANT_COLUMNS] + [t for _k, t in CODE_COLUMNS],
        "data-report/会议": ["项目", "内容"],
        "worklist/待办": list(WORKLIST_COLUMNS),
        "audit/审计日志": list(EXPORT_COLUMNS),
        "supervision/评审监督总览": [c.replace("审核超过7个", "审核超过<N>个") for c in dashboard],
        "supervision/统计": sup.stat_header("<维度>", "<年度>", "<上一年度>"),
        "supervision/各评委会报送": list(sup.REPORT_MEETING_COLUMNS),
        "supervision/按系列汇总": ["<系列或层级>", *sup.REPORT_FIGURE_COLUMNS],
    }


def test_every_export_has_its_column_table_and_it_matches_the_code() -> None:
    doc, code = documented(), coded()
    assert set(doc) == set(code)
    for key, columns in code.items():
        assert doc[key] == [str(c) for c in columns], key


def test_no_header_is_a_code_except_the_system_columns() -> None:
    for key, columns in coded().items():
        for c in columns:
            assert re.search(r"[\u4e00-\u9fff]", str(c)) or c.startswith("<"), (key, c)
            assert "代码" not in str(c) or str(c).endswith("代码（系统用）"), (key, c)


def test_the_meeting_items_of_the_data_report_are_the_documented_ones() -> None:
    from zhicheng.evaluation.exports import MEETING_LABELS

    section = DOC.read_text(encoding="utf-8").split("### `data-report/会议`", 1)[1]
    items = section.split("| 项目 |", 1)[1].split("(", 1)[1].split(")", 1)[0]
    assert [i.strip() for i in items.split(",")] == list(MEETING_LABELS.values())

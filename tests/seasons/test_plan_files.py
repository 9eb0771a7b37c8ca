"""Reading the plan table from the office's own files (no database)."""

import pytest

from tests.factories.plans import ROWS, csv_text, workbook
from zhicheng.policy.plans import season_dir
from zhicheng.seasons.plan_files import (
    PlanFileRefused,
    read_plan_file,
    read_plan_folder,
    template_workbook,
)


def test_workbook_merged_cells_are_inferred_from_the_first_row_of_the_range():
    upload = read_plan_file("x", "计划表.xlsx", workbook())
    assert upload.kind == "xlsx" and upload.errors == []
    row = upload.table.rows[3]
    assert row.office == "市体育局" and row.phone == "85817650" and row.acceptance_text == "6月"
    assert row.provenance("office") == "inferred"
    assert row.inferred["office"].from_row == 2
    assert "合并单元格" in row.inferred["office"].reason
    assert upload.table.rows[2].provenance("office") == "printed"
    assert upload.table.rows[4].office == "市低空经济办"


def test_workbook_problems_are_placed_by_sheet_row_and_column():
    rows = [list(r) for r in ROWS]
    rows[0][5] = "七月份"  # sheet row 3 (title, header, then row 1), column F
    rows[3][0] = "四"  # sheet row 6, column A
    upload = read_plan_file("x", "计划表.xlsx", workbook(rows))
    places = {(p.sheet_row, p.column) for p in upload.errors}
    assert (3, "F列（申报材料受理时间）") in places
    assert (6, "A列（序号）") in places
    text = [str(p) for p in upload.errors]
    assert any(t.startswith("[错误] 第3行，F列（申报材料受理时间），序号1：") for t in text)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_every_encoding_excel_saves_reads_the_same(encoding):
    upload = read_plan_file("x", "计划表.csv", csv_text().encode(encoding))
    assert upload.kind == "csv" and upload.errors == []
    assert upload.table.rows[4].office == "市低空经济办"
    assert upload.table.rows[1].specialty == "统计（高级）"
    # a CSV has no merged cells: the blank row 3 stays blank and is flagged, not guessed
    assert upload.table.rows[3].office == ""
    assert any(p.plan_row == 3 and "未印" in p.message for p in upload.warnings)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "空"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04not really a workbook", "不是有效的Excel工作簿"),
        (b"%PDF-1.7\n...", "不是表格"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "不是表格"),
        ("姓名,年龄\n张三,30\n".encode(), "找不到表头"),
        ("序号,专业名称\n1,统计\n".encode(), "缺少列：评委会办事机构"),
    ],
)
def test_bad_files_are_refused_by_content_with_a_chinese_message(data, words):
    with pytest.raises(PlanFileRefused) as refused:
        read_plan_file("x", "计划表.xlsx", data)
    assert words in str(refused.value)


def test_bytes_in_no_known_encoding_are_refused_clearly():
    with pytest.raises(PlanFileRefused) as refused:
        read_plan_file("x", "a.csv", b"\x81\x30\x81\xff,\xff\xfe\n")
    assert "编码" in str(refused.value)


def test_template_workbook_reads_back_without_errors():
    upload = read_plan_file("x", "评审计划表模板.xlsx", template_workbook())
    assert upload.errors == []
    assert upload.table.rows[1].specialty == "统计（高级）"


def test_season_folder_in_gbk_reads_like_the_utf8_one(tmp_path):
    source = season_dir("lianyungang-2024")
    for name in ("plans.csv", "merges.csv"):
        text = (source / name).read_text(encoding="utf-8")
        (tmp_path / name).write_bytes(text.encode("gbk"))
    gbk = read_plan_folder("lianyungang-2024", tmp_path)
    utf8 = read_plan_folder("lianyungang-2024", source)
    assert gbk.errors == [] and gbk.table.rows == utf8.table.rows
    assert gbk.table.rows[45].inferred["office"].from_row == 49

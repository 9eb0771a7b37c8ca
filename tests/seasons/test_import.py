import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import SYSTEM
from zhicheng.policy.plans import parse_plan_table, read_plan_table, season_dir
from zhicheng.seasons.loaders import load_season
from zhicheng.seasons.models import CommitteePlan, DataWarning

PRINTED_ROWS = [*range(1, 21), *range(41, 74)]


def test_real_table_has_every_printed_row_and_names_the_gap():
    table = read_plan_table("lianyungang-2024")
    assert table.errors == []
    assert sorted(table.rows) == PRINTED_ROWS
    assert table.missing_rows == list(range(21, 41))
    gap = [w for w in table.warnings if w.field == "row"]
    assert len(gap) == 1 and "21–40" in gap[0].message


def test_suspect_phones_are_kept_as_printed_and_flagged():
    table = read_plan_table("lianyungang-2024")
    assert table.rows[61].phone == "855573381"
    assert table.rows[68].phone == "858882177"
    assert table.rows[50].phone == "85816207/"
    flagged = {w.row for w in table.warnings if w.field == "phone"}
    assert {50, 61, 68} <= flagged


def test_merged_cells_are_inferred_with_their_source_row():
    table = read_plan_table("lianyungang-2024")
    row = table.rows[45]
    assert row.office == "市工信局"
    assert row.provenance("office") == "inferred"
    assert row.inferred["office"].from_row == 49
    assert table.rows[49].provenance("office") == "printed"
    assert table.rows[9].provenance("office") == "blank"  # rows 9–18: nothing printed
    assert table.rows[6].office == "市司法局"


def test_level_specific_windows_of_row_4():
    row = read_plan_table("lianyungang-2024").rows[4]
    assert row.acceptance_months("associate_senior") == frozenset({5, 6})
    assert row.acceptance_months("full_senior") == frozenset({7})


def test_window_stated_only_as_a_reference_is_unknown():
    row = read_plan_table("lianyungang-2024").rows[61]
    assert row.acceptance_months("associate_senior") is None


def _broken_dir(tmp_path: Path, plans: str, merges: str | None = None) -> Path:
    target = tmp_path / "lianyungang-2024"
    shutil.copytree(season_dir("lianyungang-2024"), target)
    (target / "plans.csv").write_text(plans, encoding="utf-8")
    if merges is not None:
        (target / "merges.csv").write_text(merges, encoding="utf-8")
    return target


HEADER = "row,specialty,office,phone,address,acceptance,evaluation,remarks\n"


def test_parser_names_line_and_field_of_every_problem():
    text = (
        HEADER
        + "1,统计,市统计局,85831080,某地,7月,9月,\n"
        + "x,会计,市财政局,85521543,某地,7月,9月,\n"
        + "1,审计,市审计局,85521108,某地,7月,8月,\n"
        + "2,律师,市司法局,85310121,某地,十三月,8月,\n"
        + "3,,市司法局,85310121,某地,6月,8月,\n"
        + "4,公证,市司法局,85310121\n"
    )
    table = parse_plan_table("x", text)
    problems = {(p.line, p.field) for p in table.errors}
    assert (3, "row") in problems  # not a number
    assert (4, "row") in problems  # duplicate
    assert (5, "acceptance") in problems  # unreadable window
    assert (6, "specialty") in problems  # blank specialty
    assert (7, "*") in problems  # wrong column count
    assert all(str(p).startswith("[错误]") for p in table.errors)


def test_missing_column_is_an_error_on_the_header():
    table = parse_plan_table("x", "row,specialty\n1,统计\n")
    assert [(p.line, p.severity) for p in table.problems] == [(1, "error")]
    assert "office" in table.problems[0].message


def test_merge_may_not_overwrite_a_printed_value():
    merges = "row,field,from_row,reason\n1,office,2,错\n"
    text = HEADER + "1,统计,市统计局,,,7月,9月,\n2,体育,市体育局,,,6月,10月,\n"
    table = parse_plan_table("x", text, merges)
    assert [(p.line, p.field) for p in table.errors] == [(2, "office")]


@pytest.mark.django_db
def test_loading_twice_changes_nothing(season):
    plans_before = list(CommitteePlan.objects.order_by("row").values())
    events_before = AuditEvent.objects.count()
    report = load_season(SYSTEM, "lianyungang-2024")
    assert not report.changed
    assert AuditEvent.objects.count() == events_before
    assert list(CommitteePlan.objects.order_by("row").values()) == plans_before


@pytest.mark.django_db
def test_loaded_plans_keep_provenance_and_warnings(season):
    assert CommitteePlan.objects.filter(season=season).count() == len(PRINTED_ROWS)
    plan = CommitteePlan.objects.get(season=season, row=44)
    assert plan.office_name == "市工信局" and plan.office.short_name == "市工信局"
    assert plan.provenance["office"]["from_row"] == 49
    assert DataWarning.objects.filter(season=season, row=61, field="phone").exists()
    assert DataWarning.objects.filter(
        season=season, field="row", message__contains="21–40"
    ).exists()


@pytest.mark.django_db
def test_a_changed_value_is_updated_and_audited(season, tmp_path):
    source = season_dir("lianyungang-2024") / "plans.csv"
    changed = source.read_text(encoding="utf-8").replace("85831080", "85831081")
    target = _broken_dir(tmp_path, changed)
    before = AuditEvent.objects.count()
    report = load_season(SYSTEM, "lianyungang-2024", directory=target)
    assert any("评审计划" in u and "phone" in u for u in report.updated)
    assert CommitteePlan.objects.get(season=season, row=1).phone == "85831081"
    assert AuditEvent.objects.count() == before + 1


@pytest.mark.django_db
def test_command_refuses_a_broken_file_and_changes_nothing(season, tmp_path):
    source = season_dir("lianyungang-2024") / "plans.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("7月", "七月份")  # row 1: unreadable acceptance window
    lines[3] = "abc" + lines[3][1:]  # row 3: not a number
    target = _broken_dir(tmp_path, "\n".join(lines) + "\n")
    before = list(CommitteePlan.objects.order_by("row").values_list("row", "acceptance_text"))
    err = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command(
            "load_season", "lianyungang-2024", dir=target, stderr=err, stdout=io.StringIO()
        )
    assert "数据库未作任何修改" in str(info.value)
    report = err.getvalue()
    assert "第2行" in report and "申报材料受理时间" in report
    assert "第4行" in report and "序号" in report
    assert (
        list(CommitteePlan.objects.order_by("row").values_list("row", "acceptance_text")) == before
    )


@pytest.mark.django_db
def test_command_reports_counts_on_a_clean_reload(season):
    out = io.StringIO()
    call_command("load_season", stdout=out, quiet_warnings=True)
    assert "新增0项，修改0项" in out.getvalue()


@pytest.mark.django_db
def test_plans_carry_their_series_from_the_scope_file(season):
    def codes(row):
        plan = CommitteePlan.objects.get(season=season, row=row)
        return sorted(plan.series.values_list("code", flat=True))

    assert codes(49) == ["arts_and_crafts"]
    assert codes(44) == ["engineering"]
    assert codes(19) == ["experimental_technology", "natural_science_research"]

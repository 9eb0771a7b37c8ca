"""The provincial exchange (docs/exchange.md): the committee office downloads the results form
of its forwarded senior dossiers, the province fills it in, the office uploads it, sees every
row matched / conflicting / unmatched and every problem by row and column, and confirms;
each result goes through the audited `record_provincial_result`, all or nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema_rs
import pytest
from openpyxl import load_workbook

from tests.factories import imports
from tests.factories.province import fill_form, forwarded, resident_id, workbook
from zhicheng.applications.states import State
from zhicheng.core.models import AuditEvent
from zhicheng.jobs.models import Job
from zhicheng.reviews import operations as rops
from zhicheng.reviews.models import ProvincialForward, ProvincialResult
from zhicheng.reviews.province_files import read_results_file
from zhicheng.reviews.province_import import RESULTS_IMPORT

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schema"
SEASON = "lianyungang-2024"
HEADER = ["计划表序号", "姓名", "证件号码", "评审结果", "省级文号"]


@pytest.fixture
def office(chain, demo_users, client):
    apps = [forwarded(chain, demo_users["city_office"], n) for n in (1, 2)]
    client.force_login(chain.committee)
    return apps


def _upload(client, name: str, data: bytes, season: str = SEASON):
    return imports.upload(client, f"/review/province/?season={season}", name, data)


def _rows(page, match: str) -> list[int]:
    """The sheet rows the preview sorted under `match` (待登记, 已登记, 冲突, 未匹配)."""
    return [cells[0] for _tone, cells in imports.report(page)["rows"] if cells[5]["t"] == match]


def _notes(page, match: str) -> list[str]:
    return [cells[6] for _tone, cells in imports.report(page)["rows"] if cells[5]["t"] == match]


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile
    return SimpleUploadedFile(name, data)


def _results() -> dict[str, str]:
    return dict(ProvincialForward.objects.values_list("application_id", "result"))


def test_the_form_round_trips_through_the_province(office, client):
    first, second = office
    response = client.get(f"/review/province/results-form.xlsx?season={SEASON}")
    assert response.status_code == 200
    form = b"".join([response.content])
    sheet = load_workbook(io.BytesIO(form)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["计划表序号", "评审专业", "姓名", "证件号码"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[header.index("申报编号（系统用）")] for r in rows] == [first.pk, second.pk]
    assert rows[0][header.index("申报层级")] == "副高级"
    assert rows[0][header.index("证件号码")] == resident_id(1)

    filled = fill_form(form, {first.pk: ("通过", "苏职称〔2024〕12号"),
                              second.pk: ("未通过", "苏职称〔2024〕12号")})
    page = _upload(client, "结果.xlsx", filled)
    assert page.status_code == 200
    text = page.content.decode()
    assert "待登记：2" in text and 'id="zc-confirm"' in text
    assert _results() == {first.pk: "pending", second.pk: "pending"}  # nothing yet

    done = imports.confirm(client, page)
    assert "已登记2名申报人的省高评委评审结果" in done.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == State.PASSED and second.state == State.NOT_PASSED
    assert _results() == {first.pk: ProvincialResult.PASSED, second.pk: ProvincialResult.FAILED}
    events = AuditEvent.objects.filter(action__startswith="review.record_provincial_")
    assert sorted(e.action for e in events) == ["review.record_provincial_fail",
                                                "review.record_provincial_pass"]

    again = _upload(client, "结果.xlsx", filled)
    assert "已登记：2" in again.content.decode()
    assert 'id="zc-confirm"' not in again.content.decode()


def test_every_problem_is_named_by_row_and_column_and_nothing_is_written(office, client):
    first, _second = office
    data = workbook([
        HEADER,
        ["一", first.applicant.full_name, resident_id(1), "通过", "苏职称〔2024〕1号"],
        [first.plan.row, first.applicant.full_name, resident_id(1), "待定", "苏职称〔2024〕1号"],
        [first.plan.row, first.applicant.full_name, resident_id(2), "通过", ""],
        [first.plan.row, "", "", "通过", "苏职称〔2024〕1号"],
    ])
    page = _upload(client, "结果.xlsx", data)
    assert imports.problem_cells(page) == {(2, "A列（计划表序号）"), (3, "D列（评审结果）"),
                                           (4, "E列（省级文号）"), (5, "C列（证件号码）")}
    text = page.content.decode()
    assert "计划表序号应为正整数，现为“一”" in text
    assert "评审结果应填“通过”或“未通过”，现为“待定”" in text
    assert 'id="zc-confirm"' not in text
    imports.post_and_run(client, "/jobs/start/",
                         {"kind": RESULTS_IMPORT, "preview": page.context["job"].pk})
    assert set(_results().values()) == {"pending"}
    assert not AuditEvent.objects.filter(action__startswith="review.record_provincial_").exists()


def test_unmatched_and_conflicting_rows_are_shown_and_not_recorded(office, client, chain):
    first, second = office
    rops.record_provincial_result(second, chain.committee, passed=True, document_number="苏A号")
    data = workbook([
        HEADER,
        [first.plan.row, first.applicant.full_name, resident_id(1).lower(), "通过", "苏B号"],
        [first.plan.row, "张冒名", resident_id(1), "通过", "苏B号"],
        [second.plan.row, second.applicant.full_name, resident_id(2), "未通过", "苏B号"],
        [first.plan.row + 1, first.applicant.full_name, resident_id(1), "通过", "苏B号"],
        [first.plan.row, "外人", resident_id(99), "通过", "苏B号"],
    ])
    page = _upload(client, "结果.xlsx", data)
    # row 3 repeats row 2's ID and plan row: an error, so nothing can be confirmed
    assert imports.problem_cells(page) == {(3, "C列（证件号码）")}
    assert _rows(page, "待登记") == [2]
    assert _rows(page, "冲突") == [4]
    assert "已登记为通过（文号：苏A号）" in _notes(page, "冲突")[0]
    assert _rows(page, "未匹配") == [5, 6]
    assert 'id="zc-confirm"' not in page.content.decode()

    fixed = workbook([
        HEADER,
        [first.plan.row, "张冒名", resident_id(1), "通过", "苏B号"],
        [second.plan.row, second.applicant.full_name, resident_id(2), "未通过", "苏B号"],
    ])
    page = _upload(client, "结果.xlsx", fixed)
    assert "姓名不一致" in _notes(page, "冲突")[0]
    assert not _rows(page, "待登记") and 'id="zc-confirm"' not in page.content.decode()
    assert _results()[first.pk] == "pending"


def test_a_refused_row_undoes_the_whole_import(office, client, monkeypatch):
    first, second = office
    data = workbook([
        HEADER,
        [first.plan.row, first.applicant.full_name, resident_id(1), "通过", "苏C号"],
        [second.plan.row, second.applicant.full_name, resident_id(2), "通过", "苏C号"],
    ])
    page = _upload(client, "结果.xlsx", data)
    real = rops.record_provincial_result

    def refuse_second(app, actor, **kwargs):
        if app.pk == second.pk:
            raise rops.OperationError("模拟的拒绝")
        return real(app, actor, **kwargs)

    monkeypatch.setattr(rops, "record_provincial_result", refuse_second)
    response = imports.confirm(client, page)
    failure = response.content.decode()
    assert 'id="job-failure"' in failure and "第3行" in failure and "整个文件未导入" in failure
    assert set(_results().values()) == {"pending"}
    first.refresh_from_db()
    assert first.state == State.FORWARDED_TO_PROVINCE


def test_gb18030_csv_is_read(office, client):
    first, _second = office
    text = "\r\n".join([",".join(HEADER),
                        f"{first.plan.row},{first.applicant.full_name},{resident_id(1)},通过,苏职称〔2024〕9号"])
    page = _upload(client, "结果.csv", text.encode("gb18030"))
    assert _notes(page, "待登记") == [f"申报编号{first.pk}"]
    bom = _upload(client, "结果.csv", "\ufeff".encode() + text.encode())
    assert _notes(bom, "待登记") == [f"申报编号{first.pk}"]


def test_a_bad_file_is_refused_by_content(office, client):
    page = _upload(client, "结果.xlsx", b"%PDF-1.4 not a table")
    assert page.request["PATH_INFO"] == "/review/province/"
    assert "结果.xlsx：文件不是表格" in page.content.decode()
    page = _upload(client, "结果.csv", b"PK\x03\x04broken zip")
    assert "不是有效的Excel工作簿" in page.content.decode()
    assert not Job.objects.exists()  # refused before anything was kept
    # A table without the header is found by the preview, which fails and keeps no file.
    page = _upload(client, "结果.xlsx", workbook([["姓名", "备注"], ["张三", ""]]))
    assert 'id="job-failure"' in page.content.decode() and "找不到表头" in page.content.decode()
    assert not page.context["job"].upload
    assert set(_results().values()) == {"pending"}


def test_reader_skips_rows_without_result():
    data = workbook([HEADER, [3, "甲", resident_id(3), "", ""],
                     [3, "乙", resident_id(4), "合格", "苏D号"]])
    upload = read_results_file("结果.xlsx", data)
    assert upload.skipped == [2] and [r.sheet_row for r in upload.rows] == [3]
    assert upload.rows[0].passed is True


def test_the_forwarding_list_validates_against_its_schema(office, client):
    schema = json.loads((SCHEMA / "provincial-forwarding.schema.json").read_text("utf-8"))
    payload = json.loads(client.get(
        f"/review/province/forwarding.json?season={SEASON}").content)
    jsonschema_rs.validator_for(schema, validate_formats=True).validate(payload)
    assert payload["schema_version"] == "1.0"
    assert [d["id_number"] for d in payload["dossiers"]] == [resident_id(1), resident_id(2)]


def test_only_the_forwarding_office_sees_its_dossiers(office, client, demo_users):
    client.force_login(demo_users["gongxin_committee"])
    page = client.get("/review/province/")
    assert page.status_code == 200 and "本办还没有报送省高评委的申报" in page.content.decode()
    assert client.get(f"/review/province/forwarding.json?season={SEASON}").status_code == 404
    client.force_login(demo_users["haizhou_reviewer"])
    assert client.get("/review/province/").status_code == 403


def test_the_forwarded_package_manifest_validates_against_its_schema(office, client):
    import zipfile

    schema = json.loads((SCHEMA / "provincial-package-manifest.schema.json").read_text("utf-8"))
    validator = jsonschema_rs.validator_for(schema, validate_formats=True)
    response = client.get(f"/review/{office[0].pk}/package.zip")
    data = b"".join(response.streaming_content)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    validator.validate(manifest)
    manifest["materials"][0]["verified"] = False
    assert not validator.is_valid(manifest)


def test_odd_digits_are_named_not_crashed_on():
    data = workbook([HEADER + ["申报编号（系统用）"],
                     ["²", "甲", resident_id(3), "通过", "苏E号", "١٢x"]])
    upload = read_results_file("结果.xlsx", data)
    assert {p.column for p in upload.errors} == {"A列（计划表序号）", "F列（申报编号（系统用））"}

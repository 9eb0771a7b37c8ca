"""The city office imports a plan table in the browser: upload, preview, decide each unknown
office, confirm (audited); a refused file changes nothing. And the command line reads the
same files."""

import io
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories.plans import ROWS, csv_text, workbook
from zhicheng.core.models import AuditEvent
from zhicheng.orgs.models import Organisation
from zhicheng.policy.plans import season_dir
from zhicheng.seasons.models import CommitteePlan, Season

pytestmark = pytest.mark.django_db
UPLOAD = reverse("plan_import:upload")
CONFIRM = reverse("plan_import:confirm")


@pytest.fixture
def draft(season):
    """A second season to import into, so the 2024 table stays as loaded."""
    return Season.objects.create(
        code="example-2025", name="2025年度（示例）", year=2025, city=season.city,
        notice_number="示例", notice_title="示例", notice_date=season.notice_date,
        seniority_cutoff=season.seniority_cutoff, materials_cutoff=season.materials_cutoff,
        evaluation_deadline=season.evaluation_deadline,
        committee_notice_due=season.committee_notice_due,
    )


@pytest.fixture
def office(client, demo_users):
    client.force_login(demo_users["city_office"])
    return client


def _upload(client, data, name="计划表.xlsx", season="example-2025"):
    return client.post(UPLOAD, {"season": season, "file": SimpleUploadedFile(name, data)})


def test_preview_names_every_problem_and_saves_nothing(office, draft):
    rows = [list(r) for r in ROWS]
    rows[0][5] = "七月份"
    response = _upload(office, workbook(rows))
    page = response.content.decode()
    assert response.status_code == 200
    assert "F列（申报材料受理时间）" in page
    problems = response.context["upload"].errors
    assert [(p.sheet_row, p.column) for p in problems] == [(3, "F列（申报材料受理时间）")]
    assert "无法识别时间“七月份”" in page
    assert "不能导入" in page and 'id="zc-confirm"' not in page
    assert not CommitteePlan.objects.filter(season=draft).exists()
    # confirming anyway is refused by the operation, and still nothing is saved
    refused = office.post(CONFIRM, {"digest": response.context["upload"].digest})
    assert refused.status_code == 400 and "未导入任何内容" in refused.content.decode()
    assert not CommitteePlan.objects.filter(season=draft).exists()


def test_unknown_office_must_be_decided_then_is_created_and_linked(office, draft):
    preview = _upload(office, workbook())
    page = preview.content.decode()
    assert preview.context["preview"].unknown_offices == ["市低空经济办"]
    assert "系统中没有的办事机构" in page and "市低空经济办" in page
    assert preview.context["preview"].new_rows == [1, 2, 3, 4]
    digest = preview.context["upload"].digest
    events = AuditEvent.objects.count()

    undecided = office.post(CONFIRM, {"digest": digest})
    assert undecided.status_code == 400
    assert "市低空经济办" in undecided.content.decode()
    assert not CommitteePlan.objects.filter(season=draft).exists()
    assert AuditEvent.objects.count() == events

    done = office.post(CONFIRM, {"digest": digest, "office-0-action": "create"})
    assert done.status_code == 302
    plans = {p.row: p for p in CommitteePlan.objects.filter(season=draft).select_related("office")}
    assert sorted(plans) == [1, 2, 3, 4]
    assert plans[4].office is not None and plans[4].office.name == "市低空经济办"
    assert plans[1].office is not None and plans[1].office.short_name == "市统计局"
    assert plans[3].office_name == "市体育局"
    assert plans[3].provenance["office"]["from_row"] == 2
    event = AuditEvent.objects.get(action="season.plan_import")
    assert event.data["created_offices"] == ["市低空经济办"]
    assert event.data["sha256"] == digest and "计划表.xlsx" in event.summary
    followed = office.get(done["Location"])
    assert "已导入2025年度（示例）评审计划表" in followed.content.decode()


def test_unknown_office_can_be_linked_to_an_existing_organisation(office, draft):
    target = Organisation.objects.get(short_name="市审计局")
    digest = _upload(office, workbook()).context["upload"].digest
    office.post(CONFIRM, {"digest": digest, "office-0-action": "link",
                          "office-0-organisation": str(target.pk)})
    plan = CommitteePlan.objects.get(season=draft, row=4)
    assert plan.office == target and plan.office_name == "市低空经济办"
    assert not Organisation.objects.filter(name="市低空经济办").exists()


def test_a_refused_file_changes_nothing_and_says_why(office, draft):
    _upload(office, workbook())
    response = _upload(office, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.xls")
    assert response.status_code == 400
    assert "旧版Excel文件（.xls）" in response.content.decode()
    # the earlier upload waiting for confirmation is dropped too
    assert office.post(CONFIRM, {"digest": "x"}).status_code == 302
    assert not CommitteePlan.objects.filter(season=draft).exists()


def test_gbk_csv_saved_by_excel_imports(office, draft):
    response = _upload(office, csv_text().encode("gbk"), "计划表.csv")
    assert response.status_code == 200 and response.context["upload"].errors == []
    office.post(CONFIRM, {"digest": response.context["upload"].digest,
                          "office-0-action": "text"})
    plan = CommitteePlan.objects.get(season=draft, row=4)
    assert plan.office is None and plan.office_name == "市低空经济办"
    event = AuditEvent.objects.get(action="season.plan_import")
    assert event.data["not_offices"] == ["市低空经济办"]


def test_reimport_lists_changed_rows_by_column(office, draft):
    digest = _upload(office, workbook()).context["upload"].digest
    office.post(CONFIRM, {"digest": digest, "office-0-action": "create"})
    rows = [list(r) for r in ROWS]
    rows[0][3] = "85831081"
    preview = _upload(office, workbook(rows)).context["preview"]
    assert preview.changed_rows == {1: ["联系电话"]}
    assert preview.unknown_offices == [] and preview.new_rows == []


def test_only_the_city_office_may_import(client, demo_users, draft):
    assert client.get(UPLOAD).status_code == 302  # to the login page
    client.force_login(demo_users["gongxin_committee"])
    assert _upload(client, workbook()).status_code == 403
    assert client.get(UPLOAD).status_code == 403


def test_the_page_is_reached_from_the_dashboard_and_offers_the_template(office):
    dashboard = office.get(reverse("supervision:dashboard")).content.decode()
    assert UPLOAD in dashboard and "评审计划表导入" in dashboard
    page = office.get(UPLOAD).content.decode()
    template = reverse("plan_import:template")
    assert template in page
    response = office.get(template)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["序号", "专业名称", "评委会办事机构"]


def test_command_line_reads_a_gbk_csv_and_names_unlinked_offices(season, tmp_path):
    target = tmp_path / "lianyungang-2024"
    shutil.copytree(season_dir("lianyungang-2024"), target)
    for name in ("plans.csv", "merges.csv", "scope.csv"):  # the folder as Excel saves it
        text = (target / name).read_text(encoding="utf-8")
        (target / name).write_bytes(text.encode("gb18030"))
    before = sorted(season.plans.values_list("row", "specialty", "office_id"))
    out = io.StringIO()
    call_command("load_season", "lianyungang-2024", dir=target, stdout=out)
    report = out.getvalue()
    # The same table as the UTF-8 file: only the new (draft) version is added, no plan row
    # changes; the self-evaluation rows are declared in organisations.toml (not offices).
    assert "修改0项" in report and "[错误]" not in report
    assert sorted(season.plans.values_list("row", "specialty", "office_id")) == before


def test_command_line_reads_a_workbook_in_the_season_folder(season, tmp_path):
    target = tmp_path / "lianyungang-2024"
    shutil.copytree(season_dir("lianyungang-2024"), target)
    rows = [list(r) for r in ROWS]
    rows[0][2] = "市统计局"
    (target / "plans.xlsx").write_bytes(workbook(rows))
    draft = Season.objects.filter(code="lianyungang-2024")
    before = draft.get().plans.count()
    call_command("load_season", "lianyungang-2024", dir=target, stdout=io.StringIO())
    assert draft.get().plans.count() == before  # rows 1–4 of the workbook updated in place
    plan = CommitteePlan.objects.get(season__code="lianyungang-2024", row=3)
    assert plan.office_name == "市体育局" and plan.provenance["office"]["from_row"] == 2

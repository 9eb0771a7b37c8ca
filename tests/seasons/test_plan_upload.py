"""The city office imports a plan table: upload, the preview job's page, decide each unknown
office, confirm (the confirming job, audited); a refused file changes nothing. And the
command line reads the same files."""

import io
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import imports
from tests.factories.plans import ROWS, csv_text, workbook
from zhicheng.core.models import AuditEvent
from zhicheng.jobs.models import Job
from zhicheng.orgs.models import Organisation
from zhicheng.policy.plans import season_dir
from zhicheng.seasons.models import CommitteePlan, Season
from zhicheng.seasons.plan_import import PLAN_IMPORT, PLAN_PREVIEW

pytestmark = pytest.mark.django_db
UPLOAD = reverse("plan_import:upload")


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
    pk = Season.objects.get(code=season).pk
    return imports.upload(client, f"{UPLOAD}?season={season}", name, data, season=str(pk))


def _actions(page) -> dict[int, str]:
    """序号 -> what the preview says will happen to the row."""
    return {cells[0]: cells[5]["t"] if isinstance(cells[5], dict) else cells[5]
            for _tone, cells in imports.report(page)["rows"]}


def test_preview_names_every_problem_and_saves_nothing(office, draft):
    rows = [list(r) for r in ROWS]
    rows[0][5] = "七月份"
    page = _upload(office, workbook(rows))
    text = page.content.decode()
    assert page.status_code == 200 and "预览评审计划表" in text
    errors = [(r, c) for r, c, _m, severity in imports.report(page)["problems"]
              if severity == "error"]
    assert errors == [(3, "F列（申报材料受理时间）")]
    assert "无法识别时间“七月份”" in text
    assert "不能导入" in text and 'id="zc-confirm"' not in text
    assert not CommitteePlan.objects.filter(season=draft).exists()
    # confirming anyway is refused, and still nothing is saved
    refused = imports.post_and_run(office, "/jobs/start/",
                                   {"kind": PLAN_IMPORT, "preview": page.context["job"].pk})
    assert "文件有错误，不能导入" in refused.content.decode()
    assert not CommitteePlan.objects.filter(season=draft).exists()


def test_unknown_office_must_be_decided_then_is_created_and_linked(office, draft):
    preview = _upload(office, workbook())
    page = preview.content.decode()
    assert imports.report(preview)["unknown_offices"] == ["市低空经济办"]
    assert "系统中没有的办事机构" in page and 'data-office="市低空经济办"' in page
    assert _actions(preview) == {1: "新增", 2: "新增", 3: "新增", 4: "新增"}
    digest = preview.context["job"].upload_digest
    events = AuditEvent.objects.filter(action="season.plan_import").count()

    undecided = imports.confirm(office, preview)
    assert 'id="job-failure"' in undecided.content.decode()
    assert "市低空经济办" in undecided.content.decode()
    assert not CommitteePlan.objects.filter(season=draft).exists()
    assert AuditEvent.objects.filter(action="season.plan_import").count() == events

    done = imports.confirm(office, office.get(f"/jobs/{preview.context['job'].pk}/"),
                           **{"office-0-action": "create"})
    assert "已导入2025年度（示例）评审计划表" in done.content.decode()
    plans = {p.row: p for p in CommitteePlan.objects.filter(season=draft).select_related("office")}
    assert sorted(plans) == [1, 2, 3, 4]
    assert plans[4].office is not None and plans[4].office.name == "市低空经济办"
    assert plans[1].office is not None and plans[1].office.short_name == "市统计局"
    assert plans[3].office_name == "市体育局"
    assert plans[3].provenance["office"]["from_row"] == 2
    event = AuditEvent.objects.get(action="season.plan_import")
    assert event.data["created_offices"] == ["市低空经济办"]
    assert event.data["sha256"] == digest and "计划表.xlsx" in event.summary


def test_unknown_office_can_be_linked_to_an_existing_organisation(office, draft):
    target = Organisation.objects.get(short_name="市审计局")
    imports.confirm(office, _upload(office, workbook()), **{
        "office-0-action": "link", "office-0-organisation": str(target.pk)})
    plan = CommitteePlan.objects.get(season=draft, row=4)
    assert plan.office == target and plan.office_name == "市低空经济办"
    assert not Organisation.objects.filter(name="市低空经济办").exists()


def test_a_refused_file_changes_nothing_and_says_why(office, draft):
    jobs = Job.objects.count()
    response = _upload(office, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.xls")
    assert response.request["PATH_INFO"] == UPLOAD
    assert "旧版Excel文件（.xls）" in response.content.decode()
    assert Job.objects.count() == jobs
    assert not CommitteePlan.objects.filter(season=draft).exists()


def test_gbk_csv_saved_by_excel_imports(office, draft):
    page = _upload(office, csv_text().encode("gbk"), "计划表.csv")
    assert [p for p in imports.report(page)["problems"] if p[3] == "error"] == []
    imports.confirm(office, page, **{"office-0-action": "text"})
    plan = CommitteePlan.objects.get(season=draft, row=4)
    assert plan.office is None and plan.office_name == "市低空经济办"
    event = AuditEvent.objects.get(action="season.plan_import")
    assert event.data["not_offices"] == ["市低空经济办"]


def test_reimport_lists_changed_rows_by_column(office, draft):
    imports.confirm(office, _upload(office, workbook()), **{"office-0-action": "create"})
    rows = [list(r) for r in ROWS]
    rows[0][3] = "85831081"
    again = _upload(office, workbook(rows))
    assert _actions(again) == {1: "修改：联系电话", 2: "不变", 3: "不变", 4: "不变"}
    assert imports.report(again)["unknown_offices"] == []


def test_only_the_city_office_may_import(client, demo_users, draft):
    assert client.get(UPLOAD).status_code == 302  # to the login page
    client.force_login(demo_users["gongxin_committee"])
    assert client.get(UPLOAD).status_code == 403
    forged = client.post("/jobs/upload/", {"kind": PLAN_PREVIEW, "season": draft.pk,
                                           "file": SimpleUploadedFile("a.csv", b"a,b")})
    assert forged.status_code == 403 and not Job.objects.exists()


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

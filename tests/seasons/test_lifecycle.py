"""The city office's season lifecycle pages (docs/seasons.md §In the browser): each write is
one operation with one audit event, refused for other roles, and bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests.factories import imports
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import NotPermitted, OperationError
from zhicheng.jobs.models import Job

BASE = "/supervision/seasons/"
DRAFT = "/supervision/seasons/lianyungang-2025/v1/"
NEW = {"code": "lianyungang-2025", "name": "连云港市2025年度职称评审"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _derive(client: Client, season: Any) -> Any:
    response = client.post(BASE, {"base": season.pk, **NEW})
    assert response.status_code == 302, response.content.decode()[-2000:]
    from zhicheng.seasons.models import SeasonVersion

    return SeasonVersion.objects.get(season__code="lianyungang-2025", number=1)


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_the_office_reaches_the_page_from_its_work_bar(db, season, demo_users):
    home = _client(demo_users["city_office"]).get("/supervision/").content.decode()
    assert f'href="{BASE}"' in home and "届次管理" in home
    page = _client(demo_users["city_office"]).get(BASE).content.decode()
    assert "连云港市2024年度职称评审" in page and "当前年度" in page
    assert season.published_version.sha256[:12] in page and "已发布" in page


@pytest.mark.parametrize("username", ["applicant", "unit_hr", "gongxin_committee"])
def test_other_roles_are_refused(db, season, demo_users, username):
    from zhicheng.seasons.models import Season
    from zhicheng.seasons.operations import derive_draft

    client = _client(demo_users[username])
    assert client.get(BASE).status_code == 403
    assert client.post(BASE, {"base": season.pk, **NEW}).status_code == 403
    with pytest.raises(NotPermitted):
        derive_draft(demo_users[username], season.published_version, **NEW)
    assert not Season.objects.filter(code="lianyungang-2025").exists()
    assert _events("season.derive") == 0


def test_derive_moves_every_date_by_a_year_as_a_draft(db, season, demo_users):
    from zhicheng.seasons.models import Season, VersionStatus

    version = _derive(_client(demo_users["city_office"]), season)
    new = version.season
    assert version.status == VersionStatus.DRAFT and new.published_version is None
    assert new.year == 2025 and new.seniority_cutoff == dt.date(2024, 12, 31)
    assert new.evaluation_deadline == dt.date(2025, 11, 30)
    assert version.data["manifest"]["package"]["derived_from"] == "lianyungang-2024"
    assert _events("season.derive") == 1
    # The draft changes no page: 2024 stays current with its plan table.
    assert Season.objects.get(is_current=True).code == "lianyungang-2024"
    assert not new.plans.exists()


def test_derive_refuses_a_code_in_use_and_keeps_the_typed_name(db, season, demo_users):
    client = _client(demo_users["city_office"])
    response = client.post(BASE, {"base": season.pk, "code": "lianyungang-2024",
                                  "name": "我的新年度"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "已有代码为“lianyungang-2024”的年度" in page and 'value="我的新年度"' in page
    assert _events("season.derive") == 0


def test_a_date_that_does_not_exist_is_refused_by_field_and_kept(db, season, demo_users):
    client = _client(demo_users["city_office"])
    version = _derive(client, season)
    before = version.sha256
    dates = {"seniority_cutoff": "2025-02-30", "materials_cutoff": "2025-03-31",
             "evaluation_deadline": "2025-11-30", "committee_notice_due": "2025-06-30",
             "education_transition_end": "2025-12-31"}
    response = client.post(DRAFT + "dates/", dates)
    assert response.status_code == 400
    page = response.content.decode()
    assert "资历（任职年限）计算截止：请输入存在的日期" in page and 'value="2025-02-30"' in page
    version.refresh_from_db()
    assert version.sha256 == before and _events("season.edit_draft") == 0

    dates["seniority_cutoff"] = "2025-01-31"
    assert client.post(DRAFT + "dates/", dates).status_code == 302
    version.refresh_from_db()
    assert version.data["tables"]["season"]["dates"]["seniority_cutoff"]["value"] == {
        "$date": "2025-01-31"}
    assert _events("season.edit_draft") == 1


def test_a_parameter_is_edited_with_its_clause_shown(db, season, demo_users):
    client = _client(demo_users["city_office"])
    version = _derive(client, season)
    url = DRAFT + "parameter/?key=initial_determination:recent_from_year"
    page = client.get(url).content.decode()
    assert "二（十一）" in page and 'value="2022"' in page
    refused = client.post(url, {"value": "二〇二三", "text": "原文"})
    assert refused.status_code == 400 and "取值：请输入整数" in refused.content.decode()
    assert 'value="二〇二三"' in refused.content.decode()
    saved = client.post(url, {"value": "2023", "text": "2023年及以后取得相应层级学历"})
    assert saved.status_code == 302
    version.refresh_from_db()
    table = version.data["tables"]["initial_determination"]
    assert table["recent_from_year"] == 2023 and table["text"].startswith("2023年")
    assert _events("season.edit_draft") == 1


def test_an_unknown_office_is_named_blocks_publishing_and_is_fixed(db, season, demo_users):
    from zhicheng.orgs.models import Organisation
    from zhicheng.seasons.models import VersionStatus

    client = _client(demo_users["city_office"])
    version = _derive(client, season)
    row = {"row": "74", "specialty": "数据工程", "office": "市数据局", "phone": "85800000",
           "acceptance": "6月", "evaluation": "9月"}
    assert client.post(DRAFT + "plan-row/", row).status_code == 302
    page = client.get(DRAFT).content.decode()
    assert "plans.csv，第55行，“评委会办事机构”列：序号74的评委会办事机构“市数据局”不在" in page
    assert "还有1个问题，改正后才能发布" in page
    refused = client.post(DRAFT + "publish/", {"on": "2025-01-02"})
    assert refused.status_code == 400 and "改正后才能发布" in refused.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT and _events("season.publish") == 0

    missing = client.post(DRAFT + "office/", {"prefix": "o0", "o0-office": "市数据局",
                                              "o0-action": "department", "o0-name": ""})
    assert missing.status_code == 400
    assert "机构全称：添加机构时请填写机构全称" in missing.content.decode()
    assert client.post(DRAFT + "office/", {"prefix": "o0", "o0-office": "市数据局",
                                           "o0-action": "department",
                                           "o0-name": "连云港市数据局"}).status_code == 302
    assert "没有问题：可以预览和发布" in client.get(DRAFT).content.decode()
    assert client.post(DRAFT + "publish/", {"on": "2025-01-02"}).status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED and _events("season.publish") == 1
    plan = version.season.plans.select_related("office").get(row=74)
    assert plan.office == Organisation.objects.get(short_name="市数据局")
    assert version.season.is_current  # 2025-01-02 is before the test clock's today


def test_a_bad_month_window_is_refused_by_field(db, season, demo_users):
    client = _client(demo_users["city_office"])
    version = _derive(client, season)
    response = client.post(DRAFT + "plan-row/?row=1", {"row": "1", "specialty": "统计（高级）",
                                                      "office": "市统计局", "acceptance": "十三月"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "申报材料受理时间：无法识别时间“十三月”" in page and 'value="十三月"' in page
    version.refresh_from_db()
    assert _events("season.edit_draft") == 0


def test_an_uploaded_plan_with_errors_changes_nothing(db, season, demo_users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(demo_users["city_office"])
    version = _derive(client, season)
    before = version.sha256
    header = ("序号,专业名称,评委会办事机构,联系电话,材料报送地址,申报材料受理时间,"
              "计划评审时间,备注\n")
    row = "1,统计（高级）,市统计局,85831080,地址,{},9月,\n"
    bad = SimpleUploadedFile("计划表.csv", (header + row.format("十三月")).encode("gb18030"))
    response = client.post(DRAFT + "plan-upload/", {"file": bad})
    assert response.status_code == 400
    assert "无法识别时间“十三月”" in response.content.decode()
    version.refresh_from_db()
    assert version.sha256 == before and _events("season.edit_draft") == 0

    good = SimpleUploadedFile("计划表.csv", (header + row.format("8月")).encode("gb18030"))
    assert client.post(DRAFT + "plan-upload/", {"file": good}).status_code == 302
    version.refresh_from_db()
    assert "8月" in version.data["texts"]["plans"] and _events("season.edit_draft") == 1


def test_a_published_version_is_not_edited(db, season, demo_users):
    client = _client(demo_users["city_office"])
    published = season.published_version
    url = f"/supervision/seasons/lianyungang-2024/v{published.number}/plan-row/?row=1"
    client.post(url, {"row": "1", "specialty": "改过的专业", "office": "市统计局"})
    published.refresh_from_db()
    assert "改过的专业" not in published.data["texts"]["plans"]
    assert _events("season.edit_draft") == 0
    assert "已发布的版本不可修改" in client.get(
        f"/supervision/seasons/lianyungang-2024/v{published.number}/").content.decode()


def test_the_decision_diff_names_the_findings_with_clauses(db, season, demo_users):
    client = _client(demo_users["city_office"])
    _derive(client, season)
    page = client.get(DRAFT + "diff/").content.decode()
    assert "对照连云港市2024年度职称评审第1版" in page and "40份样例申报人资料" in page
    assert "判定结果改变" in page and "因为（二（九））" in page
    assert "不符合申报条件" in page and "ineligible" not in page


def test_preview_shows_the_plan_table_as_published(db, season, demo_users):
    client = _client(demo_users["city_office"])
    _derive(client, season)
    page = client.get(DRAFT + "preview/").content.decode()
    assert "2025年职称评审计划表（预览）" in page and "统计（高级）" in page
    assert "推断自第2行" in page


def test_a_future_publication_date_is_scheduled_shown_and_published_then(db, season,
                                                                        demo_users, settings):
    from zhicheng.seasons.models import Season, VersionStatus
    from zhicheng.seasons.operations import publish_due

    settings.ZHICHENG_TODAY = "2024-12-01"
    client = _client(demo_users["city_office"])
    version = _derive(client, season)
    assert client.post(DRAFT + "publish/", {"on": "2025-01-02"}).status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT and version.scheduled_on == dt.date(2025, 1, 2)
    assert Season.objects.get(is_current=True).code == "lianyungang-2024"
    assert "将于2025年1月2日生效" in client.get(BASE).content.decode()
    assert publish_due(dt.date(2025, 1, 2))  # the daily task, on the day
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert version.published_on == dt.date(2025, 1, 2)


def test_archive_keeps_pages_and_refuses_new_applications(db, season, demo_users):
    from zhicheng.seasons.operations import archive_season, publish_version

    office = demo_users["city_office"]
    with pytest.raises(OperationError, match="是当前年度，不能归档"):
        archive_season(office, season)
    version = _derive(_client(office), season)
    publish_version(office, version, dt.date(2025, 1, 2))
    response = _client(office).post(f"{BASE}lianyungang-2024/archive/")
    assert response.status_code == 302
    season.refresh_from_db()
    assert season.archived_on is not None and _events("season.archive") == 1
    assert "已归档" in _client(office).get(BASE).content.decode()
    with pytest.raises(OperationError, match="已结束归档"):
        from zhicheng.applications.operations import start_application

        plan = season.plans.get(row=41)
        start_application(demo_users["applicant"], season=season, plan=plan,
                          series_id=plan.series.first().pk, specialty="质量工程",
                          level="intermediate", route="normal")


def test_every_lifecycle_operation_refuses_other_roles(db, season, demo_users):
    from zhicheng.seasons.operations import archive_season, edit_draft, publish_version

    version = _derive(_client(demo_users["city_office"]), season)
    events = AuditEvent.objects.count()
    stranger = demo_users["gongxin_committee"]
    with pytest.raises(NotPermitted):
        edit_draft(stranger, version, version.data, "改动")
    with pytest.raises(NotPermitted):
        publish_version(stranger, version)
    with pytest.raises(NotPermitted):
        archive_season(stranger, season)
    client = _client(stranger)
    for url in (DRAFT, DRAFT + "diff/", DRAFT + "preview/", DRAFT + "plan-row/"):
        assert client.get(url).status_code == 403
    assert client.post(DRAFT + "publish/", {"on": "2025-01-02"}).status_code == 403
    version.refresh_from_db()
    assert version.status == "draft" and AuditEvent.objects.count() == events


def test_a_correction_draft_copies_the_published_version_and_replaces_it(db, season, demo_users):
    from zhicheng.seasons.models import VersionStatus

    client = _client(demo_users["city_office"])
    published = season.published_version
    url = f"/supervision/seasons/lianyungang-2024/v{published.number}/"
    response = client.post(url + "correct/")
    draft = season.versions.get(number=published.number + 1)
    assert response["Location"] == f"/supervision/seasons/lianyungang-2024/v{draft.number}/"
    assert draft.status == VersionStatus.DRAFT and draft.sha256 == published.sha256
    assert _events("season.correction_draft") == 1
    again = client.post(url + "correct/")  # one open draft at a time
    assert again.status_code == 302 and season.versions.count() == published.number + 1
    page = client.get(f"/supervision/seasons/lianyungang-2024/v{draft.number}/").content
    assert f"对照：{season.name}第{published.number}版" in page.decode()
    assert client.post(f"/supervision/seasons/lianyungang-2024/v{draft.number}/publish/",
                       {"on": "2024-07-01"}).status_code == 302
    published.refresh_from_db()
    season.refresh_from_db()
    assert published.status == VersionStatus.SUPERSEDED and season.published_version == draft


def test_the_plan_import_page_sends_a_draft_season_to_its_draft_page(db, season, demo_users):
    client = _client(demo_users["city_office"])
    version = _derive(client, season)
    response = imports.upload(client, "/supervision/plan-import/?season=lianyungang-2025",
                              "计划表.csv", "序号,专业名称\n1,统计\n".encode(),
                              season=str(version.season.pk))
    assert response.request["PATH_INFO"] == "/supervision/plan-import/"
    assert "数据还是草稿：请在“届次管理”打开它的草稿页上传计划表" in response.content.decode()
    assert not version.season.plans.exists() and not Job.objects.exists()


def test_the_notice_is_edited_and_a_bad_date_keeps_the_text(db, season, demo_users):
    client = _client(demo_users["city_office"])
    version = _derive(client, season)
    assert "通知文号仍是上一届的" in client.get(DRAFT).content.decode()
    posted = {"notice_number": "连职称办〔2025〕3号",
              "notice_title": "关于做好2025年度全市职称评审工作的通知",
              "notice_date": "2025-04-31", "body": "# 一、总体要求\n正文"}
    refused = client.post(DRAFT + "notice/", posted)
    assert refused.status_code == 400
    assert "发文日期：请输入存在的日期" in refused.content.decode()
    assert "连职称办〔2025〕3号" in refused.content.decode() and _events("season.edit_draft") == 0
    saved = client.post(DRAFT + "notice/", {**posted, "notice_date": "2025-04-30"})
    assert saved.status_code == 302
    version.refresh_from_db()
    head = version.data["tables"]["season"]["season"]
    assert head["notice_number"] == "连职称办〔2025〕3号"
    assert head["notice_date"] == {"$date": "2025-04-30"}
    assert version.data["texts"]["notice"].startswith("# 一、总体要求")
    assert "通知文号仍是上一届的" not in client.get(DRAFT).content.decode()


def test_the_pages_read_in_english(db, season, demo_users):
    client = _client(demo_users["city_office"])
    _derive(client, season)
    client.cookies["django_language"] = "en"
    index = client.get(BASE).content.decode()
    assert "New draft from the previous season" in index and "Create draft" in index
    draft = client.get(DRAFT).content.decode()
    assert "Validation problems" in draft and "Publish this version" in draft
    assert "Decision diff preview" in client.get(DRAFT + "diff/").content.decode()

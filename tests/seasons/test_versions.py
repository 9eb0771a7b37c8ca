"""Seasons as stored versions (docs/seasons.md): a package loaded from any folder is a draft
until published, the engine decides under the version an application was decided under, and
a correction reaches new decisions but changes a submitted one only by an audited re-decision."""

from __future__ import annotations

import copy
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories.applications import pdf_upload
from tests.factories.seasons import copy_package, edit
from zhicheng.accounts.models import User
from zhicheng.applications import operations as ops
from zhicheng.applications.models import ApplicantProfile, Application
from zhicheng.applications.profiles import decide_application, validate_facts
from zhicheng.catalogue.models import Series
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import SYSTEM
from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_FACTS, DEMO_PLAN_ROW, DEMO_SPECIALTY
from zhicheng.orgs.models import Organisation
from zhicheng.seasons.loaders import ImportRefused
from zhicheng.seasons.models import (
    CommitteePlan,
    ImmutableVersion,
    Season,
    SeasonVersion,
    VersionStatus,
)
from zhicheng.seasons.operations import correct_dates, load_package, publish_version, redecide

pytestmark = pytest.mark.django_db
NEW = "lianyungang-2025"


def load(folder: Path, code: str = NEW, **options: Any) -> str:
    out = io.StringIO()
    call_command("load_season", code, dir=folder, stdout=out, quiet_warnings=True, **options)
    return out.getvalue()


def applicant(name: str = "王测试") -> User:
    n = User.objects.count() + 1
    user = User.objects.create_user(
        username=f"season-applicant{n}", password="pw-zhicheng-2024", full_name=name,
        email=f"season-applicant{n}@example.invalid",
    )
    ApplicantProfile.objects.create(
        user=user, employer=Organisation.objects.get(name=DEMO_EMPLOYER),
        facts=validate_facts(copy.deepcopy(DEMO_FACTS)), schema_version="1.0",
    )
    return user


def draft(user: User, season: Season) -> Application:
    return ops.start_application(
        user, season=season, plan=CommitteePlan.objects.get(season=season, row=DEMO_PLAN_ROW),
        series_id=Series.objects.get(code="engineering").pk, specialty=DEMO_SPECIALTY,
        level="intermediate", route="normal",
    )


def submitted(user: User, season: Season) -> Application:
    app = draft(user, season)
    ops.add_material(app, user, pdf_upload(), kind="title", title="助理工程师证书",
                     document_date=dt.date(2019, 6, 30))
    ops.accept_commitment(app, user, ip="127.0.0.1")
    ops.submit_application(app, user, token=f"t-{app.pk}")
    app.refresh_from_db()
    return app


def test_a_loaded_package_is_a_draft_and_the_current_season_stays(season, tmp_path, settings):
    settings.ZHICHENG_TODAY = "2025-07-15"
    output = load(copy_package(tmp_path, NEW, years=1))
    new = Season.objects.get(code=NEW)
    assert "第1版（草稿）" in output and "非当前年度" in output
    assert not new.is_current and new.published_version is None
    assert Season.objects.get(is_current=True).code == "lianyungang-2024"
    assert not CommitteePlan.objects.filter(season=new).exists()
    assert new.versions.get().status == VersionStatus.DRAFT


def test_publishing_makes_the_newer_season_current_and_an_old_one_never_again(
    season, tmp_path, settings
):
    settings.ZHICHENG_TODAY = "2025-07-15"
    folder = copy_package(tmp_path, NEW, years=1)
    load(folder)
    output = load(folder, publish_at=dt.date(2025, 5, 8))  # same package: its draft is published
    new = Season.objects.get(code=NEW)
    assert "第1版（已发布）" in output and new.is_current
    assert new.published_version == new.versions.get()
    assert CommitteePlan.objects.filter(season=new).count() == 53
    # A corrected 2024 package published later: a new version of 2024, still not current.
    old = copy_package(tmp_path / "old", "lianyungang-2024")
    edit(old, "plans.csv", "85831080", "85831081")
    load(old, "lianyungang-2024", publish_at=dt.date(2025, 7, 1))
    season.refresh_from_db()
    assert season.published_version.number == 2 and not season.is_current
    assert Season.objects.get(is_current=True).code == NEW
    assert CommitteePlan.objects.get(season=season, row=1).phone == "85831081"


def test_a_season_from_a_folder_outside_the_installation_serves_its_pages(
    season, tmp_path, settings, client
):
    """The reproduction: a 2025 copy loaded with --dir answered 500 on every application page
    (its rules' data was read from the installed package only) and 404 on /notice/."""
    settings.ZHICHENG_TODAY = "2025-07-15"
    load(copy_package(tmp_path, NEW, years=1), publish_at=dt.date(2025, 5, 8))
    new = Season.objects.get(code=NEW)
    user = applicant()
    app = draft(user, new)
    client.force_login(user)
    page = client.get(f"/apply/{app.pk}/")
    assert page.status_code == 200
    _payload, decision = decide_application(app)
    assert decision.season == NEW
    assert decision.seniority is not None
    assert decision.seniority.counted_to == dt.date(2024, 12, 31)
    assert decision.outcomes()["plan.acceptance_window"] == "pass"
    notice = client.get("/notice/")
    assert notice.status_code == 200
    assert "关于做好2025年度全市职称评审工作的通知" in notice.content.decode()


def test_a_broken_package_is_refused_whole_and_changes_nothing(season, tmp_path, settings):
    settings.ZHICHENG_TODAY = "2025-07-15"
    folder = copy_package(tmp_path, NEW, years=1)
    (folder / "exams.toml").unlink()
    edit(folder, "plans.csv", "1,统计（高级）,市统计局", "1,统计（高级）,")
    edit(folder, "season.toml", "[dates.seniority_cutoff]", "[dates.seniority_cut_off]")
    events = AuditEvent.objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="数据库未作任何修改"):
        call_command("load_season", NEW, dir=folder, stdout=io.StringIO(), stderr=err,
                     publish_at=dt.date(2025, 5, 8))
    assert "exams.toml：缺少数据文件" in err.getvalue()
    assert not Season.objects.filter(code=NEW).exists()
    assert AuditEvent.objects.count() == events
    assert Season.objects.get(is_current=True).code == "lianyungang-2024"


def test_a_package_under_another_code_is_refused(season, tmp_path):
    folder = copy_package(tmp_path, NEW, years=1)
    with pytest.raises(ImportRefused, match="不是“lianyungang-2026”"):
        load_package(SYSTEM, folder, code="lianyungang-2026")


def test_a_published_version_is_immutable(season):
    version = season.published_version
    assert version.status == VersionStatus.PUBLISHED and len(version.sha256) == 64
    version.sha256 = "0" * 64
    with pytest.raises(ImmutableVersion):
        version.save()
    with pytest.raises(ImmutableVersion):
        SeasonVersion.objects.get(pk=version.pk).delete()


def test_a_date_the_office_corrects_reaches_the_engine_and_keeps_submitted_decisions(
    season, settings
):
    settings.ZHICHENG_TODAY = "2024-07-15"
    early = submitted(applicant("赵先交"), season)
    assert early.season_version == season.published_version
    corrected = correct_dates(SYSTEM, season, {"seniority_cutoff": dt.date(2022, 12, 31)})
    season.refresh_from_db()
    assert season.seniority_cutoff == dt.date(2022, 12, 31)
    assert corrected.number == 2 and season.published_version == corrected
    assert SeasonVersion.objects.get(season=season, number=1).status == VersionStatus.SUPERSEDED
    # A new application is decided with the corrected date …
    later = draft(applicant("钱后报"), season)
    _p, decision = decide_application(later)
    assert decision.seniority.counted_to == dt.date(2022, 12, 31)
    # … the submitted one keeps the version it was decided under.
    early.refresh_from_db()
    _p, kept = decide_application(early)
    assert kept.seniority.counted_to == dt.date(2023, 12, 31)


def test_the_admin_date_edit_reaches_the_engine(season, settings, client, django_user_model):
    from zhicheng.accounts.totp import activate_totp
    from zhicheng.demo.accounts import DEMO_TOTP_SECRET

    settings.ZHICHENG_TODAY = "2024-07-15"
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "x")
    activate_totp(root, DEMO_TOTP_SECRET)
    client.force_login(root)
    form = {
        "code": season.code, "name": season.name, "year": season.year, "city": season.city,
        "is_current": "on", "notice_number": season.notice_number,
        "notice_title": season.notice_title, "notice_date": season.notice_date.isoformat(),
        "seniority_cutoff": "2023-06-30",
        "materials_cutoff": season.materials_cutoff.isoformat(),
        "committee_notice_due": season.committee_notice_due.isoformat(),
        "evaluation_deadline": season.evaluation_deadline.isoformat(),
        "initial_determination_months": "[6, 11]",
    }
    response = client.post(f"/admin/seasons/season/{season.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    season.refresh_from_db()
    assert season.published_version.number == 2
    _p, decision = decide_application(draft(applicant(), season))
    assert decision.seniority.counted_to == dt.date(2023, 6, 30)
    assert AuditEvent.objects.filter(action="season.load", target_id=str(season.pk)).exists()


def test_redeciding_under_a_corrected_version_lists_whose_verdict_changes(season, settings):
    settings.ZHICHENG_TODAY = "2024-07-15"
    app = submitted(applicant("孙已交"), season)
    # Moving the cut-off back five years leaves the applicant short of seniority.
    corrected = correct_dates(SYSTEM, season, {"seniority_cutoff": dt.date(2019, 12, 31)})
    preview = redecide(SYSTEM, season, dry_run=True)
    assert [(r.application_id, r.old_verdict, r.new_verdict) for r in preview] == [
        (app.pk, "eligible", "ineligible")
    ]
    app.refresh_from_db()
    assert app.season_version.number == 1  # a preview writes nothing
    changes = redecide(SYSTEM, season)
    assert [r.changed for r in changes] == [True]
    app.refresh_from_db()
    assert app.season_version == corrected
    event = AuditEvent.objects.get(action="season.redecide")
    assert "1份判定结果改变" in event.summary
    assert event.data["changes"][0]["application"] == app.pk
    assert redecide(SYSTEM, season) == []  # nothing left on an older version


def test_a_draft_version_can_be_published_at_a_chosen_date(season, tmp_path, settings):
    settings.ZHICHENG_TODAY = "2025-07-15"
    load(copy_package(tmp_path, NEW, years=1))
    version = SeasonVersion.objects.get(season__code=NEW)
    publish_version(SYSTEM, version, dt.date(2025, 6, 1))
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert version.published_on == dt.date(2025, 6, 1)
    assert AuditEvent.objects.filter(action="season.publish").count() == 1

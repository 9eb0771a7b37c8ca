"""Jobs (docs/jobs.md): started by a click and audited once, followed on a status page that
polls until done, the result downloadable by the owner and those with the same permission
only; a failure shows a Chinese reason and keeps nothing half-written."""

from __future__ import annotations

import copy
import datetime as dt
import io
import logging
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from tests.factories.applications import pdf_upload
from zhicheng.accounts.models import User
from zhicheng.accounts.totp import activate_totp
from zhicheng.applications import operations as app_ops
from zhicheng.applications.models import ApplicantProfile
from zhicheng.applications.profiles import validate_facts
from zhicheng.catalogue.models import Series
from zhicheng.certificates import exports as certificate_exports
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import SYSTEM
from zhicheng.demo.accounts import DEMO_TOTP_SECRET
from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_FACTS, DEMO_PLAN_ROW, DEMO_SPECIALTY
from zhicheng.jobs import operations as job_ops
from zhicheng.jobs.models import Job, JobState
from zhicheng.orgs.models import Membership, Organisation, Role
from zhicheng.seasons.models import CommitteePlan
from zhicheng.seasons.operations import correct_dates

pytestmark = pytest.mark.django_db


def _official(username: str, organisation: Any, role: str) -> User:
    """A second official of the same organisation (with their authenticator, as officials must)."""
    user = User.objects.create_user(username=username, password="pw-zhicheng-2024",
                                    full_name="同事")
    Membership.objects.create(user=user, organisation=organisation, role=role, active=True)
    activate_totp(user, DEMO_TOTP_SECRET)
    return user


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _start(client: Client, django_capture_on_commit_callbacks: Any, **form: Any) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/jobs/start/", form)


def test_the_bulk_zip_runs_from_queued_to_done_with_its_download(
        issued, city_office, season, django_capture_on_commit_callbacks, settings):
    certs = [issued(name="甲证书"), issued(name="乙证书")]
    office = _client(city_office)
    page = office.get("/certificates/office/").content.decode()
    assert "打包下载全部电子证书" in page and "2份有效证书" in page

    response = _start(office, django_capture_on_commit_callbacks,
                      kind="certificates.zip", season=season.pk)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.state, job.done, job.total) == (JobState.DONE, 2, 2)
    assert job.started_at and job.finished_at and job.owner == city_office

    status = office.get(f"/jobs/{job.pk}/").content.decode()
    assert "已完成" in status and "2 / 2" in status and "共2份有效电子证书" in status
    assert "hx-trigger" not in status  # finished: the page stops polling
    download = office.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert sorted(names) == sorted(f"{c.number}.pdf" for c in certs)
    assert Path(settings.MEDIA_ROOT, job.result.name).is_file()

    # Starting is one audit event; running and progress write none.
    events = AuditEvent.objects.filter(target_type="jobs.job", target_id=str(job.pk))
    assert [e.action for e in events] == ["job.start"]
    assert "打包下载全部电子证书" in events[0].summary

    mine = office.get("/jobs/").content.decode()
    assert f"/jobs/{job.pk}/" in mine and "已完成" in mine


def test_a_queued_job_polls_and_shows_its_progress(city_office, season, issued):
    issued()
    job = Job.objects.create(kind="certificates.zip", owner=city_office,
                             scope={"season": season.pk}, scope_label=season.name,
                             done=3, total=10, state=JobState.RUNNING)
    office = _client(city_office)
    page = office.get(f"/jobs/{job.pk}/").content.decode()
    assert "进行中" in page and "3 / 10" in page and "30%" in page
    assert f'hx-get="/jobs/{job.pk}/status/"' in page and "hx-trigger" in page
    assert 'id="job-download"' not in page
    assert office.get(f"/jobs/{job.pk}/download/").status_code == 404
    fragment = office.get(f"/jobs/{job.pk}/status/").content.decode()
    assert fragment.lstrip().startswith("<section") and "3 / 10" in fragment


def test_a_failure_shows_a_chinese_reason_logs_the_error_and_keeps_no_file(
        issued, city_office, season, django_capture_on_commit_callbacks, settings,
        monkeypatch, caplog):
    issued()
    issued()

    calls = []

    def broken(cert: Any, **_kwargs: Any) -> bytes:
        calls.append(cert)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return b"%PDF-1.4 first"

    monkeypatch.setattr("zhicheng.certificates.exports.render_certificate", broken)
    office = _client(city_office)
    with caplog.at_level(logging.ERROR, logger="zhicheng.jobs.operations"):
        _start(office, django_capture_on_commit_callbacks,
               kind="certificates.zip", season=season.pk)
    job = Job.objects.get()
    assert job.state == JobState.FAILED and not job.result and not job.result_name
    assert "disk on fire" in caplog.text  # the traceback is in the log …
    page = office.get(f"/jobs/{job.pk}/").content.decode()
    assert "失败" in page and "未生成任何结果" in page
    assert "disk on fire" not in page and "Traceback" not in page  # … never on the page
    assert office.get(f"/jobs/{job.pk}/download/").status_code == 404
    jobs_dir = Path(settings.MEDIA_ROOT, "jobs")
    assert not jobs_dir.exists() or not any(p.is_file() for p in jobs_dir.rglob("*"))


def test_another_person_cannot_follow_or_download_but_the_same_office_can(
        issued, city_office, season, demo_users, django_capture_on_commit_callbacks):
    issued()
    _start(_client(city_office), django_capture_on_commit_callbacks,
           kind="certificates.zip", season=season.pk)
    job = Job.objects.get()
    applicant = _client(demo_users["applicant"])
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status/", f"/jobs/{job.pk}/download/"):
        assert applicant.get(url).status_code == 404
    assert f"/jobs/{job.pk}/" not in applicant.get("/jobs/").content.decode()

    # A colleague of the same city title office holds the same permission on the season.
    office = Membership.objects.filter(user=city_office, role=Role.CITY_OFFICE).first()
    colleague = _official("colleague", office.organisation, Role.CITY_OFFICE)
    assert _client(colleague).get(f"/jobs/{job.pk}/download/").status_code == 200


def test_a_person_without_the_permission_cannot_start_the_job(
        issued, season, demo_users, django_capture_on_commit_callbacks):
    issued()
    response = _start(_client(demo_users["applicant"]), django_capture_on_commit_callbacks,
                      kind="certificates.zip", season=season.pk, next="/jobs/")
    assert response.status_code == 302
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(action="job.start").exists()


def test_the_worklist_export_job_is_the_owners_alone(
        season, demo_users, django_capture_on_commit_callbacks):
    hr = next(u for u in demo_users.values()
              if Membership.objects.filter(user=u, role=Role.UNIT_HR).exists())
    activate_totp(hr, DEMO_TOTP_SECRET)
    client = _client(hr)
    assert "后台导出Excel" in client.get("/review/").content.decode()
    _start(client, django_capture_on_commit_callbacks, kind="reviews.worklist_export",
           state="", plan="", due="", q="")
    job = Job.objects.get()
    assert job.state == JobState.DONE and job.result_name.endswith(".xlsx")
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200
    org = Membership.objects.filter(user=hr, role=Role.UNIT_HR).first().organisation
    other_hr = _official("other-hr", org, Role.UNIT_HR)  # the same unit, their own worklist
    assert _client(other_hr).get(f"/jobs/{job.pk}/download/").status_code == 404


def _submitted(season: Any) -> Any:
    user = User.objects.create_user(username="redecide-applicant", password="pw-zhicheng-2024",
                                    full_name="孙重判", email="redecide@example.invalid")
    ApplicantProfile.objects.create(
        user=user, employer=Organisation.objects.get(name=DEMO_EMPLOYER),
        facts=validate_facts(copy.deepcopy(DEMO_FACTS)), schema_version="1.0",
    )
    app = app_ops.start_application(
        user, season=season, plan=CommitteePlan.objects.get(season=season, row=DEMO_PLAN_ROW),
        series_id=Series.objects.get(code="engineering").pk, specialty=DEMO_SPECIALTY,
        level="intermediate", route="normal",
    )
    app_ops.add_material(app, user, pdf_upload(), kind="title", title="助理工程师证书",
                         document_date=dt.date(2019, 6, 30))
    app_ops.accept_commitment(app, user, ip="127.0.0.1")
    app_ops.submit_application(app, user, token=f"t-{app.pk}")
    app.refresh_from_db()
    return app


def test_redeciding_runs_as_a_job_preview_first_then_applied(
        season, city_office, settings, django_capture_on_commit_callbacks):
    settings.ZHICHENG_TODAY = "2024-07-15"
    app = _submitted(season)
    corrected = correct_dates(SYSTEM, season, {"seniority_cutoff": dt.date(2019, 12, 31)})
    office = _client(city_office)
    assert "预览重新判定" in office.get("/supervision/seasons/").content.decode()

    _start(office, django_capture_on_commit_callbacks,
           kind="seasons.redecide_preview", season=season.pk)
    preview = Job.objects.get()
    assert (preview.state, preview.done, preview.total) == (JobState.DONE, 1, 1)
    assert "1份判定结果将改变（尚未写入）" in office.get(f"/jobs/{preview.pk}/").content.decode()
    app.refresh_from_db()
    assert app.season_version.number == 1  # a preview writes nothing
    assert not AuditEvent.objects.filter(action="season.redecide").exists()

    _start(office, django_capture_on_commit_callbacks,
           kind="seasons.redecide_apply", season=season.pk)
    applied = Job.objects.exclude(pk=preview.pk).get()
    assert applied.state == JobState.DONE and "1份判定结果改变" in applied.result_summary
    app.refresh_from_db()
    assert app.season_version == corrected
    assert AuditEvent.objects.filter(action="season.redecide").count() == 1
    assert office.get(f"/jobs/{applied.pk}/download/").status_code == 200


def test_the_data_report_export_runs_as_a_job_from_the_statistics_page(
        season, city_office, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    office = _client(city_office)
    page = office.get(f"/supervision/statistics/?season={season.code}").content.decode()
    assert 'id="data-report-job"' in page and "后台导出Excel（显示进度）" in page
    _start(office, django_capture_on_commit_callbacks,
           kind="supervision.data_report", season=season.pk)
    job = Job.objects.get()
    assert job.state == JobState.DONE and job.result_name == f"评审数据汇总-{season.name}.xlsx"
    body = b"".join(office.get(f"/jobs/{job.pk}/download/").streaming_content)
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    assert workbook.sheetnames[0] == "各评委会报送" and "口径说明" in workbook.sheetnames


@pytest.mark.django_db(transaction=True)  # the server's thread sees committed rows only
def test_the_embedded_mode_runs_the_job_in_a_thread_so_the_start_returns_at_once(
        issued, city_office, season, settings, monkeypatch):
    issued()
    settings.ZHICHENG_JOBS_THREAD = True
    threads = []
    real = job_ops.in_background
    monkeypatch.setattr(job_ops, "in_background",
                        lambda task, pk: threads.append(real(task, pk)) or threads[-1])
    office = _client(city_office)
    response = office.post("/jobs/start/", {"kind": "certificates.zip", "season": season.pk})
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/" and len(threads) == 1
    threads[0].join()
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.DONE, 1, 1)
    assert office.get(f"/jobs/{job.pk}/download/").status_code == 200


def test_odd_input_is_refused_in_chinese_and_starts_nothing(city_office, season):
    office = _client(city_office)
    assert office.post("/jobs/start/", {"kind": "no.such.kind"}).status_code == 404
    for value in ("", "abc", "99999999", "-1"):
        response = office.post("/jobs/start/", {"kind": "certificates.zip", "season": value,
                                                "next": "https://elsewhere.example/"},
                               follow=True)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == "/jobs/"  # never a foreign address
        text = response.content.decode()
        assert "请选择年度" in text or "您没有权限发起此任务" in text
    assert not Job.objects.exists()
    assert office.get("/jobs/99999/").status_code == 404


def test_a_job_whose_worker_died_is_failed_with_a_reason_not_left_running(city_office, season):
    from django.utils import timezone

    from zhicheng.core.ticker import run_periodic_tasks

    long_ago = timezone.now() - dt.timedelta(hours=4)
    dead = Job.objects.create(kind="certificates.zip", owner=city_office,
                              scope={"season": season.pk}, state=JobState.RUNNING,
                              started_at=long_ago, done=1, total=5)
    lost = Job.objects.create(kind="certificates.zip", owner=city_office,
                              scope={"season": season.pk})
    Job.objects.filter(pk=lost.pk).update(created_at=long_ago)  # queued, never picked up
    alive = Job.objects.create(kind="certificates.zip", owner=city_office,
                               scope={"season": season.pk}, state=JobState.RUNNING,
                               started_at=timezone.now())
    assert sorted(run_periodic_tasks()["jobs.fail_stale"]) == sorted([dead.pk, lost.pk])
    for job in (dead, lost, alive):
        job.refresh_from_db()
    assert dead.state == lost.state == JobState.FAILED and alive.state == JobState.RUNNING
    page = _client(city_office).get(f"/jobs/{dead.pk}/").content.decode()
    assert "可能因服务重启而中断" in page and "hx-trigger" not in page


def test_a_long_job_that_still_reports_progress_is_not_stale(city_office, season):
    long_ago = timezone.now() - dt.timedelta(hours=4)
    busy = Job.objects.create(kind="certificates.zip", owner=city_office,
                              scope={"season": season.pk}, state=JobState.RUNNING,
                              started_at=long_ago, heartbeat_at=timezone.now())
    silent = Job.objects.create(kind="certificates.zip", owner=city_office,
                                scope={"season": season.pk}, state=JobState.RUNNING,
                                started_at=long_ago, heartbeat_at=long_ago)
    assert job_ops.fail_stale(dt.timedelta(hours=3)) == [silent.pk]
    busy.refresh_from_db()
    silent.refresh_from_db()
    assert busy.state == JobState.RUNNING
    assert silent.state == JobState.FAILED and "可能因服务重启而中断" in silent.failure_reason


def test_a_worker_that_finishes_after_its_job_was_failed_as_stale_changes_nothing(
        issued, city_office, season, django_capture_on_commit_callbacks, monkeypatch):
    """The worker froze past the stale limit, the owner was told the job failed, then the
    worker woke and finished: the page keeps saying what it said, and no file is kept."""
    issued()
    real_render = certificate_exports.render_certificate

    def frozen_then_finishes(cert: Any, **kwargs: Any) -> bytes:
        # The periodic task ran while the worker slept (a cutoff a second ahead: stale now).
        job_ops.fail_stale(dt.timedelta(seconds=-1))
        return real_render(cert, **kwargs)

    monkeypatch.setattr("zhicheng.certificates.exports.render_certificate",
                        frozen_then_finishes)
    _start(_client(city_office), django_capture_on_commit_callbacks,
           kind="certificates.zip", season=season.pk)
    job = Job.objects.get()
    assert job.state == JobState.FAILED and "可能因服务重启而中断" in job.failure_reason
    assert not job.result and not job.result_name
    folder = f"jobs/{job.pk}"
    assert not default_storage.exists(folder) or default_storage.listdir(folder) == ([], [])


def test_a_job_state_write_waits_out_a_locked_table_and_raises_anything_else(
        monkeypatch: Any) -> None:
    """The embedded SQLite refuses a write at once while another thread reads the table (the
    status page polling): the job's own writes wait it out instead of failing the job."""
    from django.db import OperationalError

    from zhicheng.jobs import registry

    answers = [OperationalError("database table is locked: jobs_job")] * 3 + [1]

    class Rows:
        def update(self, **_fields: Any) -> int:
            answer = answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer

    monkeypatch.setattr(registry, "LOCK_PAUSE", 0)
    assert registry.update_job(Rows(), done=1) == 1 and answers == []  # type: ignore[arg-type]
    answers[:] = [OperationalError("no such column: done")]
    with pytest.raises(OperationalError, match="no such column"):
        registry.update_job(Rows(), done=1)  # type: ignore[arg-type]

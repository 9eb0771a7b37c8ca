"""The committee office imports an expert roster (评审专家花名册, docs/exchange.md) into its
pool: every problem named by sheet row and column in Chinese, nothing saved before confirm,
GB18030 CSV read, each expert added through the audited `add_expert`, all or nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from tests.factories import imports
from zhicheng.core.models import AuditEvent
from zhicheng.evaluation.models import Expert
from zhicheng.evaluation.roster_import import ROSTER_IMPORT, ROSTER_PREVIEW
from zhicheng.jobs.models import Job
from zhicheng.jobs.tasks import fail_stale

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "证件号码", "专业", "职称层级", "工作单位", "入库日期", "任期届满"]


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def office(world):
    client = Client()
    client.force_login(world.office)
    return client


def _upload(client, world, name, data):
    return imports.upload(client, f"/evaluation/committee/{world.committee.pk}/roster/",
                          name, data)


def _row(world, user, **changes):
    row = {"姓名": user.full_name, "证件号码": user.id_number, "专业": "质量工程",
           "职称层级": "副高级", "工作单位": world.neutral.name, "入库日期": "2024-01-01",
           "任期届满": "2026/12/31"}
    row.update(changes)
    return [row[h] for h in HEADER]


def test_reached_from_the_committee_page_preview_then_confirm(world, office):
    page = office.get(f"/evaluation/committee/{world.committee.pk}/").content.decode()
    assert f"/evaluation/committee/{world.committee.pk}/roster/" in page
    a, b = world.user("王专家"), world.user("李专家")
    data = _xlsx([HEADER, _row(world, a), _row(world, b, 职称层级="正高级")])
    page = _upload(office, world, "花名册.xlsx", data)
    text = page.content.decode()
    assert page.status_code == 200 and "预览专家花名册" in text and "新入库：2" in text
    assert imports.report(page)["can_confirm"] and page.context["job"].done == 2
    assert not Expert.objects.filter(user__in=[a, b]).exists()  # nothing before confirm
    done = imports.confirm(office, page)
    assert "已将2位专家加入" in done.content.decode()
    assert sorted(Expert.objects.filter(user__in=[a, b]).values_list("title_level", flat=True)) \
        == ["associate_senior", "full_senior"]
    assert AuditEvent.objects.filter(action="evaluation.expert.add").count() == 2
    # The preview page now says it was confirmed, and a second confirm is refused.
    again = office.get(f"/jobs/{page.context['job'].pk}/").content.decode()
    assert 'id="zc-confirmed"' in again and 'id="zc-confirm"' not in again
    twice = imports.post_and_run(office, "/jobs/start/", {
        "kind": ROSTER_IMPORT, "preview": page.context["job"].pk})
    assert "不能重复导入" in twice.content.decode()
    assert AuditEvent.objects.filter(action="evaluation.expert.add").count() == 2
    # The stored upload (ID numbers) is deleted once imported.
    assert not Job.objects.get(pk=page.context["job"].pk).upload
    second = _upload(office, world, "花名册.xlsx", data)
    text = second.content.decode()
    assert "已在库：2" in text and 'id="zc-confirm"' not in text and 'id="zc-blocked"' in text


def test_every_problem_by_row_and_column_nothing_written(world, office):
    a, b, c = world.user("甲"), world.user("乙"), world.user("丙")
    data = _xlsx([HEADER,
                  _row(world, a, 职称层级="教授"),
                  _row(world, b, 入库日期="明年"),
                  _row(world, c, 姓名="丙某"),
                  _row(world, a, 证件号码="320706198001019999", 姓名="外人"),
                  _row(world, b, 工作单位="不存在的单位")])
    page = _upload(office, world, "花名册.xlsx", data)
    assert imports.problem_cells(page) == {
        (2, "D列（职称层级）"), (3, "F列（入库日期）"), (4, "A列（姓名）"),
        (5, "B列（证件号码）"), (6, "E列（工作单位（全称或统一社会信用代码））")}
    text = page.content.decode()
    assert "职称层级应为员级、助理级、中级、副高级或正高级，现为“教授”" in text
    assert "无法识别日期“明年”" in text and "姓名与账户不一致" in text
    assert 'id="zc-confirm"' not in text
    preview = page.context["job"]
    assert not preview.upload  # a file that cannot be imported is not kept
    refused = imports.post_and_run(office, "/jobs/start/",
                                   {"kind": ROSTER_IMPORT, "preview": preview.pk})
    assert "不能导入：请按上表改正后重新上传" in refused.content.decode()
    assert not Expert.objects.filter(user__in=[a, b, c]).exists()


def test_gb18030_csv_and_a_bad_file(world, office):
    a = world.user("赵专家")
    text = "\r\n".join([",".join(HEADER), ",".join(_row(world, a, 入库日期="2024年1月1日"))])
    page = _upload(office, world, "花名册.csv", text.encode("gb18030"))
    assert [cells[1] for _tone, cells in imports.report(page)["rows"]] == [str(a)]
    jobs_before = Job.objects.count()
    refused = _upload(office, world, "花名册.xlsx", b"%PDF-1.7 not a table")
    assert refused.request["PATH_INFO"].endswith("/roster/")  # back on the upload page
    assert "花名册.xlsx：文件不是表格" in refused.content.decode()
    broken = _upload(office, world, "花名册.xlsx", b"PK\x03\x04 not really a zip")
    assert "不是有效的Excel工作簿" in broken.content.decode()
    assert Job.objects.count() == jobs_before  # a refused file starts nothing, keeps nothing


def test_a_refused_row_undoes_the_whole_import(world, office, monkeypatch):
    from zhicheng.evaluation import operations as ops

    a, b = world.user("钱专家"), world.user("孙专家")
    page = _upload(office, world, "花名册.xlsx", _xlsx([HEADER, _row(world, a), _row(world, b)]))
    real = ops.add_expert

    def refuse_second(actor, committee, *, user, **kwargs):
        if user == b:
            raise ops.EvaluationError("模拟的拒绝")
        return real(actor, committee, user=user, **kwargs)

    monkeypatch.setattr(ops, "add_expert", refuse_second)
    response = imports.confirm(office, page)
    text = response.content.decode()
    assert 'id="job-failure"' in text and "第3行" in text and "专家库没有任何改动" in text
    assert not Expert.objects.filter(user__in=[a, b]).exists()
    # A failed import may be confirmed again once the cause is gone; the file was kept for it.
    monkeypatch.setattr(ops, "add_expert", real)
    retried = imports.confirm(office, office.get(f"/jobs/{page.context['job'].pk}/"))
    assert "已将2位专家加入" in retried.content.decode()


def test_another_office_cannot_import(world, demo_users, office):
    client = Client()
    client.force_login(demo_users["city_office"])
    assert client.get(f"/evaluation/committee/{world.committee.pk}/roster/").status_code in (
        403, 404)
    forged = client.post("/jobs/upload/", {
        "kind": ROSTER_PREVIEW, "committee": world.committee.pk,
        "file": SimpleUploadedFile("花名册.csv", ",".join(HEADER).encode())})
    assert forged.status_code == 403
    a = world.user("周专家")
    page = _upload(office, world, "花名册.xlsx", _xlsx([HEADER, _row(world, a)]))
    # Someone else may neither see the preview (it holds ID numbers) nor confirm it.
    assert client.get(f"/jobs/{page.context['job'].pk}/").status_code == 404
    imports.post_and_run(client, "/jobs/start/",
                         {"kind": ROSTER_IMPORT, "preview": page.context["job"].pk})
    assert not Expert.objects.filter(user=a).exists()


def test_an_unconfirmed_preview_loses_its_file_after_a_day(world, office):
    a = world.user("吴专家")
    page = _upload(office, world, "花名册.xlsx", _xlsx([HEADER, _row(world, a)]))
    preview = page.context["job"]
    stored = preview.upload.name
    assert stored and default_storage.exists(stored)
    fail_stale.apply()  # the hourly task: a fresh preview keeps its file
    assert default_storage.exists(stored)
    Job.objects.filter(pk=preview.pk).update(
        finished_at=timezone.now() - dt.timedelta(hours=25))
    fail_stale.apply()
    assert not default_storage.exists(stored) and not Job.objects.get(pk=preview.pk).upload
    text = office.get(f"/jobs/{preview.pk}/").content.decode()
    assert "预览超过24小时未确认" in text and 'id="zc-confirm"' not in text
    refused = imports.post_and_run(office, "/jobs/start/",
                                   {"kind": ROSTER_IMPORT, "preview": preview.pk})
    assert "请重新上传" in refused.content.decode()
    assert not Expert.objects.filter(user=a).exists()


def test_the_preview_page_counts_rows_while_they_are_read(world, office):
    """While the rows are read the total is not known yet; the polled block says how many."""
    job = Job.objects.create(kind=ROSTER_PREVIEW, owner=world.office, state="running",
                             scope={"committee": world.committee.pk}, done=1500)
    block = office.get(f"/jobs/{job.pk}/status/").content.decode()
    assert "已读取1500行（总数尚未确定）" in block and "hx-trigger" in block

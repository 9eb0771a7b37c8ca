"""The committee office imports an expert roster (评审专家花名册, docs/exchange.md) into its
pool: every problem named by sheet row and column in Chinese, nothing saved before confirm,
GB18030 CSV read, each expert added through the audited `add_expert`, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from zhicheng.core.models import AuditEvent
from zhicheng.evaluation.models import Expert

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
    return client.post(f"/evaluation/committee/{world.committee.pk}/roster/",
                       {"file": SimpleUploadedFile(name, data)})


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
    assert page.status_code == 200 and "新入库2位" in page.content.decode()
    assert not Expert.objects.filter(user__in=[a, b]).exists()  # nothing before confirm
    done = office.post(f"/evaluation/committee/{world.committee.pk}/roster/confirm/",
                       {"digest": page.context["upload"].digest}, follow=True)
    assert "已将2位专家加入专家库" in done.content.decode()
    assert sorted(Expert.objects.filter(user__in=[a, b]).values_list("title_level", flat=True)) \
        == ["associate_senior", "full_senior"]
    assert AuditEvent.objects.filter(action="evaluation.expert.add").count() == 2
    again = _upload(office, world, "花名册.xlsx", data)
    assert "已在库2位" in again.content.decode() and 'id="zc-confirm"' not in again.content.decode()


def test_every_problem_by_row_and_column_nothing_written(world, office):
    a, b, c = world.user("甲"), world.user("乙"), world.user("丙")
    data = _xlsx([HEADER,
                  _row(world, a, 职称层级="教授"),
                  _row(world, b, 入库日期="明年"),
                  _row(world, c, 姓名="丙某"),
                  _row(world, a, 证件号码="320706198001019999", 姓名="外人"),
                  _row(world, b, 工作单位="不存在的单位")])
    page = _upload(office, world, "花名册.xlsx", data)
    found = {(p.sheet_row, p.column) for p in page.context["preview"].problems}
    assert found == {(2, "D列（职称层级）"), (3, "F列（入库日期）"), (4, "A列（姓名）"),
                     (5, "B列（证件号码）"), (6, "E列（工作单位（全称或统一社会信用代码））")}
    text = page.content.decode()
    assert "职称层级应为员级、助理级、中级、副高级或正高级，现为“教授”" in text
    assert "无法识别日期“明年”" in text and "姓名与账户不一致" in text
    assert 'id="zc-confirm"' not in text
    office.post(f"/evaluation/committee/{world.committee.pk}/roster/confirm/",
                {"digest": page.context["upload"].digest})
    assert not Expert.objects.filter(user__in=[a, b, c]).exists()


def test_gb18030_csv_and_a_bad_file(world, office):
    a = world.user("赵专家")
    text = "\r\n".join([",".join(HEADER), ",".join(_row(world, a, 入库日期="2024年1月1日"))])
    page = _upload(office, world, "花名册.csv", text.encode("gb18030"))
    assert [r.user for r in page.context["preview"].new] == [a]
    refused = _upload(office, world, "花名册.xlsx", b"%PDF-1.7 not a table")
    assert refused.status_code == 400 and "文件不是表格" in refused.content.decode()


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
    response = office.post(f"/evaluation/committee/{world.committee.pk}/roster/confirm/",
                           {"digest": page.context["upload"].digest})
    assert response.status_code == 400 and "第3行" in response.content.decode()
    assert not Expert.objects.filter(user__in=[a, b]).exists()


def test_another_office_cannot_import(world, demo_users):
    client = Client()
    client.force_login(demo_users["city_office"])
    assert client.get(f"/evaluation/committee/{world.committee.pk}/roster/").status_code in (
        403, 404)

"""Audit browsing (city office only): search, keyset pages with constant queries, dossier
links, CSV and Excel exports; the scheduled verification alerts on a tampered row."""

from __future__ import annotations

import csv
import io
import logging

import pytest
from django.test import Client
from openpyxl import load_workbook

from zhicheng.applications.models import Notification
from zhicheng.auditlog.models import ChainCheck
from zhicheng.auditlog.tasks import verify_chain_task
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import operation
from zhicheng.core.ticker import run_periodic_tasks

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def events(actor, n: int, action: str = "test.browse", target=None, summary: str = "") -> None:
    for i in range(n):
        with operation(actor, action, target=target) as op:
            op.summary = summary or f"浏览测试事件{i}"
            if target is not None:
                op.data = {}


def test_search_by_actor_action_dossier_and_text(world) -> None:
    app = world.application("审计甲")
    events(world.city, 2, "test.city_only", summary="市职称办专属摘要")
    events(world.office, 1, "test.on_dossier", target=app, summary="针对申报的事件")
    with operation(world.office, "test.names_dossier") as op:
        op.summary = "数据中提到申报"
        op.data = {"application": app.pk}
    city = login(world.city)

    page = city.get("/supervision/audit/", {"actor": world.city.username}).content.decode()
    assert "市职称办专属摘要" in page and "针对申报的事件" not in page
    page = city.get("/supervision/audit/", {"action": "test.city"}).content.decode()
    assert "市职称办专属摘要" in page and "数据中提到申报" not in page
    page = city.get("/supervision/audit/", {"target": str(app.pk)}).content.decode()
    assert "针对申报的事件" in page and "数据中提到申报" in page
    assert "市职称办专属摘要" not in page
    assert f"/{app.pk}/" in page  # each event links to its dossier
    page = city.get("/supervision/audit/", {"q": "专属"}).content.decode()
    assert "市职称办专属摘要" in page and "针对申报的事件" not in page
    page = city.get("/supervision/audit/", {"date_from": "2099-01-01"}).content.decode()
    assert "没有符合条件的审计事件" in page
    page = city.get("/supervision/audit/", {"date_from": "15/07/2024"}).content.decode()
    assert "不是有效日期" in page


def test_keyset_pages_cover_every_event_once_with_constant_queries(
    world, django_assert_max_num_queries
) -> None:
    events(world.city, 120, "test.page")
    city = login(world.city)
    seen: list[int] = []
    url = "/supervision/audit/?action=test.page"
    with django_assert_max_num_queries(12 + 3) as first:  # + the work bar (constant)
        r = city.get(url)
    pages = 0
    while True:
        pages += 1
        ctx_page = r.context["page"]
        seen += [e.seq for e, _d, _u in r.context["rows"]]
        if ctx_page.older is None:
            break
        with django_assert_max_num_queries(len(first.captured_queries)):
            r = city.get(f"{url}&before={ctx_page.older}")
    expected = list(AuditEvent.objects.filter(action="test.page").order_by("-seq")
                    .values_list("seq", flat=True))
    assert seen == expected and pages == 3
    # back from the last page to the one before it
    newer = city.get(f"{url}&after={seen[100]}")
    assert [e.seq for e, _d, _u in newer.context["rows"]] == seen[50:100]
    assert newer.context["page"].newer == seen[50] and newer.context["page"].older == seen[99]


def test_exports_follow_the_filters(world) -> None:
    events(world.city, 3, "test.export", summary="导出测试")
    events(world.city, 2, "test.other")
    city = login(world.city)
    r = city.get("/supervision/audit/export.csv", {"action": "test.export"})
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["序号", "时间", "操作人", "操作"]
    assert [row[3] for row in rows[1:]] == ["test.export"] * 3
    r = city.get("/supervision/audit/export.xlsx", {"action": "test."})
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    values = list(wb.active.iter_rows(values_only=True))
    assert len(values) == 1 + 5 and values[1][7] == "导出测试"


def test_only_the_city_office_browses(world, demo_users) -> None:
    for name in ("gongxin_committee", "applicant", "haizhou_reviewer"):
        c = login(demo_users[name])
        assert c.get("/supervision/audit/").status_code == 404
        assert c.get("/supervision/audit/export.csv").status_code == 404
        assert c.post("/supervision/audit/verify/").status_code == 404
    assert Client().get("/supervision/audit/").status_code == 302


def test_a_tampered_row_is_caught_alerted_once_and_shown_in_red(
    world, caplog, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    events(world.city, 3, "test.tamper")
    with django_capture_on_commit_callbacks(execute=True):
        assert verify_chain_task.apply(kwargs={"force": True}).get() == "ok"
    city = login(world.city)
    page = city.get("/supervision/audit/").content.decode()
    assert 'id="chain-broken"' not in page and "审计链完整" in page

    victim = AuditEvent.objects.filter(action="test.tamper").order_by("seq").first()
    AuditEvent.objects.filter(pk=victim.pk).update(summary="被悄悄改过的摘要")
    with (caplog.at_level(logging.ERROR, logger="zhicheng.audit"),
          django_capture_on_commit_callbacks(execute=True)):
        result = verify_chain_task.apply(kwargs={"force": True}).get()
    assert result == f"broken at #{victim.seq}"
    check = ChainCheck.objects.order_by("-pk").first()
    assert not check.ok and check.broken_seq == victim.seq and check.alerted
    assert any(f"#{victim.seq}" in r.getMessage() for r in caplog.records)
    alert = Notification.objects.get(user=world.city, kind="audit.chain_broken")
    assert str(victim.seq) in alert.title
    assert any(str(victim.seq) in m.subject and world.city.email in m.to for m in mailoutbox)
    page = city.get("/supervision/audit/").content.decode()
    assert 'id="chain-broken"' in page and str(victim.seq) in page

    # the same break is not alerted again on the next run
    alerts = Notification.objects.filter(kind="audit.chain_broken").count()
    with django_capture_on_commit_callbacks(execute=True):
        verify_chain_task.apply(kwargs={"force": True}).get()
    assert Notification.objects.filter(kind="audit.chain_broken").count() == alerts
    assert ChainCheck.objects.order_by("-pk").first().alerted is False


def test_the_schedule_runs_it_and_throttles_it(world, settings) -> None:
    assert "auditlog.verify_chain" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "sanctions.flag_overdue_corrections" in {
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    results = run_periodic_tasks()
    assert results["auditlog.verify_chain"] == "ok"
    assert run_periodic_tasks()["auditlog.verify_chain"] == "skipped"  # within the interval
    settings.ZHICHENG_AUDIT_VERIFY_SECONDS = 0
    assert run_periodic_tasks()["auditlog.verify_chain"] == "ok"
    assert ChainCheck.objects.count() == 2

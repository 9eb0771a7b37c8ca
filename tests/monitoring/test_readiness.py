"""/readyz: every check named with a machine-readable and a Chinese status, 503 when one fails;
/healthz stays the trivial liveness answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.utils import ConnectionHandler
from django.test import Client
from django.utils import timezone

from zhicheng.monitoring import readiness
from zhicheng.monitoring.tasks import HEARTBEAT_KEY, heartbeat_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_worker(settings: Any) -> None:
    """Production-like: tasks go to a broker (kombu's in-memory one), a worker must beat."""
    settings.CELERY_TASK_ALWAYS_EAGER = False


def by_name(body: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {c["name"]: c for c in body["checks"]}


def test_ready_when_everything_answers(with_worker: None) -> None:
    heartbeat_task()
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["status_label"] == "就绪"
    checks = by_name(body)
    assert {"database:default", "cache", "broker", "worker", "disk", "audit"} <= set(checks)
    assert checks["worker"]["status"] == "ok"
    assert checks["database:default"]["label"] == "数据库（主库）"
    assert all(c["status_label"] in {"正常", "不适用"} for c in checks.values())


def test_unreachable_database_makes_it_503_and_names_the_database(
    with_worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    heartbeat_task()
    down = ConnectionHandler({"default": {
        "ENGINE": "django.db.backends.postgresql", "NAME": "zhicheng", "USER": "zhicheng",
        "HOST": "127.0.0.1", "PORT": "1", "OPTIONS": {"connect_timeout": 2},
    }})
    monkeypatch.setattr(readiness, "connections", down)
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["status_label"] == "未就绪"
    database = by_name(body)["database:default"]
    assert database["status"] == "fail" and database["status_label"] == "异常"
    assert database["detail"].startswith("无法连接")
    # Liveness does not care.
    assert Client().get("/healthz").status_code == 200


def test_a_stale_worker_heartbeat_makes_it_503(with_worker: None, settings: Any) -> None:
    from django.core.cache import cache

    stale = timezone.now() - dt.timedelta(seconds=settings.ZHICHENG_HEARTBEAT_MAX_AGE_SECONDS + 60)
    cache.set(HEARTBEAT_KEY, {"at": stale.isoformat(), "host": "w1"}, timeout=None)
    response = Client().get("/readyz")
    assert response.status_code == 503
    worker = by_name(response.json())["worker"]
    assert worker["status"] == "fail" and "心跳" in worker["detail"]
    # The web scope (what a load balancer polls) does not depend on the worker.
    web = Client().get("/readyz?scope=web")
    assert web.status_code == 200 and "worker" not in by_name(web.json())


def test_no_worker_ever_is_not_ready(with_worker: None) -> None:
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert by_name(response.json())["worker"]["detail"] == "没有任何后台任务进程报告过心跳"


def test_embedded_mode_marks_broker_and_worker_not_applicable() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    checks = by_name(response.json())
    assert checks["broker"]["status"] == "skipped" and checks["broker"]["status_label"] == "不适用"
    assert checks["worker"]["status"] == "skipped"


def test_low_disk_and_an_old_or_broken_audit_verification_fail(
    settings: Any, season: Any
) -> None:
    from zhicheng.auditlog.models import ChainCheck

    settings.ZHICHENG_READY_MIN_FREE_MB = 10**12
    assert readiness.check_disk().status == "fail"
    assert readiness.check_audit().status == "ok"  # never verified yet: not a failure
    old = timezone.now() - dt.timedelta(seconds=3 * settings.ZHICHENG_AUDIT_VERIFY_SECONDS)
    ChainCheck.objects.create(checked_at=old, ok=True, count=3, broken_seq=None, reason="")
    assert readiness.check_audit().status == "fail"
    ChainCheck.objects.create(checked_at=timezone.now(), ok=False, count=3, broken_seq=2,
                              reason="hash")
    audit = readiness.check_audit()
    assert audit.status == "fail" and "第2条" in audit.detail
    ChainCheck.objects.create(checked_at=timezone.now(), ok=True, count=3, broken_seq=None,
                              reason="")
    assert readiness.check_audit().status == "ok"


def test_the_readyz_command_prints_chinese_statuses_and_fails_on_a_stale_worker(
    with_worker: None, settings: Any
) -> None:
    import io

    from django.core.cache import cache
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("readyz", "--scope", "web", stdout=out)
    text = out.getvalue()
    assert "数据库（主库）：正常" in text and text.rstrip().endswith("就绪")
    assert "ok" not in text
    stale = timezone.now() - dt.timedelta(seconds=settings.ZHICHENG_HEARTBEAT_MAX_AGE_SECONDS + 1)
    cache.set(HEARTBEAT_KEY, {"at": stale.isoformat(), "host": "w1"}, timeout=None)
    with pytest.raises(CommandError, match="未就绪：后台任务进程"):
        call_command("readyz", stdout=io.StringIO())


def test_production_without_a_site_address_is_not_ready(settings) -> None:
    from django.core.checks import run_checks as django_checks

    from zhicheng.monitoring.readiness import check_site_url

    settings.PRODUCTION = True
    settings.ZHICHENG_SITE_URL = ""
    check = check_site_url()
    assert check.status == "fail" and "ZHICHENG_SITE_URL" in check.detail
    errors = [m for m in django_checks(include_deployment_checks=True) if m.id == "zhicheng.E001"]
    assert errors and "ZHICHENG_SITE_URL" in errors[0].msg
    settings.ZHICHENG_SITE_URL = "https://zhicheng.example.gov.cn"
    assert check_site_url().status == "ok"
    assert not [m for m in django_checks(include_deployment_checks=True)
                if m.id == "zhicheng.E001"]

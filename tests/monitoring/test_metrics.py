"""/metrics: Prometheus text behind a bearer token; operations by action, failed mails,
requests by view (django-prometheus)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TOKEN = "metrics-" + "x" * 32


def scrape(token: str | None = TOKEN) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get("/metrics", headers=headers)


def value(text: str, line_start: str) -> float:
    for line in text.splitlines():
        if line.startswith(line_start):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_without_a_configured_token_there_is_no_metrics_page(settings: Any) -> None:
    settings.ZHICHENG_METRICS_TOKEN = ""
    assert scrape().status_code == 404


def test_a_missing_or_wrong_token_is_refused(settings: Any) -> None:
    settings.ZHICHENG_METRICS_TOKEN = TOKEN
    assert scrape(None).status_code == 401
    assert scrape("wrong").status_code == 401


def test_committed_operations_are_counted_by_action(
    settings: Any, season: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from zhicheng.auditlog.operations import record_check

    settings.ZHICHENG_METRICS_TOKEN = TOKEN
    key = 'zhicheng_operations_total{action="audit.verify"}'
    before = value(scrape().content.decode(), key)
    with django_capture_on_commit_callbacks(execute=True):
        record_check()
    response = scrape()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert value(response.content.decode(), key) == before + 1


def test_a_failed_notification_mail_is_counted(settings: Any, demo_users: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from zhicheng.applications import delivery
    from zhicheng.applications.models import Notification

    settings.ZHICHENG_METRICS_TOKEN = TOKEN
    key = 'zhicheng_mails_failed_total{kind="notification"}'
    before = value(scrape().content.decode(), key)
    n = Notification.objects.create(user=demo_users["applicant"], kind="smoke", title="t",
                                    body="b")
    (d,) = delivery.plan_deliveries(n)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(delivery, "send_mail", refuse)
    assert delivery.attempt(d.pk) is False
    assert value(scrape().content.decode(), key) == before + 1


def test_requests_are_counted_by_view_and_status(settings: Any, season: Any) -> None:
    settings.ZHICHENG_METRICS_TOKEN = TOKEN
    settings.MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware", *settings.MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]
    assert Client().get("/plans/").status_code == 200
    text = scrape().content.decode()
    assert any(line.startswith("django_http_responses_total_by_status_view_method_total")
               and 'view="portal:plans"' in line and 'status="200"' in line
               for line in text.splitlines()), text[:2000]
    assert "django_http_requests_latency_seconds_by_view_method" in text
    assert "zhicheng_request_db_queries" in text

"""Structured logs: one JSON line per request and per operation with the request id, user id,
organisation and action; never an ID number or a password."""

from __future__ import annotations

import io
import json
import logging
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pythonjsonlogger.json import JsonFormatter

import zhicheng

pytestmark = pytest.mark.django_db

ID_NUMBER = "320706199003151237"  # the demo applicant's


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s",
                                       json_ensure_ascii=False))
    loggers = [logging.getLogger(n) for n in ("zhicheng.request", "zhicheng.operation")]
    saved = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    yield stream
    for lg, level in zip(loggers, saved, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_one_line_per_request_with_its_id_and_nothing_typed(
    json_lines: io.StringIO, demo_users: Any, demo_password: str
) -> None:
    client = Client()
    response = client.get(f"/verify/?q={ID_NUMBER}", headers={"X-Request-ID": "lb-42"})
    assert response["X-Request-ID"] == "lb-42"
    client.post("/accounts/login/", {"login": "applicant", "password": demo_password})
    client.get("/accounts/login/", headers={"X-Request-ID": "bad id\nforged line"})
    found = lines(json_lines)
    requests = [r for r in found if r.get("event") == "request"]
    assert len(requests) == 3
    first, login, forged = requests
    assert first["request_id"] == "lb-42" and first["status"] == 200
    assert first["path"] == "/verify/" and first["view"] and first["user_id"] is None
    assert isinstance(first["db_queries"], int) and first["duration_ms"] >= 0
    assert login["method"] == "POST" and login["user_id"] == demo_users["applicant"].pk
    assert forged["request_id"] != "bad id\nforged line" and len(forged["request_id"]) == 32
    text = json_lines.getvalue()
    assert ID_NUMBER not in text and demo_password not in text


def test_an_officials_request_names_the_organisation(
    json_lines: io.StringIO, demo_users: Any
) -> None:
    from zhicheng.orgs.models import Membership

    user = demo_users["unit_hr"]
    client = Client()
    client.force_login(user)
    client.get("/")
    request = [r for r in lines(json_lines) if r.get("event") == "request"][-1]
    assert request["user_id"] == user.pk
    assert request["organisation"] == sorted(
        Membership.objects.filter(user=user, active=True).values_list("organisation_id",
                                                                      flat=True))
    assert request["organisation"]


def test_one_line_per_committed_operation_with_the_action(
    json_lines: io.StringIO, season: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from zhicheng.auditlog.operations import record_check

    with django_capture_on_commit_callbacks(execute=True):
        check = record_check()
    operation = [r for r in lines(json_lines) if r.get("event") == "operation"]
    assert len(operation) == 1
    assert operation[0]["action"] == "audit.verify"
    assert operation[0]["target_type"] == "auditlog.chaincheck"
    assert operation[0]["target_id"] == check.pk
    assert "summary" not in operation[0] and "data" not in operation[0]


def test_json_logs_and_error_reports_are_switched_on_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ZHICHENG_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ZHICHENG_LOG_FORMAT", "json")
    monkeypatch.setenv("ZHICHENG_METRICS_TOKEN", "t" * 40)
    conf = runpy.run_path(str(Path(zhicheng.__file__).with_name("settings.py")))
    assert conf["LOGGING"]["handlers"]["console"]["formatter"] == "json"
    assert conf["LOGGING"]["loggers"]["zhicheng.request"]["level"] == "INFO"
    assert conf["MIDDLEWARE"][0] == "django_prometheus.middleware.PrometheusBeforeMiddleware"
    assert conf["MIDDLEWARE"][-1] == "django_prometheus.middleware.PrometheusAfterMiddleware"
    monkeypatch.delenv("ZHICHENG_LOG_FORMAT")
    monkeypatch.delenv("ZHICHENG_METRICS_TOKEN")
    plain = runpy.run_path(str(Path(zhicheng.__file__).with_name("settings.py")))
    assert "formatters" not in plain["LOGGING"]
    assert not any("prometheus" in m for m in plain["MIDDLEWARE"])


def test_error_reports_go_to_the_sentry_dsn_without_personal_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sentry_sdk

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **kw: calls.append(kw))
    monkeypatch.setenv("ZHICHENG_VAR_DIR", str(tmp_path))
    runpy.run_path(str(Path(zhicheng.__file__).with_name("settings.py")))
    assert calls == []
    monkeypatch.setenv("ZHICHENG_SENTRY_DSN", "https://key@errors.example.gov.cn/3")
    runpy.run_path(str(Path(zhicheng.__file__).with_name("settings.py")))
    assert calls[0]["dsn"] == "https://key@errors.example.gov.cn/3"
    assert calls[0]["send_default_pii"] is False
    assert calls[0]["include_local_variables"] is False

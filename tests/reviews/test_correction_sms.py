"""A correction request (补正, 四（三）) reaches the applicant by SMS as well as e-mail: the
text names what to do and the deadline, in Chinese, with an absolute link."""

from __future__ import annotations

from typing import Any

import pytest

from zhicheng.applications.models import DeliveryState
from zhicheng.reviews import operations as rops

pytestmark = pytest.mark.django_db


def test_a_correction_request_sends_an_sms_with_an_absolute_link(
    chain: Any, demo_users: Any, settings: Any, capsys: Any, mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.ZHICHENG_SMS_BACKEND = "console"  # what `make run` prints
    settings.ZHICHENG_SITE_URL = "https://zhicheng.example.gov.cn"
    app = chain.at_preliminary()
    app.applicant.phone = "13912345678"
    app.applicant.save(update_fields=["phone"])
    capsys.readouterr()
    with django_capture_on_commit_callbacks(execute=True):
        request = rops.request_corrections(app, demo_users["haizhou_reviewer"], items=[
            {"target": "section:education", "problem": "毕业时间与学信网报告不一致"},
        ])
    due = request.due_date.isoformat()
    link = f"https://zhicheng.example.gov.cn/review/mine/{app.pk}/"
    out = capsys.readouterr().out
    text = f"【职称评审】请于{due}前补正申报材料，逾期视为放弃：{link}"
    assert f"[短信] 发往 139****5678：{text}" in out
    mail = next(m for m in mailoutbox if m.to == [app.applicant.email])
    assert link in mail.body and "毕业时间与学信网报告不一致" in mail.body
    assert "section:education" not in mail.body and "section:education" not in out
    n = app.applicant.notifications.get(kind="review.corrections_requested")
    assert sorted(n.deliveries.values_list("channel", "state")) == [
        ("email", DeliveryState.SENT), ("sms", DeliveryState.SENT)]


def test_an_applicant_who_chose_e_mail_only_gets_no_sms(
    chain: Any, demo_users: Any, settings: Any, capsys: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.ZHICHENG_SMS_BACKEND = "console"
    app = chain.at_preliminary()
    app.applicant.phone = "13912345678"
    app.applicant.notify_channels = "email"
    app.applicant.save(update_fields=["phone", "notify_channels"])
    capsys.readouterr()
    with django_capture_on_commit_callbacks(execute=True):
        rops.request_corrections(app, demo_users["haizhou_reviewer"], items=[
            {"target": "section:education", "problem": "毕业时间与学信网报告不一致"},
        ])
    assert "[短信]" not in capsys.readouterr().out

"""Objections: anyone may file one during the period; the posting organisation resolves it
in writing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from zhicheng.applications.models import Notification
from zhicheng.applications.states import State
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import NotPermitted, StateConflict
from zhicheng.publicity.models import Objection, ObjectionState, Outcome
from zhicheng.publicity.operations import (
    ObjectionRefused,
    Throttled,
    close_due_publicities,
    file_objection,
    open_publicity,
    resolve_objection,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_publicity(make_application: Any, unit_hr: Any, today: Any) -> Any:
    today("2024-09-27")
    return open_publicity(make_application(), "unit", unit_hr)


@pytest.fixture
def pre_publicity(make_application: Any, committee_office: Any, today: Any) -> Any:
    today("2024-09-27")
    app = make_application(State.PRE_EVALUATION_PUBLICITY)
    return open_publicity(app, "pre_evaluation", committee_office)


def file(publicity: Any, **kwargs: Any) -> Objection:
    data = {"name": "", "contact": "13912345678", "text": "论文系代写", "ip": "10.0.0.1"}
    data.update(kwargs)
    return file_objection(publicity, **data)


# --- filing ---------------------------------------------------------------------------------


def test_name_is_optional_contact_is_required(unit_publicity: Any) -> None:
    o = file(unit_publicity, name="")
    assert o.name == "" and o.state == ObjectionState.OPEN and o.ip == "10.0.0.1"
    named = file(unit_publicity, name=" 王某 ", contact="wang@example.com")
    assert (named.name, named.contact) == ("王某", "wang@example.com")
    for contact, message in [
        ("", "请填写联系方式"),
        ("12345", "有效的电话号码"),
        ("wang@", "电子邮箱格式不正确"),
    ]:
        with pytest.raises(ValidationError) as info:
            file(unit_publicity, contact=contact)
        assert message in info.value.message_dict["contact"][0]
    with pytest.raises(ValidationError) as info:
        file(unit_publicity, text="   ")
    assert "请填写异议内容" in info.value.message_dict["text"][0]
    assert unit_publicity.objections.count() == 2


def test_landline_with_area_code_is_a_contact(unit_publicity: Any) -> None:
    assert file(unit_publicity, contact="0518-85551234").contact == "0518-85551234"


def test_filing_is_audited_as_the_public_and_tells_the_unit(
    unit_publicity: Any, unit_hr: Any
) -> None:
    o = file(unit_publicity, name="匿名者", text="学历存疑")
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.action == "publicity.objection.file"
    assert event.actor_id is None and event.data["actor"] == "公众"
    assert event.target_id == str(o.pk) and event.data["ip"] == "10.0.0.1"
    assert "学历存疑" not in str(event.data)  # the text stays in its row; the chain keeps a hash
    note = Notification.objects.get(user=unit_hr, kind="publicity.objection")
    assert "张公示" in note.title and note.url.endswith(f"/publicity/objections/{o.pk}/")


def test_refused_before_the_period_after_it_and_once_closed(
    make_application: Any, unit_hr: Any, today: Any
) -> None:
    today("2024-09-26")
    p = open_publicity(make_application(), "unit", unit_hr, first_day=dt.date(2024, 9, 27))
    with pytest.raises(ObjectionRefused, match="公示自2024年9月27日开始"):
        file(p)
    today("2024-10-09")
    file(p)  # the last day belongs to the period
    today("2024-10-10")
    with pytest.raises(ObjectionRefused, match="公示期已于2024年10月9日结束"):
        file(p)
    close_due_publicities()
    p.refresh_from_db()
    with pytest.raises(ObjectionRefused, match="该公示已结束"):
        file(p)
    assert p.objections.count() == 1


def test_filing_is_throttled_per_address(unit_publicity: Any) -> None:
    for _ in range(5):
        file(unit_publicity, ip="10.0.0.9")
    with pytest.raises(Throttled, match="最多提交5件"):
        file(unit_publicity, ip="10.0.0.9")
    file(unit_publicity, ip="10.0.0.10")  # another address is not affected
    assert unit_publicity.objections.count() == 6


def test_invalid_input_does_not_use_up_the_allowance(unit_publicity: Any, settings: Any) -> None:
    settings.ZHICHENG_OBJECTION_THROTTLE = (2, 3600)
    for _ in range(3):
        with pytest.raises(ValidationError):
            file(unit_publicity, contact="x", ip="10.0.0.7")
    file(unit_publicity, ip="10.0.0.7")
    file(unit_publicity, ip="10.0.0.7")
    with pytest.raises(Throttled):
        file(unit_publicity, ip="10.0.0.7")


# --- resolving ------------------------------------------------------------------------------


def test_resolution_needs_written_text_and_an_outcome(unit_publicity: Any, unit_hr: Any) -> None:
    o = file(unit_publicity)
    with pytest.raises(ValidationError) as info:
        resolve_objection(o, unit_hr, resolution="  ", outcome=Outcome.DISMISSED)
    assert "请书面填写处理意见" in info.value.message_dict["resolution"][0]
    with pytest.raises(ValidationError):
        resolve_objection(o, unit_hr, resolution="经核实不属实", outcome="maybe")
    o.refresh_from_db()
    assert o.state == ObjectionState.OPEN
    resolved = resolve_objection(
        o, unit_hr, resolution="经核对原件，论文为本人发表。", outcome=Outcome.DISMISSED
    )
    assert resolved.state == ObjectionState.RESOLVED and resolved.resolved_by == unit_hr
    assert resolved.resolved_at is not None
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.action == "publicity.objection.resolve"
    assert event.actor == unit_hr and event.data["outcome"] == "dismissed"
    with pytest.raises(StateConflict):
        resolve_objection(o, unit_hr, resolution="再次处理", outcome=Outcome.UPHELD)


def test_only_the_posting_organisation_resolves(
    unit_publicity: Any, pre_publicity: Any, unit_hr: Any, other_unit_hr: Any,
    committee_office: Any, demo_users: Any,
) -> None:
    from zhicheng.accounts.models import User

    root = User.objects.create_superuser("root", "root@example.invalid", "pw")
    unit_objection = file(unit_publicity)
    for actor in (
        other_unit_hr, committee_office, demo_users["city_office"],
        unit_publicity.application.applicant, root,
    ):
        with pytest.raises(NotPermitted):
            resolve_objection(unit_objection, actor, resolution="不属实", outcome="dismissed")
    pre_objection = file(pre_publicity)
    with pytest.raises(NotPermitted):
        resolve_objection(pre_objection, unit_hr, resolution="不属实", outcome="dismissed")
    resolve_objection(pre_objection, committee_office, resolution="属实", outcome="upheld")
    resolve_objection(unit_objection, unit_hr, resolution="不属实", outcome="dismissed")
    assert not Objection.objects.filter(state=ObjectionState.OPEN).exists()


def test_an_inactive_membership_no_longer_resolves(unit_publicity: Any, unit_hr: Any) -> None:
    from zhicheng.orgs.models import Membership

    o = file(unit_publicity)
    Membership.objects.filter(user=unit_hr).update(active=False)
    with pytest.raises(NotPermitted):
        resolve_objection(o, unit_hr, resolution="不属实", outcome="dismissed")

"""The integrity archive: a record blocks the person's applications until it expires (time
travel), cover-up records for units and staff, city office only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from zhicheng.applications.profiles import decide_application
from zhicheng.core.operations import NotPermitted
from zhicheng.integrity.models import IntegrityRecord
from zhicheng.integrity.operations import record_cover_up, write_record
from zhicheng.integrity.queries import running_for_person

pytestmark = pytest.mark.django_db


def _integrity_outcome(app) -> str:
    _payload, decision = decide_application(app)
    outcomes = [f.outcome for f in decision.findings if f.rule == "integrity.record"]
    return outcomes[0] if outcomes else ""


def test_record_blocks_until_it_expires(make_approved, city_office, settings) -> None:
    settings.ZHICHENG_TODAY = ""
    with time_machine.travel(dt.datetime(2024, 7, 15, 12, tzinfo=dt.UTC), tick=False):
        app = make_approved(state="draft")
        before = _integrity_outcome(app)
        assert before not in ("fail",)
        write_record(city_office, subject_kind="person", person=app.applicant, reason="fraud",
                     description="伪造业绩证明", decision_number="连职称办〔2024〕40号")
        record = IntegrityRecord.objects.get(person=app.applicant)
        assert (record.start, record.end) == (dt.date(2024, 7, 15), dt.date(2027, 7, 15))
        assert _integrity_outcome(app) == "fail"
        assert running_for_person(app.applicant, dt.date(2024, 7, 15)).exists()
    with time_machine.travel(dt.datetime(2027, 7, 15, 12, tzinfo=dt.UTC), tick=False):
        assert _integrity_outcome(app) == "fail"  # the last day still runs
    with time_machine.travel(dt.datetime(2027, 7, 16, 12, tzinfo=dt.UTC), tick=False):
        assert _integrity_outcome(app) != "fail"
        assert not running_for_person(app.applicant, dt.date(2027, 7, 16)).exists()


def test_blocked_applicant_cannot_submit(make_approved, city_office) -> None:
    from zhicheng.applications.states import GUARDS

    app = make_approved(state="draft")
    assert GUARDS["no_failing_finding"](app, app.applicant) is None or True
    write_record(city_office, subject_kind="person", person=app.applicant, reason="fraud",
                 description="伪造", decision_number="d")
    reason = GUARDS["no_failing_finding"](app, app.applicant)
    assert reason and "诚信档案" in reason


def test_revocation_blocks_the_next_application(issued, city_office) -> None:
    from zhicheng.applications.models import Application
    from zhicheng.certificates.operations import revoke_certificate

    cert = issued()
    revoke_certificate(cert, city_office, evidence="伪造", decision_number="d")
    app = Application.objects.get(pk=cert.application_id)
    assert _integrity_outcome(app) == "fail"


def test_cover_up_records_for_units_and_staff(city_office, demo_users) -> None:
    from zhicheng.orgs.models import Organisation

    unit = Organisation.objects.get(name="连云港海澜智能装备有限公司")
    r1 = record_cover_up(city_office, organisation=unit, description="出具虚假证明",
                         decision_number="连职称办〔2024〕41号")
    r2 = record_cover_up(city_office, staff=demo_users["unit_hr"], description="明知造假仍审核通过",
                         decision_number="连职称办〔2024〕42号")
    assert (r1.subject_kind, r1.subject_name) == ("unit", unit.name)
    assert (r2.subject_kind, r2.person) == ("staff", demo_users["unit_hr"])
    assert r1.reason == r2.reason == "cover_up"
    with pytest.raises(NotPermitted):
        record_cover_up(demo_users["unit_hr"], organisation=unit, description="x",
                        decision_number="y")


def test_a_record_keeps_the_record_period_it_was_written_with(make_approved, city_office) -> None:
    from zhicheng.core.models import AuditEvent

    app = make_approved()
    record = write_record(city_office, subject_kind="person", person=app.applicant,
                          reason="fraud", description="伪造论文",
                          decision_number="连职称办〔2024〕9号", application=app)
    assert record.end == record.start.replace(year=record.start.year + 3)
    event = AuditEvent.objects.filter(action="integrity.record").latest("pk")
    assert event.data["parameters"]["periods.integrity_record_years"] == {
        "value": 3, "source": "season", "clause": "五（四）"}

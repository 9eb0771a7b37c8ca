import io

import pytest
from django.core.management import call_command

from zhicheng.core.audit import append_event, event_digest, verify_chain
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import SYSTEM, NotPermitted, operation, save_instance
from zhicheng.orgs.models import District


def _write_events(n: int) -> None:
    for i in range(n):
        with operation(SYSTEM, "test.event") as op:
            op.summary = f"event {i}"
            op.data = {"i": i, "名称": "测试"}


@pytest.mark.django_db
def test_verify_reports_ok_with_the_count(season):
    before = AuditEvent.objects.count()
    _write_events(3)
    result = verify_chain()
    assert result.ok and result.count == before + 3
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().startswith(f"OK: {before + 3} events")


@pytest.mark.django_db
def test_altering_a_stored_event_breaks_the_chain_at_exactly_that_event(season):
    _write_events(5)
    victim = AuditEvent.objects.order_by("-seq")[2]
    AuditEvent.objects.filter(pk=victim.pk).update(summary="篡改后的摘要")
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == victim.seq
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", stderr=err)
    assert exit_info.value.code == 1
    assert f"#{victim.seq}" in err.getvalue()


@pytest.mark.django_db
def test_deleting_an_event_is_detected(season):
    _write_events(4)
    victim = AuditEvent.objects.order_by("-seq")[1]
    AuditEvent.objects.filter(pk=victim.pk).delete()
    result = verify_chain()
    assert not result.ok and result.broken_seq == victim.seq


@pytest.mark.django_db
def test_truncating_the_tail_is_detected(season):
    _write_events(3)
    last = AuditEvent.objects.order_by("-seq").first()
    AuditEvent.objects.filter(pk=last.pk).delete()
    assert not verify_chain().ok


@pytest.mark.django_db
def test_an_event_stored_beyond_the_head_is_detected(season):
    _write_events(2)
    last = AuditEvent.objects.order_by("-seq").first()
    forged = AuditEvent(seq=last.seq + 1, created_at=last.created_at, actor_label="系统",
                        action="test.forged", summary="未经链头写入", data={},
                        prev_hash=last.hash)
    forged.hash = event_digest(forged)
    forged.save()  # the head is not moved: the event is outside the chain
    result = verify_chain()
    assert not result.ok and f"#{forged.seq}" in result.reason


@pytest.mark.django_db
def test_appends_during_a_check_are_not_a_break(season, monkeypatch):
    """The periodic check runs while officials work: an operation that commits after the
    check has read the chain head belongs to the next check, it is not a broken chain."""
    from zhicheng.core import audit

    _write_events(3)
    read_head = audit._read_head

    calls = []

    def head_then_a_concurrent_append():
        head = read_head()
        if not calls:
            _write_events(2)  # another request commits right after the head was read
        calls.append(head)
        return head

    monkeypatch.setattr(audit, "_read_head", head_then_a_concurrent_append)
    result = verify_chain()
    monkeypatch.undo()
    assert result.ok, result
    assert result.count == AuditEvent.objects.count() - 2
    assert verify_chain().ok and verify_chain().count == AuditEvent.objects.count()


@pytest.mark.django_db(transaction=True)
def test_events_are_written_only_inside_a_transaction():
    with pytest.raises(RuntimeError):
        append_event(actor=SYSTEM, action="test.outside")


@pytest.mark.django_db
def test_a_refused_operation_writes_nothing(season, demo_users):
    before = AuditEvent.objects.count()
    district = District.objects.get(code="haizhou")
    district.name = "被拒绝的修改"
    with pytest.raises(NotPermitted):
        save_instance(demo_users["applicant"], district, changed=["name"])
    assert AuditEvent.objects.count() == before
    assert District.objects.get(code="haizhou").name == "海州区"


@pytest.mark.django_db
def test_city_office_change_is_saved_with_one_audit_event(season, demo_users):
    before = AuditEvent.objects.count()
    district = District.objects.get(code="haizhou")
    district.plan_row = 66
    district.name = "海州区（测试）"
    save_instance(demo_users["city_office"], district, changed=["name"])
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.actor == demo_users["city_office"]
    assert event.target_type == "orgs.district" and event.target_id == str(district.pk)
    assert event.data["fields"] == {"name": "海州区（测试）"}

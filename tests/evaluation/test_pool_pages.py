"""The committee office's pages for its committee (pool experts, members, composition rules)
and the expert's own page (meetings they may be drawn for, conflict declarations), all
through audited operations; other offices get 404, the city office may look but not act."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhicheng.core.models import AuditEvent
from zhicheng.evaluation import operations as ops
from zhicheng.evaluation.models import CommitteeMember, ConflictDeclaration, Expert, MemberRole


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_office_manages_pool_and_members_with_the_composition_report(world) -> None:
    office = _client(world.office)
    url = f"/evaluation/committee/{world.committee.pk}/"
    page = office.get(url).content.decode()
    assert "委员人数为0人，应为单数" in page  # the rule report on the page

    newcomer = world.user("新专家")
    r = office.post(f"{url}act/add_expert/", {
        "expert-username": newcomer.username, "expert-specialty": "质量工程",
        "expert-title_level": "associate_senior", "expert-unit": world.neutral.name,
        "expert-term_start": "2024-01-01", "expert-term_end": "2026-12-31"})
    assert r.status_code == 302
    expert = Expert.objects.get(user=newcomer)
    assert expert.unit == world.neutral and _events("evaluation.expert.add") == 1

    office.post(f"{url}act/seat/", {"expert": expert.pk, "role": "chair"})
    member = CommitteeMember.objects.get(committee=world.committee, expert=expert)
    assert member.role == MemberRole.CHAIR and _events("evaluation.member.seat") == 1
    page = office.get(url).content.decode()
    assert "委员应不少于7人，现有1人" in page and "应有且只有一名主任委员" not in page

    office.post(f"{url}act/role/", {"member": member.pk, "role": "vice_chair"})
    member.refresh_from_db()
    assert member.role == MemberRole.VICE_CHAIR
    assert "应有且只有一名主任委员（现有0名）" in office.get(url).content.decode()

    office.post(f"{url}act/deactivate/", {"expert": expert.pk})
    expert.refresh_from_db()
    assert not expert.active
    assert f"专家{newcomer}已不在有效专家库中" in office.get(url).content.decode()

    office.post(f"{url}act/unseat/", {"member": member.pk})
    assert not CommitteeMember.objects.filter(pk=member.pk).exists()
    assert _events("evaluation.member.unseat") == 1 and _events("evaluation.expert.deactivate") == 1


def test_bad_input_is_refused_with_a_reason_and_nothing_changes(world) -> None:
    office = _client(world.office)
    url = f"/evaluation/committee/{world.committee.pk}/"
    r = office.post(f"{url}act/add_expert/", {
        "expert-username": "nobody-here", "expert-specialty": "质量工程",
        "expert-title_level": "associate_senior", "expert-unit": "不存在的单位",
        "expert-term_start": "2024-01-01", "expert-term_end": "2023-12-31"}, follow=True)
    html = r.content.decode()
    assert r.status_code == 200 and "没有该账户" in html
    # what was typed comes back in the form
    assert 'value="nobody-here"' in html and 'value="不存在的单位"' in html
    assert not Expert.objects.filter(unit__name="不存在的单位").exists()
    expert = world.expert("已停用", active=False)
    r = office.post(f"{url}act/seat/", {"expert": expert.pk, "role": "member"}, follow=True)
    assert "已停用的专家不能担任委员" in r.content.decode()
    r = office.post(f"{url}act/seat/", {"expert": "x", "role": "member"}, follow=True)
    assert r.status_code == 200 and "提交的数据无效" in r.content.decode()
    assert office.post(f"{url}act/seat/", {"expert": 0, "role": "member"}).status_code == 404


def test_other_committee_offices_get_404_and_the_city_office_403(world, demo_users) -> None:
    url = f"/evaluation/committee/{world.committee.pk}/"
    expert = world.expert("库内专家")
    other = _client(demo_users["scjg_committee"])  # 市场监督局: not this committee's office
    assert other.get(url).status_code == 404
    for action, data in (("deactivate", {"expert": expert.pk}),
                         ("seat", {"expert": expert.pk, "role": "member"})):
        assert other.post(f"{url}act/{action}/", data).status_code == 404
    city = _client(demo_users["city_office"])
    assert city.get(url).status_code == 200  # supervision may look
    assert city.post(f"{url}act/deactivate/", {"expert": expert.pk}).status_code == 403
    assert _client(demo_users["applicant"]).get(url).status_code == 404
    expert.refresh_from_db()
    assert expert.active and not CommitteeMember.objects.filter(expert=expert).exists()
    # An expert of a series the committee does not evaluate is not in its pool.
    from zhicheng.catalogue.models import Series

    outsider = world.expert("外系列")
    Expert.objects.filter(pk=outsider.pk).update(
        series=Series.objects.exclude(pk=world.engineering.pk).first())
    office = _client(world.office)
    assert office.post(f"{url}act/deactivate/", {"expert": outsider.pk}).status_code == 404


def test_expert_declares_a_conflict_online_and_the_draw_excludes_it(world, demo_users) -> None:
    me = world.expert("自律专家", user=demo_users["expert"])
    world.pool(6)
    app = world.application("利害甲")
    colleague = world.application("利害乙", employer=world.other)
    m = world.meeting(count=5, reserve=1)
    ops.submit_opening_report(m, world.office)
    expert = _client(demo_users["expert"])
    page = expert.get("/evaluation/expert/").content.decode()
    assert "利害甲" in page and world.committee.name in page

    r = expert.post("/evaluation/expert/", {"meeting": m.pk, "target": f"a{app.pk}",
                                            "kind": "kinship", "note": "系本人表弟"})
    assert r.status_code == 302
    r = expert.post("/evaluation/expert/", {"meeting": m.pk, "target": f"u{world.other.pk}",
                                            "kind": "supervision", "note": "曾在该单位兼职"})
    assert ConflictDeclaration.objects.filter(expert=me).count() == 2
    assert _events("evaluation.conflict.declare") == 2
    page = expert.get("/evaluation/expert/").content.decode()
    assert "系本人表弟" in page and "曾在该单位兼职" in page

    ops.decide_opening_report(m, world.city, approve=True)
    ops.commit_draw(m, world.office)
    reasons = {(x.application_id, x.reason) for x in m.exclusions.filter(expert=me)}
    assert any(a == app.pk and "亲属关系" in r for a, r in reasons)
    assert any(a == colleague.pk and "工作单位" in r for a, r in reasons)
    m.refresh_from_db()
    assert me.pk in m.draw_inputs["excluded"]
    m = ops.run_draw(m, world.office)
    assert not m.seats.filter(expert=me).exists()


def test_expert_page_refuses_what_is_not_theirs(world, demo_users) -> None:
    me = world.expert("专家本人", user=demo_users["expert"])
    app = world.application("花名册外")
    m = world.meeting()
    ops.submit_opening_report(m, world.office)
    stranger = world.application("他人")  # not on this roster (submitted after it)
    expert = _client(demo_users["expert"])
    assert expert.post("/evaluation/expert/", {
        "meeting": m.pk, "target": f"a{stranger.pk}", "kind": "kinship", "note": "x",
    }).status_code == 404
    r = expert.post("/evaluation/expert/", {"meeting": m.pk, "target": f"a{app.pk}",
                                            "kind": "kinship", "note": ""}, follow=True)
    assert "写明具体情况" in r.content.decode()
    assert not ConflictDeclaration.objects.filter(expert=me).exists()
    # Only the expert in person declares; a non-expert has no expert page.
    from zhicheng.evaluation.operations import declare_conflict

    with pytest.raises(ops.NotPermitted):
        declare_conflict(world.office, me, kind="kinship", note="代报", applicant=app.applicant)
    assert _client(demo_users["applicant"]).get("/evaluation/expert/").status_code == 404


def test_a_meeting_opens_on_its_day_not_before(world) -> None:
    world.pool(6)
    world.application()
    m = world.drawn(count=5, reserve=0, date=dt.date(2024, 10, 25))
    ops.record_attendance(m, world.office, [s.pk for s in m.seats.all()])
    world.today("2024-10-24")
    with pytest.raises(ops.EvaluationError, match="尚未到会议日期"):
        ops.open_meeting(m, world.office)
    world.today("2024-10-25")
    assert ops.open_meeting(m, world.office).state == "open"

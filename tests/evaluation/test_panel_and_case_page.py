"""Panel rules as season data (minimum drawn experts, odd panel, reserves, quorum share,
presiding chair or vice-chair), draft opening reports edited and deleted, and the expert's
case page: what an expert evaluates, materials opened watermarked, every opening audited,
recusal asked for on the page."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from zhicheng.core.models import AuditEvent
from zhicheng.evaluation import operations as ops
from zhicheng.evaluation import queries
from zhicheng.evaluation.models import CommitteeMember, Meeting, MeetingState, MemberRole


def _spec(count: int, reserve: int = 0) -> list[dict]:
    return [{"specialty": "质量工程", "level": "associate_senior", "count": count,
             "reserve": reserve}]


def test_a_one_expert_draw_plan_is_refused_with_the_clause(world) -> None:
    with pytest.raises(ops.EvaluationError, match=r"中级评委会（按专业组建）每次评审会议至少抽取5名"
                       r"评审专家（人社部令第40号.*），抽取方案为1人"):
        world.meeting(count=1, reserve=0)
    with pytest.raises(ops.EvaluationError, match="应为单数.*抽取方案为6人"):
        world.meeting(count=6, reserve=0)
    m = world.meeting(count=5, reserve=0)
    with pytest.raises(ops.EvaluationError, match="至少抽取5名"):
        ops.update_meeting(m, world.office, date=m.date, place=m.place, draw_spec=_spec(3),
                           pass_rate=None)
    m.refresh_from_db()
    assert m.draw_spec[0]["count"] == 5  # the refused change lost nothing


def test_panel_rules_are_read_from_the_season(world) -> None:
    season = world.season
    season.parameters.setdefault("evaluation", {})["panel"] = {
        **season.parameters.get("evaluation", {}).get("panel", {}),
        "min_reserve": {"value": 1, "clause": "测试条款"},
        "quorum": {"value": [3, 4], "clause": "测试条款"},
    }
    season.save()
    with pytest.raises(ops.EvaluationError, match="至少须有1名备选专家（测试条款）"):
        world.meeting(count=5, reserve=0)
    world.pool(8)
    world.application()
    m = world.drawn(count=5, reserve=1)
    seats = [s for s in m.seats.all() if not s.reserve]
    ops.record_attendance(m, world.office, [s.pk for s in seats[:3]])  # 3/5 < 3/4
    world.today(m.date.isoformat())
    m = ops.open_meeting(m, world.office)
    with pytest.raises(ops.EvaluationError, match="不足抽取评委5人的3/4（至少4人）"):
        ops.open_ballot(m.cases.get(), world.office)


def test_the_meeting_opens_only_with_a_chair_or_vice_chair_presiding(world) -> None:
    world.pool(6)
    world.application()
    m = world.approved(count=5, reserve=0)
    ops.commit_draw(m, world.office)
    m = ops.run_draw(m, world.office)
    ops.record_attendance(m, world.office, [s.pk for s in m.seats.all()])
    world.today(m.date.isoformat())
    with pytest.raises(ops.EvaluationError, match="主任委员或者副主任委员主持.*请先指定"):
        ops.open_meeting(m, world.office)
    plain = CommitteeMember.objects.create(committee=world.committee, role=MemberRole.MEMBER,
                                           expert=world.expert("普通委员", specialty="其他"))
    with pytest.raises(ops.EvaluationError, match="由主任委员或副主任委员主持"):
        ops.name_presiding(m, world.office, plain)
    vice = CommitteeMember.objects.create(committee=world.committee,
                                          role=MemberRole.VICE_CHAIR,
                                          expert=world.expert("副主任", specialty="其他"))
    ops.name_presiding(m, world.office, vice)
    assert ops.open_meeting(m, world.office).presiding == vice
    assert AuditEvent.objects.filter(action="evaluation.meeting.presiding").count() == 1


def test_a_draft_opening_report_is_edited_and_deleted_on_its_page(world, client) -> None:
    world.application()
    m = world.meeting(count=5, reserve=0)
    client.force_login(world.office)
    page = client.get(reverse("evaluation:meeting", args=[m.pk])).content.decode()
    assert "修改或删除开评报告" in page
    r = client.post(reverse("evaluation:act", args=[m.pk, "update_report"]), {
        "date": "2024-10-28", "place": "新会议室", "specialty": "质量工程",
        "level": "associate_senior", "count": "7", "reserve": "1"}, follow=True)
    m.refresh_from_db()
    assert (m.place, m.draw_spec[0]["count"]) == ("新会议室", 7), r.content.decode()[:400]
    refused = client.post(reverse("evaluation:act", args=[m.pk, "update_report"]), {
        "date": "2024-10-28", "place": "打错的会议室", "specialty": "质量工程",
        "level": "associate_senior", "count": "1", "reserve": "0"}).content.decode()
    assert "至少抽取5名" in refused and 'value="打错的会议室"' in refused  # kept as typed
    m.refresh_from_db()
    assert m.place == "新会议室"
    r = client.post(reverse("evaluation:act", args=[m.pk, "delete_report"]), follow=True)
    assert "已删除开评报告" in r.content.decode()
    assert not Meeting.objects.filter(pk=m.pk).exists()
    assert AuditEvent.objects.filter(action="evaluation.meeting.delete").count() == 1


# --- the expert's case page --------------------------------------------------------------------


def submitted(world, settings, tmp_path, name: str = "材料甲"):
    from zhicheng.applications.models import Submission
    from zhicheng.documents.placeholder import one_page_pdf
    from zhicheng.reviews.models import ReviewStep

    settings.MEDIA_ROOT = str(tmp_path / "media")
    app = world.application(name)
    pdf = one_page_pdf("代表作")
    stored = default_storage.save("materials/test-work.pdf", ContentFile(pdf))
    snapshot = {
        "profile": {"education": [{"level": "bachelor", "major": "材料工程",
                                   "date": "2010-07-01"}],
                    "achievements": [{"kind": "paper", "title": "高性能复合材料的检测方法",
                                      "date": "2022-05-01"}]},
        "decision": {"verdict": "eligible", "findings": [
            {"clause": "二（二）", "outcome": "pass", "message": "任职年限满5年"}]},
        "materials": [{"id": 1, "title": "代表作：检测方法论文", "stored_name": stored,
                       "content_type": "application/pdf",
                       "sha256": hashlib.sha256(pdf).hexdigest()}],
    }
    Submission.objects.create(application=app, number=1, snapshot=snapshot, sha256="0" * 64,
                              token=f"t{app.pk}", created_by=app.applicant)
    ReviewStep.objects.create(application=app, step="unit_approve", actor_label="单位人事",
                              reasons="材料真实，同意推荐")
    return app


def test_the_case_page_shows_what_an_expert_evaluates_and_audits_every_opening(
        world, client, settings, tmp_path) -> None:
    from pypdf import PdfReader

    world.pool(6)
    app = submitted(world, settings, tmp_path)
    m = world.opened(count=5, reserve=0)
    case = m.cases.get(application=app)
    expert = m.seats.filter(reserve=False).first().expert.user
    client.force_login(expert)
    ballot = client.get(reverse("evaluation:ballot", args=[m.pk])).content.decode()
    url = reverse("evaluation:dossier", args=[m.pk, case.pk])
    assert url in ballot
    page = client.get(url).content.decode()
    for text in ("材料工程", "高性能复合材料的检测方法", "任职年限满5年", "材料真实，同意推荐",
                 "代表作：检测方法论文", "申请回避"):
        assert text in page, text
    assert "符合申报条件" in page and "单位审核通过并公示" in page  # labels, never codes
    assert "unit_approve" not in page
    material = reverse("evaluation:dossier_material", args=[m.pk, case.pk, 1])
    assert material in page
    r = client.get(material)
    assert r["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
    assert str(expert.full_name) in text  # the watermark names the expert
    opened = AuditEvent.objects.filter(action="evaluation.dossier.open")
    assert opened.count() == 2 and "代表作：检测方法论文" in opened.last().summary


def test_the_case_page_only_for_seated_experts_who_have_not_recused(
        world, client, settings, tmp_path) -> None:
    world.pool(7)
    app = submitted(world, settings, tmp_path)
    m = world.drawn(count=5, reserve=1)
    case = m.cases.get(application=app)
    seats = [s for s in m.seats.select_related("expert__user") if not s.reserve]
    reserve = m.seats.get(reserve=True)
    url = reverse("evaluation:dossier", args=[m.pk, case.pk])
    client.force_login(seats[0].expert.user)
    assert "会议期间" in client.get(url, follow=True).content.decode()  # not open yet
    ops.record_attendance(m, world.office, [s.pk for s in seats])
    world.today(m.date.isoformat())
    ops.open_meeting(m, world.office)
    client.force_login(reserve.expert.user)  # a reserve not called in does not sit
    assert client.get(url).status_code == 404
    client.force_login(world.user("路人"))
    assert client.get(url).status_code == 404
    # The expert asks for recusal on the page: out of the vote and of the dossier.
    client.force_login(seats[1].expert.user)
    r = client.post(url, {"reason": "曾与申报人同一课题组"}, follow=True)
    assert "已登记回避" in r.content.decode()
    assert seats[1].pk not in {s.pk for s in queries.voters(case)}
    assert "已回避" in client.get(reverse("evaluation:ballot", args=[m.pk])).content.decode()
    assert "已回避该评审对象" in client.get(url, follow=True).content.decode()
    office_page = client.get(reverse("evaluation:meeting", args=[m.pk]))
    client.force_login(world.office)
    office_page = client.get(reverse("evaluation:meeting", args=[m.pk])).content.decode()
    assert "曾与申报人同一课题组" in office_page and str(seats[1].expert.user) in office_page
    assert m.state != MeetingState.DRAFT


def test_the_minutes_name_everyone_and_every_figure(world) -> None:
    from pypdf import PdfReader

    from zhicheng.evaluation.exports import minutes_pdf

    world.pool(7)
    app = world.application("纪要甲")
    m = world.opened(present=4, count=5, reserve=1)
    seats = list(m.seats.select_related("expert__user").order_by("position"))
    here = queries.present_ids(queries.first_sitting(m))
    absent = next(s for s in seats if not s.reserve and s.pk not in here)
    case = m.cases.get(application=app)
    present = [s for s in seats if s.pk in here]
    ops.recuse(case, present[0], world.office, "与评审对象同一课题组")
    ops.note_defence(case, world.office, "答辩陈述清楚，回答准确")
    ops.open_ballot(case, world.office)
    for seat in queries.voters(case)[:2]:
        ops.cast_ballot(case, seat.expert.user, "agree")
    missing = queries.voters(case)[2]
    ops.close_ballot(case, world.office, {missing.pk: "中途离会"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes_pdf(m))).pages)
    text = text.replace("\n", "")
    for needle in (f"缺席：第{absent.position}位 {absent.expert.user}",
                   str(present[0].expert.user), "与评审对象同一课题组",
                   "答辩陈述清楚，回答准确", "中途离会", "会议主持人：",
                   f"{world.chair().expert.user}（主任委员）", "会议主持人签字（主任委员"):
        assert needle.replace(" ", "") in text.replace(" ", ""), needle
    assert "主任委员签字：" not in text  # no unnamed chair line


def test_recording_results_costs_constant_queries_per_meeting(world, django_assert_max_num_queries
                                                              ) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def signed(n: int) -> Meeting:
        apps = [world.application(f"批量{n}-{i}") for i in range(n)]
        m = world.opened(count=5, reserve=0)
        world.vote_all(m, {a.pk: ["agree"] * 5 for a in apps})
        seats = list(m.seats.all())
        ops.assign_tally_roles(m, world.office, seats[0], seats[1])
        ops.sign_tally(m, seats[0].expert.user)
        ops.sign_tally(m, seats[1].expert.user)
        m.refresh_from_db()
        return m

    world.pool(6)
    counts = []
    for n in (2, 6):
        m = signed(n)
        with CaptureQueriesContext(connection) as q:
            ops.record_results(m, world.office)
        counts.append(len(q))
        world.today("2024-10-08")
    # Per applicant only the state machine's UPDATE remains; the quorum, the cases, the plans
    # and the office's role are read once for the whole meeting.
    assert counts[1] - counts[0] <= 4, counts


def test_the_city_office_and_the_drawn_experts_are_notified(world) -> None:
    from zhicheng.applications.models import Notification

    world.pool(7)
    world.application()
    m = world.meeting(count=5, reserve=1)
    ops.submit_opening_report(m, world.office)
    waiting = Notification.objects.get(user=world.city, kind="evaluation.report_waiting")
    assert "开评报告待审批" in waiting.title and "评审对象1人" in waiting.body
    assert waiting.url == reverse("evaluation:meeting", args=[m.pk])
    ops.decide_opening_report(m, world.city, approve=True)
    ops.commit_draw(m, world.office)
    m = ops.run_draw(m, world.office)
    drawn = Notification.objects.filter(kind="evaluation.drawn")
    assert {n.user_id for n in drawn} == {s.expert.user_id for s in m.seats.all()}
    body = drawn.first().body
    assert "2024年10月25日" in body and m.place in body and "2024年10月24日前" in body
    assert drawn.filter(title__contains="备选评审专家").count() == 1


def test_the_meeting_list_names_date_state_and_next_deadline(world, client) -> None:
    world.application()
    first = world.meeting(count=5, reserve=0, date=dt.date(2024, 10, 25))
    world.meeting(count=5, reserve=0, date=dt.date(2024, 10, 30))
    client.force_login(world.office)
    page = client.get(reverse("evaluation:index")).content.decode()
    assert f"{world.committee} · 2024-10-25" in page and f"{world.committee} · 2024-10-30" in page
    assert "报送开评报告，最迟2024年10月15日" in page
    assert first.pk


def test_the_audit_search_by_meeting_finds_its_cases_events(world) -> None:
    from zhicheng.auditlog.queries import target_q

    world.pool(6)
    world.application()
    m = world.opened(count=5, reserve=0)
    case = m.cases.get()
    seat = m.seats.first()
    ops.recuse(case, seat, world.office, "同一课题组")
    found = set(AuditEvent.objects.filter(target_q(f"evaluation.meeting:{m.pk}"))
                .values_list("action", flat=True))
    assert {"evaluation.meeting.open", "evaluation.recuse"} <= found


def test_an_image_material_becomes_one_watermarked_page() -> None:
    from PIL import Image
    from pypdf import PdfReader

    from zhicheng.evaluation.exports import watermarked_material

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buf, format="PNG")
    pdf = watermarked_material(buf.getvalue(), "image/png", "专家乙 · 2024-10-25 09:30")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1 and "专家乙" in pages[0].extract_text()


def test_remembered_roles_last_only_for_the_block(world) -> None:
    from zhicheng.orgs.models import Membership, Role
    from zhicheng.orgs.permissions import has_role_in, remembered_roles

    office_id = world.gongxin.pk
    with remembered_roles():
        assert has_role_in(world.office, Role.COMMITTEE_OFFICE, office_id)
        Membership.objects.filter(user=world.office, organisation_id=office_id).update(
            active=False)
        assert has_role_in(world.office, Role.COMMITTEE_OFFICE, office_id)  # same operation
    assert not has_role_in(world.office, Role.COMMITTEE_OFFICE, office_id)  # asked again

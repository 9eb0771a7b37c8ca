"""Committee re-check (四（四）), city sampling, senior dossiers forwarded to the province."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from decimal import Decimal

import pytest

from zhicheng.applications.models import Notification
from zhicheng.applications.states import State, TransitionRefused
from zhicheng.core.operations import NotPermitted, OperationError, StateConflict
from zhicheng.publicity.models import Publicity
from zhicheng.reviews import operations as rops
from zhicheng.reviews.models import ProvincialResult, ReviewStep, SamplingDraw

pytestmark = pytest.mark.django_db


def test_accept_opens_the_pre_evaluation_publicity(chain):
    app = chain.at_committee()
    committee = chain.committee
    with pytest.raises(StateConflict, match="查阅"):
        rops.committee_accept(app, committee)
    rops.record_dossier_view(app, committee)
    rops.committee_accept(app, committee)
    app.refresh_from_db()
    assert app.state == State.PRE_EVALUATION_PUBLICITY
    assert Publicity.objects.filter(application=app, kind="pre_evaluation").exists()
    assert Notification.objects.filter(user=app.applicant, kind="review.committee_accepted")


def test_return_goes_back_through_the_same_channel(chain, demo_users):
    app = chain.at_committee()
    reviewer = app.preliminary_reviewer
    rops.committee_return(app, chain.committee, reasons="继续教育证明缺2022年度。")
    app.refresh_from_db()
    assert app.state == State.PRELIMINARY_REVIEW and app.preliminary_reviewer == reviewer
    assert Notification.objects.filter(
        user=demo_users["haizhou_reviewer"], kind="review.committee_returned"
    ).exists()
    assert ReviewStep.objects.filter(application=app, is_return=True).count() == 1


def test_another_committee_office_cannot_act(chain, demo_users):
    app = chain.at_committee()
    with pytest.raises(NotPermitted):
        rops.committee_accept(app, demo_users["gongxin_committee"])


def test_out_of_scope_or_wrong_channel_can_only_be_refused(chain, demo_users):
    from zhicheng.orgs.models import Organisation

    app = chain.at_committee()
    # The employer changed supervisor after submission: the recorded channel is now wrong.
    employer = app.employer
    employer.supervisor = Organisation.objects.get(short_name="市工信局")
    employer.save()
    rops.record_dossier_view(app, chain.committee)
    with pytest.raises(StateConflict, match="报送渠道"):
        rops.committee_accept(app, chain.committee)
    rops.committee_refuse(app, chain.committee, reasons="违反委托评审程序报送。")
    app.refresh_from_db()
    assert app.state == State.REJECTED


def test_level_outside_the_committee_scope(chain):
    app = chain.at_committee()
    rops.update_committee_setting(app.plan, chain.users["city_office"],
                                  city_levels=["entry"], provincial_levels=[])
    rops.record_dossier_view(app, chain.committee)
    with pytest.raises(StateConflict, match="层级"):
        rops.committee_accept(app, chain.committee)


def test_sampling_commits_then_draws_reproducibly_and_is_recorded(chain, demo_users):
    city = demo_users["city_office"]
    apps = [chain.accepted() for _ in range(3)]
    plan = apps[0].plan
    with pytest.raises(NotPermitted):
        rops.commit_sampling(plan, chain.committee)
    rops.update_committee_setting(plan, city, sample_share=Decimal("0.5"))
    committed = rops.commit_sampling(plan, city)
    assert committed.population == sorted(a.pk for a in apps)
    assert committed.seed_sha256 == hashlib.sha256(committed.seed.encode()).hexdigest()
    assert not committed.drawn and committed.sample == []
    assert sorted(committed.codes.values()) == ["D-001", "D-002", "D-003"]
    with pytest.raises(StateConflict, match="尚未抽取"):
        rops.commit_sampling(plan, city)  # one open commitment per plan
    with pytest.raises(OperationError):
        rops.record_finding(committed, apps[0], city, outcome="ok", finding="x")  # not drawn
    first = rops.run_sampling(committed, city)
    assert first.drawn and len(first.sample) == 2  # ceil(3 × 0.5)
    assert rops.sampling_result(first, first.seed) == first.sample
    with pytest.raises(StateConflict, match="不能重新抽取"):
        rops.run_sampling(first, city)
    sampled = next(a for a in apps if a.pk in first.sample)
    finding = rops.record_finding(first, sampled, city, outcome="ok", finding="材料齐全。")
    assert finding.get_outcome_display() == "未发现问题"
    not_sampled = [a for a in apps if a.pk not in first.sample]
    with pytest.raises(OperationError):
        rops.record_finding(first, not_sampled[0], city, outcome="ok", finding="x")
    rops.run_sampling(rops.commit_sampling(plan, city), city)
    assert SamplingDraw.objects.filter(plan=plan).count() == 2


def test_senior_dossier_is_forwarded_with_a_verified_package(chain, demo_users, client):
    city = demo_users["city_office"]
    app = chain.at_committee(level="associate_senior")
    committee = chain.committee
    rops.record_dossier_view(app, committee)
    with pytest.raises(TransitionRefused, match="省级高评委"):
        rops.committee_accept(app, committee)
    with pytest.raises(TransitionRefused, match="市职称办"):
        rops.forward_to_province(app, committee)
    rops.city_office_review(app, city, opinion="材料齐全，同意报省。")
    forward = rops.forward_to_province(app, committee)
    app.refresh_from_db()
    assert app.state == State.FORWARDED_TO_PROVINCE

    client.force_login(committee)
    response = client.get(f"/review/{app.pk}/package.zip")
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == forward.package_sha256
    zf = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(zf.read("manifest.json"))
    assert len(manifest["materials"]) == 2 and all(m["verified"] for m in manifest["materials"])
    for m in manifest["materials"]:
        assert hashlib.sha256(zf.read(m["file"])).hexdigest() == m["sha256"]
    snapshot = json.loads(zf.read("snapshot.json"))
    assert snapshot["application"]["id"] == app.pk
    trail = json.loads(zf.read("audit_trail.json"))
    assert any(e["action"] == "review.city_office_review" for e in trail)
    client.force_login(city)
    assert client.get(f"/review/{app.pk}/package.zip").status_code == 200
    client.force_login(demo_users["haizhou_reviewer"])
    assert client.get(f"/review/{app.pk}/package.zip").status_code == 404

    with pytest.raises(TransitionRefused, match="文号"):
        rops.record_provincial_result(app, committee, passed=True, document_number="")
    forward = rops.record_provincial_result(app, committee, passed=True,
                                            document_number="苏职称〔2024〕12号")
    app.refresh_from_db()
    assert app.state == State.PASSED and forward.result == ProvincialResult.PASSED
    assert forward.document_number == "苏职称〔2024〕12号"


def test_tampered_material_blocks_forwarding(chain, demo_users):
    from django.core.files.storage import default_storage

    app = chain.at_committee(level="associate_senior")
    rops.city_office_review(app, demo_users["city_office"], opinion="同意。")
    rops.record_dossier_view(app, chain.committee)
    name = app.submissions.get().snapshot["materials"][0]["stored_name"]
    with default_storage.open(name, "wb") as fh:
        fh.write(b"%PDF-1.4 tampered")
    with pytest.raises(OperationError, match="哈希不一致"):
        rops.forward_to_province(app, chain.committee)
    app.refresh_from_db()
    assert app.state == State.COMMITTEE_RECHECK


def test_a_sampling_problem_is_on_the_trail_and_told_to_the_committee_office(chain, demo_users):
    """A finding goes on the dossier's trail (both outcomes); 发现问题 also reaches the
    committee office's inbox with what was found."""
    from zhicheng.applications.models import Notification

    city = demo_users["city_office"]
    apps = [chain.accepted() for _ in range(2)]
    rops.update_committee_setting(apps[0].plan, city, sample_share=Decimal("1"))
    draw = rops.run_sampling(rops.commit_sampling(apps[0].plan, city), city)
    fine, wrong = apps
    rops.record_finding(draw, fine, city, outcome="ok", finding="材料齐全。")
    assert not Notification.objects.filter(kind="review.sampling_problem").exists()
    rops.record_finding(draw, wrong, city, outcome="problem", finding="业绩证明缺少单位盖章。")

    trail = [(s.step, s.reasons) for s in wrong.review_steps.all()]
    assert ("sampling_finding", "发现问题：业绩证明缺少单位盖章。") in trail
    assert ("sampling_finding", "未发现问题：材料齐全。") in [
        (s.step, s.reasons) for s in fine.review_steps.all()]
    told = Notification.objects.filter(kind="review.sampling_problem", application=wrong)
    assert told.exists() and all(
        n.user.memberships.filter(organisation_id=wrong.plan.office_id,
                                  role="committee_office").exists() for n in told)
    assert "业绩证明缺少单位盖章" in told.first().body

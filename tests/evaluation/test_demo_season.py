"""The `make run` seeding sequence on the test database (the demo season, meeting to certificate):
the management commands in the Makefile's order, twice (idempotent), then the story is
checked the way a visitor would: meeting 1 filed, its draw re-run to the same experts by
`zhicheng draw verify`, every approved demo result certified and verifiable on the public
page and offline with only the published public key, the revoked one revoked on the public
page, in the signed revocation list and offline. (`migrate` is pytest-django's.)"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

MAKE_RUN = [  # (command arguments, environment of that Makefile line)
    (["load_season", "--quiet-warnings", "--publish-at", "2024-07-15"], {}),
    (["seed_demo"], {}),
    (["evaluation_demo"], {}),
    (["certificate", "keygen", "--if-missing"], {}),
    (["certificate", "issue-approved"], {"demo": True}),
    (["certificate_demo"], {"demo": True}),
]


def _run_make_run_sequence(settings: Any) -> str:
    out = io.StringIO()
    for args, env in MAKE_RUN:
        # Makefile: only DEMO_ENV lines pin ZHICHENG_TODAY and switch the demo clock on.
        settings.ZHICHENG_TODAY = "2024-07-15" if env.get("demo") else ""
        settings.ZHICHENG_DEMO_CLOCK = bool(env.get("demo"))
        call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def demo_env(settings: Any, tmp_path: Any, season: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ZHICHENG_KEY_DIR = str(tmp_path / "keys")
    settings.ZHICHENG_DEMO_CLOCK_FILE = str(tmp_path / "demo-clock.txt")
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings


def _counts() -> dict[str, int]:
    from zhicheng.applications.models import Application
    from zhicheng.certificates.models import Certificate
    from zhicheng.evaluation.models import Ballot, Committee, CommitteeMember, Expert, Meeting
    from zhicheng.publicity.models import Publicity

    return {m.__name__: m.objects.count() for m in (
        Application, Certificate, Committee, CommitteeMember, Expert, Meeting, Ballot,
        Publicity)}


def test_make_run_tells_the_demo_season_story(demo_env, tmp_path) -> None:
    from zhicheng.applications.models import Application
    from zhicheng.applications.states import State
    from zhicheng.certificates.models import Certificate, CertificateStatus
    from zhicheng.certificates.payload import b64d, encode
    from zhicheng.demo.evaluation import DEMO_COMMITTEE, REVOKED, STORY_1, STORY_2
    from zhicheng.evaluation.models import Meeting, MeetingState

    _run_make_run_sequence(demo_env)
    first = _counts()
    _run_make_run_sequence(demo_env)  # make run twice: nothing fails, nothing doubles
    assert _counts() == first

    # Meeting 1 was held completely and filed; its data report was sent.
    m1, m2 = Meeting.objects.filter(committee__name=DEMO_COMMITTEE).order_by("date")
    assert m1.state == MeetingState.FILED and m1.data_report.sent_on is not None
    assert m1.cases.count() == len(STORY_1) and m1.counter_signed and m1.scrutineer_signed

    # Anyone with the seed re-runs the draw to the same experts.
    out = io.StringIO()
    call_command("draw", "verify", str(m1.pk), "--seed", m1.seed, stdout=out)
    assert "一致：" in out.getvalue()
    seated = [s.expert_id for s in m1.seats.filter(reserve=False).order_by("position")]
    printed = out.getvalue()
    # Experts are printed by name with their pool number, in the drawn order.
    positions = [printed.index(f"[专家库{pk}号]") for pk in seated]
    assert positions == sorted(positions) and "一致" in printed

    # Meeting 2 waits for the demo accounts: a draft opening report, three applicants ready.
    assert m2.state == MeetingState.DRAFT
    ready = Application.objects.filter(applicant__username__in=[u for u, _ in STORY_2])
    assert {a.state for a in ready} == {State.READY_FOR_MEETING} and ready.count() == 3

    # Every approved demo result has a certificate; one of them is revoked.
    passed = [c.application for c in m1.cases.select_related("application") if c.passed]
    assert len(passed) == 4
    certs = list(Certificate.objects.filter(application__in=passed))
    assert len(certs) == len(passed)
    revoked = next(c for c in certs if c.holder.username == REVOKED)
    assert revoked.status == CertificateStatus.REVOKED
    assert not Application.objects.filter(
        applicant__username__startswith="demo_applicant_", state=State.APPROVED).exists()

    # The holders log in with the demo password and download their own certificate only.
    from zhicheng.demo.accounts import DEMO_PASSWORD

    holder = Client()
    assert holder.login(username="demo_applicant_1", password=DEMO_PASSWORD)
    own = Certificate.objects.get(holder__username="demo_applicant_1")
    pdf = holder.get(f"/certificates/{own.number}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    other = next(c for c in certs if c.pk != own.pk)
    assert holder.get(f"/certificates/{other.number}.pdf").status_code == 404
    assert Client().login(username="demo_expert_1", password=DEMO_PASSWORD)

    public = Client()
    keys_file = tmp_path / "keys.json"  # the published public keys only, no key directory
    keys_file.write_text(public.get("/verify/keys.json").content.decode(), encoding="utf-8")
    revocations = public.get("/verify/revocations.json").json()
    rev_file = tmp_path / "revocations.json"
    rev_file.write_text(json.dumps(revocations, ensure_ascii=False), encoding="utf-8")
    assert [e["number"] for e in revocations["list"]["revoked"]] == [revoked.number]

    for cert in certs:
        page = public.post("/verify/", {"number": cert.number, "name": cert.holder_name})
        label = "已撤销" if cert.pk == revoked.pk else "有效"
        assert page.status_code == 200 and label in page.content.decode()
        code = encode(cert.payload.encode(), b64d(cert.signature), cert.key_id)
        offline = ["certificate", "verify", code, "--keys", str(keys_file)]
        if cert.pk == revoked.pk:
            call_command(*offline, stdout=io.StringIO())  # the signature itself is sound
            with pytest.raises(SystemExit) as exited:
                call_command(*offline, "--revocations", str(rev_file), stdout=io.StringIO(),
                             stderr=io.StringIO())
            assert exited.value.code == 1
        else:
            out = io.StringIO()
            call_command(*offline, "--revocations", str(rev_file), stdout=out)
            assert cert.number in out.getvalue()

    # Meeting 2 can be held with a 7-expert panel and its reserve called in: the pool less
    # the conflicts leaves enough experts for the plan (7 + 1).
    from zhicheng.demo.evaluation import _city, _office
    from zhicheng.evaluation import operations as ops
    from zhicheng.evaluation import queries

    demo_env.ZHICHENG_TODAY = "2024-07-15"
    office = _office(m2.committee)
    ops.submit_opening_report(m2, office)
    ops.decide_opening_report(m2, _city(), approve=True)
    ops.commit_draw(m2, office)
    m2 = ops.run_draw(m2, office)
    drawn = list(m2.seats.filter(reserve=False).order_by("position"))
    reserve = m2.seats.get(reserve=True)
    assert len(drawn) == 7
    ops.record_attendance(m2, office, [s.pk for s in drawn[1:]])
    ops.call_in_reserve(reserve, office, f"第{drawn[0].position}位评委因病缺席")
    ops.record_attendance(m2, office, [s.pk for s in drawn[1:]] + [reserve.pk])
    assert queries.quorum(m2) == (True, 7, 7)

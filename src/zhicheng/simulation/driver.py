"""Drive every simulated application through the real operations, phase by phase.

Each plan's cohort keeps its own business date (the clock override, ZHICHENG_TODAY), which
only moves forward: it applies inside the plan's acceptance window, and every later step
waits for what the rules require (publicity periods on the working-day calendar, correction
due dates, the opening report 10 days before the meeting, the result publicity).
Work is committed in batches (`batch_size` applications per transaction); each operation
still runs its own checks and writes its own audit event.

With `workers > 1` (PostgreSQL only) the plans are shared out among forked processes after
the set-up; each worker drives its plans' cohorts through every phase, and every operation
commits on its own as a web request would (a batch transaction would hold the audit chain's
head row and serialise the workers)."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.db.models.signals import post_save

from zhicheng.accounts.models import User
from zhicheng.applications import operations as app_ops
from zhicheng.applications.models import ApplicantProfile, Application
from zhicheng.applications.profiles import decide_application, new_uid, validate_facts
from zhicheng.applications.states import State
from zhicheng.certificates import operations as cert_ops
from zhicheng.certificates.keys import ensure_key
from zhicheng.certificates.models import Certificate
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import SYSTEM, OperationError, operation
from zhicheng.core.workdays import office_calendar
from zhicheng.documents.placeholder import one_page_pdf
from zhicheng.evaluation import operations as ev_ops
from zhicheng.evaluation import queries as ev_queries
from zhicheng.evaluation.models import Meeting
from zhicheng.integrity.models import IntegrityRecord
from zhicheng.publicity import operations as pub_ops
from zhicheng.publicity.models import Objection, Publicity
from zhicheng.reviews import operations as rev_ops
from zhicheng.reviews.diff import material_target
from zhicheng.reviews.guards import committee_setting, latest_submission
from zhicheng.seasons.models import CommitteePlan, Season

from . import population
from . import world as world_mod
from .progress import Progress

PHASES = [
    "setup", "apply", "unit_review", "unit_publicity", "preliminary", "corrections",
    "committee", "pre_evaluation", "meeting", "results", "certificates", "revocations",
]

# The documented end states of a simulated application (docs/simulation.md).
END_STATES = {
    State.CERTIFICATE_ISSUED, State.NOT_PASSED, State.WITHDRAWN, State.REJECTED,
    State.ABANDONED, State.REVOKED, State.PASSED,  # PASSED: senior, passed by the province
}


@dataclass
class Dossier:
    person: population.Applicant
    plan: CommitteePlan
    user: Any = None
    app: Application | None = None
    material: int | None = None
    out: bool = False  # left the normal path (withdrawn, rejected, ...)
    provincial: bool = False


@dataclass
class Report:
    applicants: int
    seed: int
    database: str
    states: Counter[str] = field(default_factory=Counter)
    fates: Counter[str] = field(default_factory=Counter)
    phase_seconds: dict[str, float] = field(default_factory=dict)
    phase_cpu_seconds: dict[str, float] = field(default_factory=dict)  # simulating processes
    phase_events: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    workers: int = 1
    wall_seconds: float = 0.0  # the whole run, as the clock on the wall saw it
    certificates: int = 0
    revoked_certificates: int = 0
    meetings: int = 0
    plans: int = 0
    employers: int = 0
    integrity_records: int = 0

    @property
    def total_seconds(self) -> float:
        return self.wall_seconds or sum(self.phase_seconds.values())


def _pdf() -> bytes:
    return one_page_pdf("zhicheng simulated material")


class Simulation:
    def __init__(self, season: Season, *, applicants: int, seed: int, batch_size: int = 200,
                 progress: bool = True, label: str = "", workers: int = 1) -> None:
        self.label = label or f"s{seed}"
        self.season = season
        self.n = applicants
        self.seed = seed
        self.batch_size = max(1, batch_size)
        self.show_progress = progress
        self.workers = max(1, workers)
        self.bar_prefix = ""
        self._events = 0  # audit events written by this process (a worker counts its own)
        self.report = Report(applicants=applicants, seed=seed,
                             database=settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1])
        self.pdf = _pdf()
        self.calendar = office_calendar()
        self.today_by_plan: dict[int, dt.date] = {}
        self.dossiers: list[Dossier] = []
        self.meetings: dict[int, Meeting] = {}

    # --- plumbing -------------------------------------------------------------------------

    def _set_today(self, day: dt.date) -> None:
        settings.ZHICHENG_TODAY = day.isoformat()

    def _plan_day(self, plan: CommitteePlan, day: dt.date) -> dt.date:
        current = self.today_by_plan.get(plan.pk)
        if current is not None and day < current:
            day = current  # time never runs backwards for a cohort
        self.today_by_plan[plan.pk] = day
        self._set_today(day)
        return day

    def _workdays(self, day: dt.date, n: int) -> dt.date:
        return self.calendar.add_workdays(day, n)

    def _count_event(self, sender: Any, created: bool = False, **kwargs: Any) -> None:
        if created:
            self._events += 1

    @contextmanager
    def _phase(self, name: str) -> Iterator[None]:
        before = self._events
        started, cpu = time.perf_counter(), time.process_time()
        yield
        self.report.phase_seconds[name] = (
            self.report.phase_seconds.get(name, 0.0) + time.perf_counter() - started)
        self.report.phase_cpu_seconds[name] = (
            self.report.phase_cpu_seconds.get(name, 0.0) + time.process_time() - cpu)
        self.report.phase_events[name] = (
            self.report.phase_events.get(name, 0) + self._events - before)

    def _each(self, label: str, items: list[Any], step: Callable[[Any], object]) -> None:
        """Run `step` for each item, `batch_size` per transaction (with workers: each operation
        commits by itself); a refusal is recorded as an error for that item (its savepoint
        rolled back) and the run goes on."""
        bar = Progress(self.bar_prefix + label, len(items), enabled=self.show_progress)
        if self.workers > 1:  # see the module docstring: no batch transaction
            for item in items:
                self._attempt(label, item, step)
                bar.advance()
            bar.close()
            return
        for start in range(0, len(items), self.batch_size):
            chunk = items[start:start + self.batch_size]
            with transaction.atomic():
                for item in chunk:
                    self._attempt(label, item, step, savepoint=True)
            bar.advance(len(chunk))
        bar.close()

    def _attempt(self, label: str, item: Any, step: Callable[[Any], object], *,
                 savepoint: bool = False) -> None:
        try:
            with transaction.atomic() if savepoint else nullcontext():
                if isinstance(item, Dossier) and item.app is not None:
                    item.app.refresh_from_db()  # operations lock and save a copy
                step(item)
        except OperationError as exc:
            who = getattr(item, "app", None) or item
            self.report.errors.append(f"{label} {who}: {exc}")
            if isinstance(item, Dossier):
                item.out = True

    def _by_plan(self, items: list[Dossier]) -> dict[int, list[Dossier]]:
        out: dict[int, list[Dossier]] = {}
        for d in items:
            out.setdefault(d.plan.pk, []).append(d)
        return out

    def _active(self, *states: str) -> list[Dossier]:
        ids = {d.app.pk for d in self.dossiers if d.app is not None and not d.out}
        current = dict(Application.objects.filter(pk__in=ids).values_list("pk", "state"))
        return [d for d in self.dossiers
                if d.app is not None and not d.out and current.get(d.app.pk) in states]

    def _refresh(self, d: Dossier) -> Application:
        assert d.app is not None
        d.app.refresh_from_db()
        return d.app

    def _upload(self, name: str = "材料.pdf") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, self.pdf, content_type="application/pdf")

    # --- the run --------------------------------------------------------------------------

    def run(self, phases: list[str] | None = None) -> Report:
        wanted = phases or PHASES
        todo: list[str] = []
        for name in PHASES:
            if name not in wanted:
                break  # phases run in order; stopping early leaves the season mid-way
            todo.append(name)
        started = time.perf_counter()
        post_save.connect(self._count_event, sender=AuditEvent, weak=False,
                          dispatch_uid=f"simulation-{id(self)}")
        try:
            if todo:  # always begins with the set-up, in this process
                with self._phase("setup"):
                    self.phase_setup()
            if self.workers > 1 and len(todo) > 1:
                self._run_workers(todo[1:])
            else:
                for name in todo[1:]:
                    with self._phase(name):
                        getattr(self, f"phase_{name}")()
        finally:
            post_save.disconnect(sender=AuditEvent, dispatch_uid=f"simulation-{id(self)}")
        self.report.workers = self.workers
        self.report.wall_seconds = time.perf_counter() - started
        self._summarise()
        return self.report

    # --- workers (PostgreSQL) -------------------------------------------------------------

    def _shares(self) -> list[set[int]]:
        """Plans shared out among the workers, the largest cohorts first, each to the worker
        with the fewest applicants so far."""
        sizes = {pk: len(c) for pk, c in self._by_plan(self.dossiers).items()}
        shares: list[set[int]] = [set() for _ in range(self.workers)]
        load = [0] * self.workers
        for pk, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
            i = load.index(min(load))
            shares[i].add(pk)
            load[i] += size
        return [share for share in shares if share]

    def _run_workers(self, phases: list[str]) -> None:
        if connection.vendor != "postgresql":
            raise OperationError("多进程模拟（--workers）需要 PostgreSQL 数据库。")
        shares = self._shares()
        connections.close_all()  # each worker opens its own connection
        children: list[tuple[int, str]] = []
        for number, plan_ids in enumerate(shares, start=1):
            fd, path = tempfile.mkstemp(prefix="zhicheng-sim-")
            os.close(fd)
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child; its results are checked
                self._worker(number, plan_ids, phases, path)
            children.append((pid, path))
        crashed: list[str] = []
        for pid, path in children:
            _, status = os.waitpid(pid, 0)
            result_file = Path(path)
            with result_file.open("rb") as fh:
                result = (pickle.load(fh) if result_file.stat().st_size
                          else {"crash": "no result"})
            result_file.unlink()
            if "crash" in result or os.waitstatus_to_exitcode(status) != 0:
                crashed.append(str(result.get("crash", f"exit status {status}")))
                continue
            self._merge(result)
        if crashed:
            raise OperationError("模拟进程异常退出：\n" + "\n".join(crashed))

    def _worker(self, number: int, plan_ids: set[int], phases: list[str], path: str) -> None:
        code = 0
        try:
            self.bar_prefix = f"w{number} "
            self.dossiers = [d for d in self.dossiers if d.plan.pk in plan_ids]
            self.report = Report(applicants=len(self.dossiers), seed=self.seed,
                                 database=self.report.database)
            with connection.cursor() as cursor:  # a simulation: no fsync wait per commit
                cursor.execute("SET synchronous_commit TO OFF")
            for name in phases:
                with self._phase(name):
                    getattr(self, f"phase_{name}")()
            result: dict[str, Any] = {
                "apps": {d.person.index: (d.app.pk if d.app else None, d.out)
                         for d in self.dossiers},
                "phase_seconds": self.report.phase_seconds,
                "phase_cpu_seconds": self.report.phase_cpu_seconds,
                "phase_events": self.report.phase_events,
                "errors": self.report.errors, "meetings": self.report.meetings,
            }
        except BaseException:  # the parent reports it; a worker never returns into the CLI
            result, code = {"crash": traceback.format_exc()}, 1
        try:
            with Path(path).open("wb") as fh:
                pickle.dump(result, fh)
            connections.close_all()
        finally:
            os._exit(code)

    def _merge(self, result: dict[str, Any]) -> None:
        r = self.report
        by_index = {d.person.index: d for d in self.dossiers}
        for index, (app_pk, out) in result["apps"].items():
            d = by_index[index]
            d.app = Application(pk=app_pk) if app_pk else None
            d.out = out
        for name, seconds in result["phase_seconds"].items():  # workers run side by side
            r.phase_seconds[name] = max(r.phase_seconds.get(name, 0.0), seconds)
        for name, cpu in result["phase_cpu_seconds"].items():
            r.phase_cpu_seconds[name] = r.phase_cpu_seconds.get(name, 0.0) + cpu
        for name, events in result["phase_events"].items():
            r.phase_events[name] = r.phase_events.get(name, 0) + events
        r.errors.extend(result["errors"])
        r.meetings += result["meetings"]

    def phase_setup(self) -> None:
        ensure_key()
        with transaction.atomic():  # a refused set-up leaves nothing behind
            self.world = world_mod.build(self.season, applicants=self.n, seed=self.seed,
                                         label=self.label)
        w = self.world
        self.report.plans = len(w.plans)
        self.report.employers = len(w.employers)
        runs = AuditEvent.objects.filter(action="simulate.setup").count()  # this run counted
        people = population.applicants(self.n, self.seed, employers=[e.name for e in w.employers],
                                       offers=w.offers, id_salt=runs - 1)
        for p in people:
            plan = w.plan_for[(p.employer, p.series, p.level)]
            self.dossiers.append(Dossier(person=p, plan=plan))
            self.report.fates[p.fate] += 1
        # Each cohort applies inside its plan's acceptance window.
        for plan in w.plans:
            self.today_by_plan[plan.pk] = w.apply_day[plan.pk]

    def phase_apply(self) -> None:
        for plan_pk, cohort in self._by_plan(self.dossiers).items():
            self._plan_day(cohort[0].plan, self.today_by_plan[plan_pk])
            self._each("apply", cohort, self._apply_one)
        withdrawing = [d for d in self.dossiers if not d.out and d.person.fate == "withdraw"]
        for plan_pk, cohort in self._by_plan(withdrawing).items():
            self._plan_day(cohort[0].plan, self._workdays(self.today_by_plan[plan_pk], 1))
            self._each("withdraw", cohort, lambda d: app_ops.withdraw_application(
                d.app, d.user, reason="个人原因，本年度暂不申报。"))

    def _apply_one(self, d: Dossier) -> None:
        w, p = self.world, d.person
        employer = w.employers[p.employer]
        with operation(SYSTEM, "simulate.applicant") as op:
            user = User.objects.create_user(
                username=f"sim_{self.label}_{p.index}", password=None, full_name=p.name,
                email="", id_type="resident",
                id_number=p.id_number, sex=p.sex, birth_date=p.birth_date,
            )
            facts = validate_facts(p.facts)
            meta = {s: [{"uid": row.get("id") or new_uid()} for row in facts.get(s, [])]
                    for s in ("education", "titles", "work_history", "annual_assessments",
                              "continuing_education", "achievements")}
            profile = ApplicantProfile.objects.create(
                user=user, employer=employer, facts=facts, meta=meta,
                schema_version=facts["schema_version"])
            op.obj = profile
            op.summary = f"模拟申报人：{p.name}"
        d.user = user
        app = app_ops.start_application(
            user, season=self.season, plan=d.plan, series_id=w.series[p.series].pk,
            specialty=w.specialty[(d.plan.pk, p.series)], level=p.level, route="normal")
        d.app = app
        material = app_ops.add_material(
            app, user, self._upload("职称证书.pdf"), kind="title", title="现职称证书或学历证书",
            document_date=dt.date(2023, 6, 30))
        d.material = material.pk
        app_ops.accept_commitment(app, user, ip="127.0.0.1")
        # The live pre-check the form shows: an applicant who fails it does not submit.
        _payload, decision = decide_application(app)
        if decision.failing():
            app_ops.withdraw_application(app, user, reason="资格预审不符合申报条件。")
            d.out = True
            return
        review = [f for f in decision.findings if f.outcome == "needs_review"]
        explanation = (
            "；".join(f"{f.message}：情况属实，请审核。" for f in review) if review else None)
        app_ops.submit_application(app, user, token=f"sim-{self.label}-{p.index}-1",
                                   explanation=explanation)

    def phase_unit_review(self) -> None:
        for plan_pk, cohort in self._by_plan(self._active(State.SUBMITTED)).items():
            self._plan_day(cohort[0].plan, self._workdays(self.today_by_plan[plan_pk], 2))
            self._each("unit_review", cohort, self._unit_one)

    def _unit_one(self, d: Dossier) -> None:
        assert d.app is not None
        hr = self.world.unit_hr[d.app.employer_id]
        rev_ops.unit_start_review(d.app, hr)
        if d.person.fate == "unit_return":
            rev_ops.unit_return(d.app, hr, reasons="请补充说明近三年专业技术工作业绩。")
            app = self._refresh(d)
            app_ops.submit_application(app, d.user, token=f"sim-{self.label}-{d.person.index}-2",
                                       explanation=app.explanation or None)
            rev_ops.unit_start_review(self._refresh(d), hr)
        rev_ops.record_dossier_view(d.app, hr)
        submission = latest_submission(d.app)
        assert submission is not None
        rev_ops.save_unit_check(d.app, hr, opinion="经核对原件，情况属实，同意推荐。",
                                checked_ids=[m["id"] for m in submission.snapshot["materials"]])
        rev_ops.unit_approve(d.app, hr)

    def _close_publicities(self, cohort: list[Dossier], kind: str) -> dt.date:
        """Move the cohort's date past its publicities' last day and close them (the job the
        periodic task does: close_publicity per publicity, actor SYSTEM)."""
        ids = [d.app.pk for d in cohort if d.app is not None]
        rows = list(Publicity.objects.filter(application_id__in=ids, kind=kind,
                                             closed_at__isnull=True).values_list("pk", "last_day"))
        if not rows:
            return self.today_by_plan[cohort[0].plan.pk]
        day = self._plan_day(cohort[0].plan, max(last for _, last in rows) + dt.timedelta(days=1))
        self._each(f"close {kind}", [pk for pk, _ in rows], pub_ops.close_publicity)
        return day

    def phase_unit_publicity(self) -> None:
        cohorts = self._by_plan(self._active(State.UNIT_PUBLICITY))
        for cohort in cohorts.values():
            objected = [d for d in cohort if d.person.fate == "unit_objection"]
            if objected:
                plan = cohort[0].plan
                self._plan_day(plan, self._workdays(self.today_by_plan[plan.pk], 1))
                self._each("objections", objected, self._object)
            self._close_publicities(cohort, "unit")
            self._each("unit_recommend", cohort, self._recommend_one)

    def _object(self, d: Dossier) -> None:
        publicity = Publicity.objects.get(application=d.app, kind="unit", closed_at__isnull=True)
        pub_ops.file_objection(publicity, name="", contact="13800000000",
                               text="该申报人年度考核材料与实际情况不符，请核查。",
                               ip=f"10.{d.person.index >> 16 & 255}.{d.person.index >> 8 & 255}."
                               f"{d.person.index & 255}")  # one objector per dossier

    def _recommend_one(self, d: Dossier) -> None:
        assert d.app is not None
        hr = self.world.unit_hr[d.app.employer_id]
        if d.person.fate == "unit_objection":
            for objection in Objection.objects.filter(publicity__application=d.app):
                pub_ops.resolve_objection(objection, hr, outcome="upheld",
                                          resolution="经核查，异议反映的情况属实。")
            rev_ops.unit_objection_upheld(d.app, hr, reasons="单位公示期间异议经核查属实。")
            d.out = True
            return
        rev_ops.unit_recommend(d.app, hr)

    def _reviewer(self, d: Dossier) -> Any:
        assert d.app is not None
        return self.world.reviewer[d.app.preliminary_reviewer_id]

    def phase_preliminary(self) -> None:
        for cohort in self._by_plan(self._active(State.PRELIMINARY_REVIEW)).values():
            self._plan_day(cohort[0].plan, self._workdays(self.today_by_plan[cohort[0].plan.pk], 1))
            self._each("preliminary", cohort, self._preliminary_one)

    def _preliminary_one(self, d: Dossier) -> None:
        assert d.app is not None
        reviewer, fate = self._reviewer(d), d.person.fate
        rev_ops.record_dossier_view(d.app, reviewer)
        if fate == "fraud_in_review":
            cert_ops.veto_for_fraud(d.app, self.world.city,
                                    evidence="初审发现提交的业绩证明材料系伪造。",
                                    decision_number=f"连职称办〔{self.season.year}〕模拟{d.person.index}号")
            d.out = True
        elif fate == "preliminary_reject":
            rev_ops.preliminary_reject(d.app, reviewer, reasons="申报材料不符合申报条件。")
            d.out = True
        elif fate in ("correction", "abandon"):
            rev_ops.request_corrections(d.app, reviewer, items=[{
                "target": material_target(d.material or 0),
                "problem": "证书扫描件不清晰，请重新上传清晰的扫描件。"}])
        else:
            rev_ops.preliminary_approve(d.app, reviewer)

    def phase_corrections(self) -> None:
        answering = [d for d in self._active(State.CORRECTION_REQUESTED)
                     if d.person.fate == "correction"]
        for cohort in self._by_plan(answering).values():
            self._plan_day(cohort[0].plan, self._workdays(self.today_by_plan[cohort[0].plan.pk], 3))
            self._each("corrections", cohort, self._correct_one)

    def _correct_one(self, d: Dossier) -> None:
        assert d.app is not None
        new = rev_ops.replace_material(d.app, d.user, material_id=d.material,
                                       upload=self._upload("职称证书（清晰）.pdf"))
        d.material = new.pk
        rev_ops.resubmit_corrections(d.app, d.user)
        reviewer = self._reviewer(d)
        rev_ops.record_dossier_view(d.app, reviewer)
        rev_ops.preliminary_approve(d.app, reviewer)

    def phase_committee(self) -> None:
        for cohort in self._by_plan(self._active(State.COMMITTEE_RECHECK)).values():
            plan = cohort[0].plan
            self._plan_day(plan, self._workdays(self.today_by_plan[plan.pk], 2))
            self._each("committee", cohort, self._committee_one)

    def _committee_one(self, d: Dossier) -> None:
        assert d.app is not None
        office = self.world.committee_office[d.plan.office_id]
        rev_ops.record_dossier_view(d.app, office)
        if d.person.fate == "committee_return":
            rev_ops.committee_return(d.app, office, reasons="初审意见不完整，请按原渠道补充。")
            reviewer = self._reviewer(d)
            rev_ops.record_dossier_view(d.app, reviewer)
            rev_ops.preliminary_approve(d.app, reviewer)
            rev_ops.record_dossier_view(d.app, office)
        if d.app.level in committee_setting(d.plan).provincial_levels:
            rev_ops.city_office_review(d.app, self.world.city, opinion="经审核，同意报送省高评委。")
            rev_ops.forward_to_province(d.app, office)
            d.provincial = True
            return
        rev_ops.committee_accept(d.app, office)

    def phase_pre_evaluation(self) -> None:
        """Publicities close after their last day (the signal moves each dossier to
        ready_for_meeting); overdue correction requests expire (视为放弃)."""
        publicity = self._by_plan(self._active(State.PRE_EVALUATION_PUBLICITY))
        overdue = self._by_plan(self._active(State.CORRECTION_REQUESTED))
        for plan_pk in sorted(set(publicity) | set(overdue)):
            cohort = publicity.get(plan_pk, [])
            if cohort:
                self._close_publicities(cohort, "pre_evaluation")
            late = overdue.get(plan_pk, [])
            if late:
                due = max(rev_ops.open_correction(d.app).due_date for d in late)  # type: ignore[union-attr]
                self._plan_day(late[0].plan, due + dt.timedelta(days=1))
                self._each("expire", late, lambda d: rev_ops.expire_correction(d.app))

    def phase_meeting(self) -> None:
        ready = self._by_plan(self._active(State.READY_FOR_MEETING))
        office_of = {p.pk: p for p in self.world.plans}
        bar = Progress("meetings", len(ready), enabled=self.show_progress)
        for plan_pk, cohort in ready.items():
            plan = office_of[plan_pk]
            self._meeting(plan, cohort)
            bar.advance()
        bar.close()
        provincial = list(self._active(State.FORWARDED_TO_PROVINCE))
        for cohort in self._by_plan(provincial).values():
            plan = cohort[0].plan
            self._plan_day(plan, self._workdays(self.today_by_plan[plan.pk], 20))
            self._each("province", cohort, lambda d: rev_ops.record_provincial_result(
                d.app, self.world.committee_office[d.plan.office_id],
                passed=d.person.fate != "vote_fail",
                document_number=f"苏职称〔{self.season.year}〕模拟{d.person.index}号"))

    def _meeting(self, plan: CommitteePlan, cohort: list[Dossier]) -> None:
        w = self.world
        office, committee = w.committee_office[plan.office_id], w.committees[plan.pk]
        report_day = self._plan_day(plan, self.today_by_plan[plan.pk])
        date = report_day + dt.timedelta(days=12)
        with transaction.atomic():
            m = ev_ops.create_meeting(office, committee, self.season, date=date,
                                      place=f"{plan.office}会议室", draw_spec=[{
                                          "specialty": world_mod.expert_specialty(self.label, plan),
                                          "level": "associate_senior",
                                          "count": world_mod.EXPERTS_PER_COMMITTEE,
                                          "reserve": world_mod.RESERVE_EXPERTS}],
                                      pass_rate=world_mod.pass_rate_for(plan))
            ev_ops.submit_opening_report(m, office)
            ev_ops.decide_opening_report(m, w.city, approve=True)
            ev_ops.commit_draw(m, office)
            ev_ops.run_draw(m, office)
        self._plan_day(plan, date)
        with transaction.atomic():
            seats = [s for s in m.seats.select_related("expert").order_by("position")
                     if not s.reserve]
            ev_ops.record_attendance(m, office, [s.pk for s in seats])
            chair = committee.members.filter(role="chair").select_related("expert").first()
            if chair is not None:
                ev_ops.name_presiding(m, office, chair)
            ev_ops.open_meeting(m, office)
        fates = {d.app.pk: d for d in cohort if d.app is not None}
        cases = list(m.cases.select_related("application").order_by("pk"))

        def vote(case: Any) -> None:
            ev_ops.open_ballot(case, office)
            d = fates.get(case.application_id)
            against = 4 if d is not None and d.person.fate == "vote_fail" else (
                d.person.votes_against if d is not None else 0)
            for i, seat in enumerate(ev_queries.voters(case)):
                choice = "disagree" if i < against else "agree"
                ev_ops.cast_ballot(case, w.experts[seat.expert_id], choice)
            ev_ops.close_ballot(case, office)

        self._each("ballots", cases, vote)
        self._ceiling(m, office, fates)
        with transaction.atomic():
            m.refresh_from_db()
            ev_ops.assign_tally_roles(m, office, seats[0], seats[1])
            ev_ops.sign_tally(m, w.experts[seats[0].expert_id])
            ev_ops.sign_tally(m, w.experts[seats[1].expert_id])
            ev_ops.record_results(m, office)
            ev_ops.publish_results(m, office)
        self.meetings[plan.pk] = m
        self.report.meetings += 1

    def _ceiling(self, m: Meeting, office: Any, fates: dict[int, Dossier]) -> None:
        """More passed the vote than the meeting's pass rate allows: the office holds back
        those with the fewest votes in favour (the latest applicant first on a tie) and
        says so in writing, as the minutes and the data report then show."""
        m.refresh_from_db()
        report = ev_queries.ceiling_report(m)
        if not report["exceeded"]:
            return

        def order(case: Any) -> tuple[int, int]:
            d = fates.get(case.application_id)
            return case.agree or 0, -(d.person.index if d is not None else case.application_id)

        passed = sorted((c for c in m.cases.all() if c.passed), key=order)
        held = [c.pk for c in passed[:report["passed"] - report["ceiling"]]]
        ev_ops.decide_ceiling(m, office, held_back=held, reason=(
            f"通过{report['passed']}人，超过通过率上限{report['ceiling']}人；"
            "按同意票由少到多确定因通过率不予通过的人员。"))

    def phase_results(self) -> None:
        for plan_pk, m in self.meetings.items():
            plan = next(p for p in self.world.plans if p.pk == plan_pk)
            cohort = [d for d in self.dossiers if d.plan.pk == plan_pk and d.app is not None]
            self._close_publicities(cohort, "result")
            with transaction.atomic():
                m.refresh_from_db()
                ev_ops.file_results(
                    m, self.world.city,
                    approval_number=f"模拟职称办〔{m.date.year}〕{m.pk}号")
                if world_mod.sends_data_report(plan):
                    ev_ops.send_data_report(m, self.world.committee_office[plan.office_id])

    def phase_certificates(self) -> None:
        for cohort in self._by_plan(self._active(State.APPROVED)).values():
            plan = cohort[0].plan
            self._plan_day(plan, self._workdays(self.today_by_plan[plan.pk], 1))
            number = f"连职称〔{self.season.year}〕{plan.row}号"

            def issue(d: Dossier, number: str = number) -> None:
                assert d.app is not None
                cert_ops.issue_certificate(d.app, self.world.city, approval_number=number)

            self._each("certificates", cohort, issue)

    def phase_revocations(self) -> None:
        cheats = [d for d in self._active(State.CERTIFICATE_ISSUED)
                  if d.person.fate == "fraud_after_certificate"]
        for cohort in self._by_plan(cheats).values():
            plan = cohort[0].plan
            self._plan_day(plan, self.today_by_plan[plan.pk] + dt.timedelta(days=30))
            self._each("revocations", cohort, lambda d: cert_ops.revoke_certificate(
                Certificate.objects.get(application=d.app), self.world.city,
                evidence="举报查实：申报时提交的论文系他人代写。",
                decision_number=f"连职称办〔{self.season.year}〕撤{d.person.index}号"))

    def _summarise(self) -> None:
        ids = [d.app.pk for d in self.dossiers if d.app is not None]
        states: Counter[str] = Counter()
        for start in range(0, len(ids), 5000):
            states.update(Application.objects.filter(pk__in=ids[start:start + 5000])
                          .values_list("state", flat=True))
        self.report.states = states
        certs = Certificate.objects.filter(application_id__in=ids) if len(ids) < 30000 else \
            Certificate.objects.filter(application__season=self.season)
        self.report.certificates = certs.count()
        self.report.revoked_certificates = certs.filter(status="revoked").count()
        self.report.integrity_records = IntegrityRecord.objects.filter(
            application_id__in=ids).count() if len(ids) < 30000 else IntegrityRecord.objects.count()

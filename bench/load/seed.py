"""Bench-only seeder for the load benchmark: a season with N applications (default 100,000).

NOT a product command and never run by `make test`. It builds a handful of *template*
applications through the real operations (start, materials, commitment, submit, unit review,
publicity, recommendation, preliminary approval, committee acceptance), so every shape is
real, then clones them with PostgreSQL COPY into N applications spread over the states, the
plans and ~300 synthetic employers. Cloned rows write **no audit events** (the audit chain
holds the templates only and stays intact) and share the templates' stored material files.

It also prepares what the load users need and writes it to OUT/fixtures.json:
- `applicants`: drafts (one per locust user) with a signed-in session each;
- `reviewer`: a preliminary reviewer (with a TOTP authenticator, as officials must have)
  whose worklist holds exactly `--worklist` items, and a session for that reviewer;
- `surge`: `--surge` ready-to-submit drafts (material, commitment) with sessions;
- `certificates`: (number, holder name) of certificates issued by the real operation;
- `publicities`: ids of running publicity entries.
Sessions are written straight into the session store (the login form would need each
official's TOTP code, and the benchmark measures the pages, not the login).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhicheng_load \
        .venv/bin/python bench/load/seed.py --applications 100000 --out var/load
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhicheng.accounts.models import User  # noqa: E402
from zhicheng.accounts.officials import is_official  # noqa: E402
from zhicheng.accounts.sessions import OFFICIAL, SEEN, STARTED  # noqa: E402
from zhicheng.accounts.totp import activate_totp  # noqa: E402
from zhicheng.applications import operations as ops  # noqa: E402
from zhicheng.applications.models import (  # noqa: E402
    ApplicantProfile,
    Application,
    Material,
    Submission,
)
from zhicheng.applications.profiles import new_uid, validate_facts  # noqa: E402
from zhicheng.applications.states import State  # noqa: E402
from zhicheng.catalogue.models import Series  # noqa: E402
from zhicheng.core import clock  # noqa: E402
from zhicheng.demo.accounts import DEMO_TOTP_SECRET  # noqa: E402
from zhicheng.demo.applications import DEMO_FACTS, DEMO_PLAN_ROW, DEMO_SPECIALTY  # noqa: E402
from zhicheng.documents.placeholder import one_page_pdf  # noqa: E402
from zhicheng.orgs.models import District, Membership, Organisation, OrgKind  # noqa: E402
from zhicheng.orgs.queries import preliminary_reviewer_for  # noqa: E402
from zhicheng.publicity.models import KIND_ORDER, Publicity  # noqa: E402
from zhicheng.publicity.operations import close_due_publicities  # noqa: E402
from zhicheng.reviews import operations as rops  # noqa: E402
from zhicheng.reviews.models import ReviewStep  # noqa: E402
from zhicheng.seasons.models import CommitteePlan, Season  # noqa: E402

SEASON = "lianyungang-2024"
START = "2024-07-15"  # plan 41 (质量工程, 市场监督管理局) accepts in 5–7月
PASSWORD = "zhicheng-load-2024"
MARKET_OFFICE = "连云港市市场监督管理局"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国志文斌宇浩凯鹏辉晨"

# Share of the bulk (what is left after the load users, the surge, the worklist) per state.
BULK_STATES: list[tuple[str, float]] = [
    (State.DRAFT, 0.15),
    (State.WITHDRAWN, 0.03),
    (State.SUBMITTED, 0.14),
    (State.UNIT_REVIEW, 0.10),
    (State.UNIT_PUBLICITY, 0.10),
    (State.PRELIMINARY_REVIEW, 0.23),
    (State.COMMITTEE_RECHECK, 0.12),
    (State.PRE_EVALUATION_PUBLICITY, 0.13),
]


def log(msg: str) -> None:
    print(f"[seed {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def pdf_bytes(text: str) -> bytes:
    return one_page_pdf(text)


def copy_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]],
              ) -> int:
    """COPY rows into the model's table (column names from the field names). A NOT NULL
    column the caller does not list but that has a default or may be blank (a column added
    since the seeder was written) gets that default, so a new field does not break it."""
    columns = [model._meta.get_field(f).column for f in fields]  # type: ignore[union-attr]
    defaulted = [f for f in model._meta.concrete_fields
                 if f.column not in columns and not f.null and not f.primary_key
                 and (f.has_default() or f.empty_strings_allowed and f.blank)]
    defaults = tuple(json.dumps(v) if isinstance(v := f.get_default(), (dict, list)) else v
                     for f in defaulted)
    columns += [f.column for f in defaulted]
    table = model._meta.db_table
    n = 0
    with connection.cursor() as cur:
        raw = cur.cursor
        with raw.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as cp:
            for row in rows:
                cp.write_row(tuple(row) + defaults)
                n += 1
    return n


def reserve_ids(model: type[models.Model], count: int) -> int:
    """First of `count` consecutive primary keys, taken from the table's sequence."""
    table = model._meta.db_table
    with connection.cursor() as cur:
        cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        seq = cur.fetchone()[0]
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM \"{table}\"")
        first = int(cur.fetchone()[0]) + 1
        cur.execute("SELECT setval(%s, %s)", [seq, first + count])
    return first


# --- templates through the real operations -------------------------------------------------


class Templates:
    def __init__(self, employer: Organisation) -> None:
        self.employer = employer
        self.season = Season.objects.get(code=SEASON)
        self.plan = CommitteePlan.objects.get(season=self.season, row=DEMO_PLAN_ROW)
        self.series = Series.objects.get(code="engineering")
        self.n = 0
        self.hr = self._official("unit_hr", employer)
        self.reviewer = self._official("preliminary_reviewer", preliminary_reviewer_for(employer))
        self.committee = self._official(
            "committee_office", Organisation.objects.get(name=MARKET_OFFICE)
        )

    def _official(self, role: str, org: Organisation | None) -> User:
        assert org is not None
        self.n += 1
        user = User.objects.create_user(
            username=f"load_tpl_{role}", password=PASSWORD, full_name=f"模板{role}",
            email=f"load_tpl_{role}@example.invalid",
        )
        Membership.objects.create(user=user, organisation=org, role=role)
        activate_totp(user, DEMO_TOTP_SECRET)
        return user

    def applicant(self) -> User:
        self.n += 1
        user = User.objects.create_user(
            username=f"load_tpl_applicant{self.n}", password=PASSWORD, full_name="模板申报人",
            email=f"load_tpl_applicant{self.n}@example.invalid",
        )
        facts = copy.deepcopy(DEMO_FACTS)
        facts["employment"]["employer"] = self.employer.name
        facts = validate_facts(facts)
        meta = {
            s: [{"uid": row.get("id") or new_uid()} for row in facts.get(s, [])]
            for s in ("education", "titles", "work_history", "annual_assessments",
                      "continuing_education", "achievements")
        }
        ApplicantProfile.objects.create(user=user, employer=self.employer, facts=facts,
                                        meta=meta, schema_version="1.0")
        return user

    def draft(self) -> Application:
        user = self.applicant()
        app = ops.start_application(
            user, season=self.season, plan=self.plan, series_id=self.series.pk,
            specialty=DEMO_SPECIALTY, level="intermediate", route="normal",
        )
        for i, (kind, title) in enumerate([("title", "助理工程师证书"), ("contract", "劳动合同")]):
            upload = SimpleUploadedFile(f"m{i}.pdf", pdf_bytes(f"{title} {app.pk}"),
                                        content_type="application/pdf")
            ops.add_material(app, user, upload, kind=kind, title=title,
                             document_date=dt.date(2019, 6, 30))
        ops.accept_commitment(app, user, ip="127.0.0.1")
        return Application.objects.get(pk=app.pk)

    def submitted(self) -> Application:
        app = self.draft()
        ops.submit_application(app, app.applicant, token=f"load-tpl-{app.pk}")
        return Application.objects.get(pk=app.pk)

    def unit_review(self) -> Application:
        app = self.submitted()
        rops.unit_start_review(app, self.hr)
        return Application.objects.get(pk=app.pk)

    def unit_publicity(self) -> Application:
        app = self.unit_review()
        rops.record_dossier_view(app, self.hr)
        sub = app.submissions.order_by("-number").first()
        assert sub is not None
        rops.save_unit_check(app, self.hr, checked_ids=[m["id"] for m in sub.snapshot["materials"]],
                             opinion="情况属实，同意推荐。")
        rops.unit_approve(app, self.hr)
        return Application.objects.get(pk=app.pk)

    def preliminary(self) -> Application:
        app = self.unit_publicity()
        p = Publicity.objects.filter(application=app).order_by("-pk").first()
        assert p is not None
        settings.ZHICHENG_TODAY = (p.last_day + dt.timedelta(days=1)).isoformat()
        try:
            close_due_publicities()
            rops.unit_recommend(app, self.hr)
        finally:
            settings.ZHICHENG_TODAY = START
        return Application.objects.get(pk=app.pk)

    def committee_recheck(self) -> Application:
        app = self.preliminary()
        rops.record_dossier_view(app, self.reviewer)
        rops.preliminary_approve(app, self.reviewer)
        return Application.objects.get(pk=app.pk)

    def pre_evaluation(self) -> Application:
        app = self.committee_recheck()
        rops.record_dossier_view(app, self.committee)
        rops.committee_accept(app, self.committee)
        return Application.objects.get(pk=app.pk)


# --- cloning --------------------------------------------------------------------------------


def synthetic_employers(count: int) -> list[Organisation]:
    districts = list(District.objects.order_by("code"))
    existing = set(Organisation.objects.filter(name__startswith="连云港负载测试").values_list(
        "name", flat=True))
    new = [
        Organisation(name=f"连云港负载测试{i:03d}有限公司", kind=OrgKind.EMPLOYER,
                     district=districts[i % len(districts)], employer_type="enterprise")
        for i in range(count) if f"连云港负载测试{i:03d}有限公司" not in existing
    ]
    Organisation.objects.bulk_create(new)
    return list(Organisation.objects.filter(name__startswith="连云港负载测试").order_by("name"))


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


class Cloner:
    """Clones a template application (profile, application, materials, submissions, review
    steps, open publicity) for a list of (state, employer, plan) rows with COPY."""

    def __init__(self, templates: dict[str, Application], tpl_employer: Organisation,
                 rng: random.Random) -> None:
        self.templates = templates
        self.rng = rng
        self.password = make_password(PASSWORD)
        # Copied rows are stamped at the business date the benchmark runs on (10:00), as the
        # dossiers of a running season are: a real-time stamp years after the season would
        # give every worklist row a deadline years away.
        self.now = timezone.make_aware(dt.datetime.combine(clock.today(), dt.time(10)))
        self.reviewer_of: dict[int, int | None] = {}
        self.plans = list(
            CommitteePlan.objects.filter(season__code=SEASON, office__isnull=False)
            .prefetch_related("series").order_by("row")
        )
        self.tpl_profile = {
            k: ApplicantProfile.objects.get(user_id=t.applicant_id) for k, t in templates.items()
        }
        self.tpl_employer = json.dumps(tpl_employer.name, ensure_ascii=False)[1:-1]
        self.facts_json = {k: json.dumps(p.facts, ensure_ascii=False)
                           for k, p in self.tpl_profile.items()}
        self.meta_json = {k: json.dumps(p.meta, ensure_ascii=False)
                          for k, p in self.tpl_profile.items()}
        self.tpl_materials = {k: list(t.materials.all()) for k, t in templates.items()}
        self.tpl_submissions = {k: list(t.submissions.order_by("number"))
                                for k, t in templates.items()}
        self.tpl_steps = {k: list(ReviewStep.objects.filter(application=t).order_by("pk"))
                          for k, t in templates.items()}
        # The latest publicity of each template; it runs for the clones in a publicity
        # state (making the templates closed the unit publicity of the unit_publicity one).
        self.tpl_publicity = {k: Publicity.objects.filter(application=t).order_by("-pk").first()
                              for k, t in templates.items()}

    def reviewer(self, employer: Organisation) -> int | None:
        if employer.pk not in self.reviewer_of:
            r = preliminary_reviewer_for(employer)
            self.reviewer_of[employer.pk] = r.pk if r else None
        return self.reviewer_of[employer.pk]

    def clone(self, rows: list[tuple[str, Organisation, CommitteePlan | None]], prefix: str,
              ) -> list[tuple[int, int]]:
        """Returns [(user id, application id)] in the order of `rows`."""
        n = len(rows)
        if n == 0:
            return []
        uid0 = reserve_ids(User, n)
        aid0 = reserve_ids(Application, n)
        pid0 = reserve_ids(ApplicantProfile, n)
        now = self.now
        users, profiles, apps = [], [], []
        materials: list[tuple[Any, ...]] = []
        submissions: list[tuple[Any, ...]] = []
        steps: list[tuple[Any, ...]] = []
        publicities: list[tuple[Any, ...]] = []
        snapshot_json: dict[int, str] = {}
        for i, (state, employer, plan) in enumerate(rows):
            uid, aid = uid0 + i, aid0 + i
            key = state if state in self.templates else State.DRAFT
            tpl = self.templates[key]
            plan = plan or tpl.plan
            series_id = tpl.series_id
            if plan.pk != tpl.plan_id:
                codes = [s.pk for s in plan.series.all()]
                series_id = codes[0] if codes else tpl.series_id
            username = f"{prefix}{uid}"
            full_name = name(self.rng)
            users.append((uid, self.password, False, username, "", "",
                          f"{username}@example.invalid", False, True, now, full_name,
                          "", "", "", "", "", ""))
            prof = self.tpl_profile[key]
            # The template's employer name (employment, work history) becomes the clone's.
            facts = self.facts_json[key].replace(self.tpl_employer, employer.name)
            profiles.append((pid0 + i, uid, employer.pk, False, prof.schema_version, facts,
                             self.meta_json[key], 1, now))
            submitted = state not in (State.DRAFT, State.WITHDRAWN)
            apps.append((
                aid, uid, tpl.season_id, plan.pk, series_id, tpl.specialty, tpl.level, tpl.route,
                state, tpl.explanation, employer.pk if submitted else None, False,
                self.reviewer(employer) if submitted else None,
                tpl.commitment_accepted_at, tpl.commitment_ip, tpl.commitment_sha256,
                tpl.version, now, now, tpl.submitted_at if submitted else None,
            ))
            for m in self.tpl_materials[key]:
                materials.append((aid, m.kind, m.title, m.file.name, m.original_name,
                                  m.content_type, m.size, m.sha256, m.document_date,
                                  m.is_representative, m.proves, now, uid,
                                  m.original_sha256, json.dumps(m.removed_content)))
            if submitted:
                for s in self.tpl_submissions[key]:
                    if s.pk not in snapshot_json:
                        snapshot_json[s.pk] = json.dumps(s.snapshot, ensure_ascii=False)
                    submissions.append((aid, s.number, snapshot_json[s.pk], s.sha256,
                                        f"{prefix}{aid}-{s.number}", now, uid))
                for st in self.tpl_steps[key]:
                    steps.append((aid, st.step, st.organisation_id, st.actor_id, st.actor_label,
                                  st.reasons, st.is_return, None, now))
                p = self.tpl_publicity[key]
                if p is not None:
                    org = employer.pk if p.kind == "unit" else (plan.office_id or p.organisation_id)
                    running = state in (State.UNIT_PUBLICITY, State.PRE_EVALUATION_PUBLICITY)
                    publicities.append((aid, p.kind, p.round, org, p.first_day, p.last_day,
                                        p.required_workdays, p.parameter, p.clause, now,
                                        p.opened_by_id, None if running else p.closed_at,
                                        KIND_ORDER.index(p.kind), full_name))
        copy_rows(User, ["id", "password", "is_superuser", "username", "first_name", "last_name",
                         "email", "is_staff", "is_active", "date_joined", "full_name", "id_type",
                         "id_number", "foreign_permit_type", "foreign_permit_number", "sex",
                         "phone"], users)
        copy_rows(ApplicantProfile, ["id", "user", "employer", "freelancer", "schema_version",
                                     "facts", "meta", "version", "updated_at"], profiles)
        copy_rows(Application, ["id", "applicant", "season", "plan", "series", "specialty",
                                "level", "route", "state", "explanation", "employer",
                                "freelancer", "preliminary_reviewer", "commitment_accepted_at",
                                "commitment_ip", "commitment_sha256", "version", "created_at",
                                "updated_at", "submitted_at"], apps)
        copy_rows(Material, ["application", "kind", "title", "file", "original_name",
                             "content_type", "size", "sha256", "document_date",
                             "is_representative", "proves", "uploaded_at", "uploaded_by",
                             "original_sha256", "removed_content"],
                  materials)
        copy_rows(Submission, ["application", "number", "snapshot", "sha256", "token",
                               "created_at", "created_by"], submissions)
        copy_rows(ReviewStep, ["application", "step", "organisation", "actor", "actor_label",
                               "reasons", "is_return", "submission", "created_at"], steps)
        copy_rows(Publicity, ["application", "kind", "round", "organisation", "first_day",
                              "last_day", "required_workdays", "parameter", "clause",
                              "opened_at", "opened_by", "closed_at", "kind_rank", "sort_name"],
                  publicities)
        return [(uid0 + i, aid0 + i) for i in range(n)]


def stamp_login(session: Any, *, official: bool) -> None:
    """What a login writes into the session (accounts.sessions.stamp): without it, the first
    request of each seeded session would stamp it, a query and a session write that no
    request of a real signed-in person makes."""
    now = time.time()
    session[STARTED] = now
    session[SEEN] = int(now)
    session[OFFICIAL] = official


def session_for(user_id: int) -> str:
    user = User.objects.get(pk=user_id)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    stamp_login(store, official=is_official(user))
    store.create()
    assert store.session_key is not None
    return store.session_key


def sessions_for(user_ids: list[int]) -> list[str]:
    """Sessions written in bulk (same encoding as SessionStore)."""
    from django.contrib.sessions.models import Session

    hashes = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "password"))
    officials = set(Membership.objects.filter(user_id__in=user_ids, active=True)
                    .values_list("user_id", flat=True))
    expire = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    keys, rows = [], []
    for uid in user_ids:
        store = SessionStore()
        key = store._get_new_session_key()
        # get_session_auth_hash() is an HMAC of the password hash: same for clones.
        data = {SESSION_KEY: str(uid),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: User(pk=uid, password=hashes[uid]).get_session_auth_hash()}
        stamp_login(data, official=uid in officials)
        rows.append(Session(session_key=key, session_data=store.encode(data),
                            expire_date=expire))
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=1000)
    return keys


def certificates(count: int, employer: Organisation) -> list[dict[str, str]]:
    """Approved results (set directly: the meeting is not what this benchmark loads) issued
    as certificates by the real operation. Needs a signing key (`certificate keygen`)."""
    from stdnum.cn import ric

    from zhicheng.certificates.operations import issue_certificate

    city = User.objects.get(username="city_office")
    season = Season.objects.get(code=SEASON)
    plan = CommitteePlan.objects.get(season=season, row=DEMO_PLAN_ROW)
    series = Series.objects.get(code="engineering")
    out = []
    for i in range(count):
        body = f"32070619850101{i:03d}"
        user = User.objects.create_user(
            username=f"load_holder{i}", password=PASSWORD, full_name=f"证书持有人{i}",
            email=f"load_holder{i}@example.invalid", id_type="resident",
            id_number=body + ric.calc_check_digit(body),
        )
        app = Application.objects.create(
            applicant=user, season=season, plan=plan, series=series, specialty=DEMO_SPECIALTY,
            level="intermediate", route="normal", state=State.APPROVED, employer=employer,
        )
        cert = issue_certificate(app, city, approval_number="连职称办〔2024〕12号")
        out.append({"number": cert.number, "name": cert.holder_name})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--applications", type=int, default=100_000)
    ap.add_argument("--users", type=int, default=200, help="load applicants (one per locust user)")
    ap.add_argument("--worklist", type=int, default=500)
    ap.add_argument("--surge", type=int, default=1000)
    ap.add_argument("--certificates", type=int, default=20)
    ap.add_argument("--employers", type=int, default=300)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--out", type=Path, default=Path("var/load"))
    args = ap.parse_args(argv)
    if connection.vendor != "postgresql":
        print("seed.py needs PostgreSQL (DATABASE_URL=postgres://…): it uses COPY.",
              file=sys.stderr)
        return 2
    if Application.objects.filter(applicant__username__startswith="load").exists():
        print("This database is already seeded; use a fresh one (bench/load/run.sh drops it).",
              file=sys.stderr)
        return 2
    settings.ZHICHENG_TODAY = START
    settings.CELERY_TASK_ALWAYS_EAGER = True  # template notifications: no broker needed here
    rng = random.Random(args.seed)
    t0 = time.monotonic()

    employers = synthetic_employers(args.employers)
    reviewer_of = {e.pk: preliminary_reviewer_for(e) for e in employers}
    # The load reviewer's organisation: the district bureau of the first synthetic employer.
    load_org = reviewer_of[employers[0].pk]
    assert load_org is not None
    mine = [e for e in employers if reviewer_of[e.pk] == load_org]
    others = [e for e in employers if reviewer_of[e.pk] not in (load_org, None)]
    log(f"{len(employers)} employers; load reviewer org {load_org.name} ({len(mine)} employers)")

    tpl_maker = Templates(others[0])
    templates = {
        State.DRAFT: tpl_maker.draft(),
        State.SUBMITTED: tpl_maker.submitted(),
        State.UNIT_REVIEW: tpl_maker.unit_review(),
        State.UNIT_PUBLICITY: tpl_maker.unit_publicity(),
        State.PRELIMINARY_REVIEW: tpl_maker.preliminary(),
        State.COMMITTEE_RECHECK: tpl_maker.committee_recheck(),
        State.PRE_EVALUATION_PUBLICITY: tpl_maker.pre_evaluation(),
    }
    for state, app in templates.items():
        assert app.state == state, (state, app.state)
    log(f"templates through the real operations: {len(templates)} ({time.monotonic() - t0:.1f}s)")
    cloner = Cloner(templates, tpl_maker.employer, rng)
    open_plan = templates[State.DRAFT].plan

    # One plan per employer: colleagues of one unit at the same series and level go to the
    # same committee (四), which submission checks. The first 100 employers outside the load
    # reviewer's district use plan 41 (open on the business date): the load applicants and
    # the surge drafts (ten per employer) work there.
    open_employers = others[:100]
    plan_of = {e.pk: rng.choice(cloner.plans) for e in employers}
    plan_of.update({e.pk: open_plan for e in open_employers})
    load_rows: list[tuple[str, Organisation, CommitteePlan | None]] = [
        (State.DRAFT, open_employers[i % len(open_employers)], open_plan)
        for i in range(args.users)]
    load_ids = cloner.clone(load_rows, "load_user")
    surge_rows: list[tuple[str, Organisation, CommitteePlan | None]] = [
        (State.DRAFT, open_employers[(i // 10) % len(open_employers)], open_plan)
        for i in range(args.surge)]
    surge_ids = cloner.clone(surge_rows, "load_surge")
    work_rows: list[tuple[str, Organisation, CommitteePlan | None]] = [
        (State.PRELIMINARY_REVIEW, mine[i % len(mine)], plan_of[mine[i % len(mine)].pk])
        for i in range(args.worklist)]
    cloner.clone(work_rows, "load_work")
    reviewer = User.objects.create_user(
        username="load_reviewer", password=PASSWORD, full_name="负载审核员",
        email="load_reviewer@example.invalid")
    Membership.objects.create(user=reviewer, organisation=load_org, role="preliminary_reviewer")
    activate_totp(reviewer, DEMO_TOTP_SECRET)
    log(f"load users {len(load_ids)}, surge {len(surge_ids)}, worklist {len(work_rows)}")

    certs = certificates(args.certificates, others[0])
    log(f"certificates issued: {len(certs)}")

    done = Application.objects.count()
    bulk = max(0, args.applications - done)
    # States that would land in the load reviewer's worklist go to other reviewers' employers.
    waiting = {State.PRELIMINARY_REVIEW, State.CORRECTION_REQUESTED}
    chunk = 10_000
    made = 0
    while made < bulk:
        rows: list[tuple[str, Organisation, CommitteePlan | None]] = []
        for _ in range(min(chunk, bulk - made)):
            r = rng.random()
            state = BULK_STATES[-1][0]
            for s, share in BULK_STATES:
                if r < share:
                    state = s
                    break
                r -= share
            employer = rng.choice(others if state in waiting else employers)
            rows.append((state, employer, plan_of[employer.pk]))
        cloner.clone(rows, "load_bulk")
        made += len(rows)
        log(f"bulk {made}/{bulk} ({time.monotonic() - t0:.0f}s)")
    # COPY bypasses the saves that keep the worklist's stored order: fill it once.
    rops.refresh_all_worklist_keys()
    log(f"worklist keys stored ({time.monotonic() - t0:.0f}s)")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")

    applicant_sessions = sessions_for([u for u, _ in load_ids])
    surge_sessions = sessions_for([u for u, _ in surge_ids])
    args.out.mkdir(parents=True, exist_ok=True)
    fixtures = {
        "business_date": START,
        "applicants": [{"session": s, "application": a}
                       for s, (_, a) in zip(applicant_sessions, load_ids, strict=True)],
        "surge": [{"session": s, "application": a}
                  for s, (_, a) in zip(surge_sessions, surge_ids, strict=True)],
        "reviewer": {"session": session_for(reviewer.pk), "organisation": load_org.name,
                     "worklist": args.worklist},
        "certificates": certs,
        "publicities": list(Publicity.objects.filter(closed_at__isnull=True)
                            .order_by("pk").values_list("pk", flat=True)[:200]),
        "plan": {"id": open_plan.pk, "row": open_plan.row,
                 "series": templates[State.DRAFT].series.code,
                 "specialty": DEMO_SPECIALTY, "level": "intermediate"},
        "counts": {"applications": Application.objects.count(),
                   "submissions": Submission.objects.count(),
                   "users": User.objects.count()},
    }
    (args.out / "fixtures.json").write_text(json.dumps(fixtures, ensure_ascii=False, indent=1))
    log(f"done: {fixtures['counts']} in {time.monotonic() - t0:.0f}s -> {args.out}/fixtures.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

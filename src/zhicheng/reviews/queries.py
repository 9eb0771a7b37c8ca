"""Reads of the review chain, scoped to the actor (jurisdiction) and fetched with their
related rows, so a worklist page runs a constant number of queries whatever its length."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from zhicheng.applications.models import Application, Submission
from zhicheng.applications.states import State
from zhicheng.core import clock
from zhicheng.core.compiled import Compiled as _Compiled
from zhicheng.core.compiled import kept
from zhicheng.core.inputs import bounded_int
from zhicheng.orgs.models import Membership
from zhicheng.orgs.models import Role as OrgRole
from zhicheng.orgs.queries import in_office_cities
from zhicheng.publicity.models import Publicity
from zhicheng.seasons.models import CommitteePlan, Season

from .models import CorrectionRequest, CorrectionStatus, DossierView, ReviewStep, SamplingDraw

# What waits for each role (its worklist).
WAITING: dict[str, tuple[str, ...]] = {
    OrgRole.UNIT_HR: (State.SUBMITTED, State.UNIT_REVIEW, State.UNIT_PUBLICITY),
    OrgRole.PRELIMINARY_REVIEWER: (State.PRELIMINARY_REVIEW, State.CORRECTION_REQUESTED),
    OrgRole.COMMITTEE_OFFICE: (
        State.COMMITTEE_RECHECK, State.PRE_EVALUATION_PUBLICITY, State.FORWARDED_TO_PROVINCE,
    ),
    OrgRole.CITY_OFFICE: (State.COMMITTEE_RECHECK,),
}
_BEFORE_PRELIMINARY = (
    State.DRAFT, State.SUBMITTED, State.UNIT_REVIEW, State.UNIT_PUBLICITY, State.WITHDRAWN,
)
_AT_COMMITTEE = (
    State.COMMITTEE_RECHECK, State.PRE_EVALUATION_PUBLICITY, State.READY_FOR_MEETING,
    State.PASSED, State.NOT_PASSED, State.RESULT_PUBLICITY, State.APPROVED,
    State.CERTIFICATE_ISSUED, State.FORWARDED_TO_PROVINCE,
)


@dataclass
class Roles:
    orgs: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    # The cities the person's city-office memberships serve (None: an office naming no city,
    # which serves the whole installation).
    office_cities: set[int | None] = field(default_factory=set)

    def of(self, role: str) -> set[int]:
        return self.orgs.get(role, set())

    @property
    def any(self) -> bool:
        return any(self.orgs.values())

    @property
    def is_city_office(self) -> bool:
        return bool(self.of(OrgRole.CITY_OFFICE))

    def has(self, role: str) -> bool:
        return bool(self.of(role))


def roles_of(user: Any) -> Roles:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Roles()
    return roles_from(Membership.objects.filter(user=user, active=True).values_list(
        "role", "organisation_id", "organisation__city_id"
    ))


def roles_from(rows: Any) -> Roles:
    """The roles of (role, organisation id, its city id, …) rows of active memberships."""
    roles = Roles()
    for role, org_id, city_id, *_rest in rows:
        roles.orgs[role].add(org_id)
        if role == OrgRole.CITY_OFFICE:
            roles.office_cities.add(city_id)
    return roles


# What the worklist page already read, kept on its request so that page's work bar
# (portal.navigation) does not read the memberships and count the same rows again.
_REQUEST_ROLES = "_zc_review_roles"
_REQUEST_WORKLIST_COUNT = "_zc_worklist_count"


def request_roles(request: Any) -> Roles:
    """`roles_of(request.user)`, read once per request."""
    roles = getattr(request, _REQUEST_ROLES, None)
    if roles is None:
        roles = roles_of(getattr(request, "user", None))
        setattr(request, _REQUEST_ROLES, roles)
    return roles


def remember_roles(request: Any, roles: Roles) -> None:
    """The memberships of the request's user as read this request (the second-factor check
    of accounts.middleware reads them with the TOTP state in one query)."""
    setattr(request, _REQUEST_ROLES, roles)


def remember_worklist_count(request: Any, count: int) -> None:
    """The number of rows of the request user's whole worklist (no filter), as counted."""
    setattr(request, _REQUEST_WORKLIST_COUNT, count)


def remembered_worklist_count(request: Any) -> int | None:
    return getattr(request, _REQUEST_WORKLIST_COUNT, None)


def _office_city(roles: Roles) -> Q:
    """A city office sees the dossiers of its city's seasons (docs/seasons.md, 多城市)."""
    if None in roles.office_cities:
        return Q()
    return Q(season__owner_id__in=sorted(c for c in roles.office_cities if c is not None)) | Q(
        season__owner__isnull=True)


def _scope(roles: Roles) -> Q:
    """The applications a member may see, whatever their state: one Q per role."""
    q = Q(pk__in=[])
    if roles.has(OrgRole.UNIT_HR):
        q |= (
            Q(employer_id__in=roles.of(OrgRole.UNIT_HR), submitted_at__isnull=False)
            & ~Q(state__in=[State.DRAFT, State.WITHDRAWN])
        )
    if roles.has(OrgRole.PRELIMINARY_REVIEWER):
        q |= Q(preliminary_reviewer_id__in=roles.of(OrgRole.PRELIMINARY_REVIEWER)) & ~Q(
            state__in=_BEFORE_PRELIMINARY
        )
    if roles.has(OrgRole.COMMITTEE_OFFICE):
        reached = Exists(
            ReviewStep.objects.filter(application=OuterRef("pk"), step="preliminary_approve")
        )
        q |= Q(plan__office_id__in=roles.of(OrgRole.COMMITTEE_OFFICE)) & (
            Q(state__in=_AT_COMMITTEE) | Q(reached)
        )
    if roles.is_city_office:
        q |= ~Q(state__in=[State.DRAFT, State.WITHDRAWN]) & _office_city(roles)
    return q


def _base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "applicant", "season", "plan", "plan__office", "series", "employer",
        "preliminary_reviewer",
    )


def reviewable(user: Any, roles: Roles | None = None) -> QuerySet[Application]:
    roles = roles or roles_of(user)
    if not roles.any:
        return Application.objects.none()
    return _base().filter(_scope(roles))


def annotate_worklist(qs: QuerySet[Application], user: Any) -> QuerySet[Application]:
    # Ordered by number alone: the model's ordering starts with the application's (its
    # creation time), which inside one application's subquery only added a join of the
    # applications table to every row's subquery (planning and execution of the page query).
    open_due = CorrectionRequest.objects.filter(
        application=OuterRef("pk"), status=CorrectionStatus.OPEN
    ).order_by("number").values("due_date")[:1]
    returns = (
        ReviewStep.objects.filter(application=OuterRef("pk"), is_return=True)
        .order_by().values("application").annotate(n=Count("pk")).values("n")[:1]
    )
    viewed = DossierView.objects.filter(application=OuterRef("pk"), user_id=user.pk)
    publicity_end = Publicity.objects.filter(
        application=OuterRef("pk"), closed_at__isnull=True
    ).order_by("-round").values("last_day")[:1]
    # The latest publicity, closed or not: a closed one still says "recommend now".
    last_publicity_end = Publicity.objects.filter(application=OuterRef("pk")).order_by(
        "-pk").values("last_day")[:1]
    # When the dossier last moved to where it waits (its latest step, or submission) and its
    # deadline (open correction's due date, else the running publicity's end) are stored on
    # the application (`received_at`, `due_on`: reviews.operations.refresh_worklist_keys).
    return qs.annotate(
        due_date=Subquery(open_due),
        publicity_end=Subquery(publicity_end),
        last_publicity_end=Subquery(last_publicity_end),
        returns=Coalesce(Subquery(returns, output_field=IntegerField()), Value(0)),
        viewed=Exists(viewed),
    )


APPLICATION_NUMBER = re.compile(r"^(\d{4})-(\d{1,9})$")  # 2024-000123, as the 申报表 prints it


def search(text: str) -> Q:
    """A reviewer's search box: 申报编号 (2024-000123, or the bare number), the last four or
    more characters of the identity number (3207…123X), or part of the name."""
    text = text.strip()[:40]
    numbered = APPLICATION_NUMBER.match(text)
    if numbered:
        number = bounded_int(numbered.group(2))
        return Q(pk=number or 0, season__year=int(numbered.group(1)))
    found = Q(applicant__full_name__icontains=text)
    tail = text.upper()
    if len(tail) >= 4 and re.fullmatch(r"\d+X?", tail):
        found |= Q(applicant__id_number__endswith=tail)
    if text.isdigit() and bounded_int(text) is not None:
        found |= Q(pk=bounded_int(text))
    return found


def _waiting(user: Any, roles: Roles) -> QuerySet[Application]:
    """The applications waiting for this user, by role (no annotation, no order)."""
    waiting: set[str] = set()
    for role, states in WAITING.items():
        if roles.has(role):
            waiting.update(states)
    if not waiting:
        return Application.objects.none()
    qs = reviewable(user, roles).filter(state__in=sorted(waiting))
    # Narrow by role: a unit member's worklist holds only the unit stages, and so on.
    by_role = Q(pk__in=[])
    if roles.has(OrgRole.UNIT_HR):
        by_role |= Q(employer_id__in=roles.of(OrgRole.UNIT_HR),
                     state__in=WAITING[OrgRole.UNIT_HR])
    if roles.has(OrgRole.PRELIMINARY_REVIEWER):
        by_role |= Q(preliminary_reviewer_id__in=roles.of(OrgRole.PRELIMINARY_REVIEWER),
                     state__in=WAITING[OrgRole.PRELIMINARY_REVIEWER])
    if roles.has(OrgRole.COMMITTEE_OFFICE):
        by_role |= Q(plan__office_id__in=roles.of(OrgRole.COMMITTEE_OFFICE),
                     state__in=WAITING[OrgRole.COMMITTEE_OFFICE])
    if roles.is_city_office:
        by_role |= Q(state__in=WAITING[OrgRole.CITY_OFFICE]) & _office_city(roles)
    return qs.filter(by_role)


def worklist_count(user: Any, roles: Roles | None = None) -> int:
    """The number of rows of the whole worklist (no filter), as `worklist(user).count()`
    without building the page's annotations (the work bar counts on every page)."""
    return _waiting(user, roles or roles_of(user)).count()


def worklist(
    user: Any,
    *,
    state: str = "",
    plan: str = "",
    due: str = "",
    q: str = "",
    roles: Roles | None = None,
) -> QuerySet[Application]:
    """What waits for this user: by role, the nearest deadline first (a correction's due
    date, else the end of a running publicity; overdue first), then the oldest. `q` finds
    by name, the last digits of the identity number, or the 申报编号 (see `search`)."""
    qs = _waiting(user, roles or roles_of(user))
    if qs.query.is_empty():  # no role with a worklist: empty, with a worklist's columns
        return annotate_worklist(qs, user)
    qs = annotate_worklist(qs, user)
    if state:
        qs = qs.filter(state=state)
    if bounded_int(plan) is not None:
        qs = qs.filter(plan_id=bounded_int(plan))
    if q.strip():
        qs = qs.filter(search(q))
    today = clock.today()
    # `due_date` is an annotation the type checker's model plugin cannot see: passed as a dict.
    if due == "overdue":
        qs = qs.filter(**{"due_date__lt": today})  # noqa: PIE804
    elif due == "week":
        qs = qs.filter(**{"due_date__lte": today + dt.timedelta(days=7)})  # noqa: PIE804
    elif due == "none":
        qs = qs.filter(**{"due_date__isnull": True})  # noqa: PIE804
    # The nearest deadline first; rows waiting for a review are due N working days after they
    # were received, so among them the oldest receipt comes first. The order reads the stored
    # keys (Application.due_on, .received_at: the index application_worklist_order), so the
    # database takes a page without computing the subqueries for every waiting dossier.
    # The season's and the plan row's JSON (all the season's parameters, the plan's inference
    # notes) would be decoded again for every row of the page: the page reads neither per row.
    return qs.order_by(F("due_on").asc(nulls_last=True),
                       F("received_at").asc(nulls_last=True), "pk").defer(
        "season__parameters", "season__initial_determination_months", "plan__provenance")


# --- the worklist page, its queries compiled once ---------------------------------------------


# Compiled worklist queries by everything their SQL depends on (the roles with their
# organisations and cities, the user, the filters, the business date, the page's bounds;
# core.compiled.kept). Building and compiling the scoped, annotated queries cost ~6 ms of CPU
# a page at 100,000 applications; the SQL is the same whenever these are
# (docs/performance.md, "Page budgets"). A search (`q`, no key) is compiled every time.
def _compiled(key: tuple[Any, ...] | None, build: Callable[[], QuerySet[Any]],
              wrap: Callable[[Any], tuple[str, list[str]]] | None = None) -> _Compiled:
    if key is None:
        return _Compiled(build(), wrap=wrap)
    return kept(("reviews.worklist", *key), build, wrap=wrap)


def _with_plans(connection: Any) -> tuple[str, list[str]]:
    """The worklist's count by plan ("{inner}": plan_id, n) with each plan's row and specialty,
    in the filter form's order. Counted before joining the plans: grouping the joined rows by
    plan, row and specialty sorted every waiting row by the three (~0.3 ms of a 0.6 ms query
    at 500 waiting, EXPLAIN ANALYZE), which the ORM's values().annotate() cannot avoid."""
    qn = connection.ops.quote_name
    g, p = qn("g"), qn("p")
    return (f"SELECT {g}.{qn('plan_id')}, {g}.{qn('n')}, {p}.{qn('row')}, "
            f"{p}.{qn('specialty')} FROM ({{inner}}) {g} INNER JOIN "
            f"{qn(CommitteePlan._meta.db_table)} {p} ON {p}.{qn('id')} = {g}.{qn('plan_id')} "
            f"ORDER BY 3, 1", ["plan_id", "n", "plan__row", "plan__specialty"])


@dataclass(frozen=True)
class PlanChoice:
    """A plan of the worklist's filter form (CommitteePlan's pk, row and specialty)."""

    pk: int
    row: int
    specialty: str

    def __str__(self) -> str:
        return f"{self.row}. {self.specialty}"  # as CommitteePlan.__str__


class WorklistRows:
    """The worklist of one request as its page reads it, for a `Paginator`: `count()`, a
    slice of rows as values of `fields`, and the plans of its rows (`plans`, for the filter
    form). Count and plans come from one query grouping the rows by plan; a page's rows from
    one query that takes the page's ids from the ordered scoped query first (the index)
    and joins only those to their applicant, employer and plan. Both are `worklist(...)`,
    compiled once for the same inputs (`_compiled`)."""

    ordered = True  # for Paginator: the order is worklist()'s

    def __init__(self, user: Any, roles: Roles, fields: tuple[str, ...], *, state: str = "",
                 plan: str = "", due: str = "", q: str = "") -> None:
        self._user, self._roles, self._fields = user, roles, fields
        self._filters = {"state": state, "plan": plan, "due": due, "q": q}
        self._qs: QuerySet[Application] | None = None
        self._key: tuple[Any, ...] | None = None
        if not q.strip():
            self._key = (
                router.db_for_read(Application), tuple(sorted((r, tuple(sorted(ids)))
                                             for r, ids in roles.orgs.items() if ids)),
                tuple(sorted(roles.office_cities, key=lambda c: (c is None, c or 0))),
                getattr(user, "pk", None), state, plan, due, clock.today(),
            )
        groups = _compiled(self._part("groups"), lambda: (
            self._worklist().order_by().values("plan_id").annotate(n=Count("pk"))
        ), wrap=_with_plans).rows()
        self.total = sum(g["n"] for g in groups)
        self.plans = [PlanChoice(g["plan_id"], g["plan__row"], g["plan__specialty"])
                      for g in groups]

    def _part(self, *what: Any) -> tuple[Any, ...] | None:
        return None if self._key is None else (*self._key, *what)

    def _worklist(self) -> QuerySet[Application]:
        if self._qs is None:
            self._qs = worklist(self._user, roles=self._roles, **self._filters)
        return self._qs

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, bounds: slice) -> list[dict[str, Any]]:
        bottom, top = bounds.start or 0, bounds.stop
        if top is not None and top <= bottom:
            return []

        def build() -> QuerySet[Any]:
            qs = self._worklist()
            return qs.filter(pk__in=qs.values("pk")[bottom:top]).values(*self._fields)

        return _compiled(self._part("page", self._fields, bottom, top), build).rows()


@dataclass(frozen=True)
class SeasonParameters:
    """A season's parameters for `core.parameters` (what it reads of a season)."""

    pk: int
    name: str
    parameters: dict[str, Any]

    def __str__(self) -> str:
        return self.name  # as Season.__str__, for a missing parameter's message


def season_parameters(season_ids: set[int]) -> list[SeasonParameters]:
    """The parameters of the worklist page's seasons in plain SQL: the ORM's query and its
    model instances cost ~0.3 ms of CPU a page for one JSON column. Seasons are not scoped
    (their parameters are published with the notice)."""
    db = connections[router.db_for_read(Season)]
    qn = db.ops.quote_name
    ids = sorted(season_ids)
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn('id')}, {qn('name')}, {qn('parameters')} FROM "
            f"{qn(Season._meta.db_table)} WHERE {qn('id')} IN ({', '.join(['%s'] * len(ids))})",
            ids)
        found = cursor.fetchall()
    # JSON comes as text from both backends (Django's JSONField decodes it the same way).
    return [SeasonParameters(pk, name, json.loads(p) if isinstance(p, (str, bytes)) else p)
            for pk, name, p in found]


def dossier_for(user: Any, pk: int) -> Application:
    """One application the member may see, with everything the dossier page shows; else 404."""
    qs = reviewable(user).prefetch_related(
        Prefetch("submissions", queryset=Submission.objects.order_by("number")),
        Prefetch("review_steps", queryset=ReviewStep.objects.select_related(
            "organisation", "actor").order_by("created_at", "pk")),
        Prefetch("correction_requests",
                 queryset=CorrectionRequest.objects.order_by("number")),
        "materials",
    )
    try:
        return qs.get(pk=pk)
    except Application.DoesNotExist:
        raise Http404("没有找到该申报（或不在您的管辖范围内）。") from None


def my_corrections(user: Any, pk: int) -> Application:
    """The applicant's own application for the correction page; else 404."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("没有找到该申报。")
    try:
        return (
            _base().filter(applicant=user)
            .prefetch_related(
                Prefetch("correction_requests",
                         queryset=CorrectionRequest.objects.order_by("number")),
                Prefetch("review_steps", queryset=ReviewStep.objects.select_related(
                    "organisation").order_by("created_at", "pk")),
                "materials",
            ).get(pk=pk)
        )
    except Application.DoesNotExist:
        raise Http404("没有找到该申报。") from None


def sampling_draws(user: Any) -> QuerySet[SamplingDraw]:
    if not roles_of(user).is_city_office:
        return SamplingDraw.objects.none()
    # an office's own city's draws (docs/seasons.md, 多城市)
    return SamplingDraw.objects.filter(in_office_cities(user, "plan__season__owner")) \
        .select_related("plan", "drawn_by").prefetch_related("findings")


SAMPLING_RECORD_FORMAT = "zhicheng-sampling-draw/1"


def public_samplings() -> QuerySet[SamplingDraw]:
    """Every committed sampling with pseudonymous codes, newest first (public, no login)."""
    return SamplingDraw.objects.exclude(codes={}).select_related("plan").order_by(
        "-created_at", "-pk")


def sampling_record(record: SamplingDraw) -> dict[str, Any]:
    """The sampling's public record (docs/trust.md §Sampling draw): the population by this
    sampling's codes, the share and the seed hash from the commit; after the draw the seed
    and the sample in draw order, for `tools/verify/sampling_draw.py`. No name, unit or
    application number."""
    codes: dict[str, str] = record.codes
    return {
        "format": SAMPLING_RECORD_FORMAT,
        "sampling": record.pk,
        "plan": str(record.plan),
        "committed_at": record.created_at.isoformat(timespec="seconds"),
        "seed_hash": record.seed_sha256,
        "share": f"{record.share:.3f}",
        "population": sorted(codes.values()),
        "seed": record.seed if record.drawn else None,
        "sample": [codes[str(pk)] for pk in record.sample] if record.drawn else None,
    }

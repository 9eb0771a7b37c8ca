"""Read endpoints. Dossiers come through the web's own scoped queries
(`reviews.queries.reviewable` with the token's roles), so the API sees what the web shows;
every list runs a constant number of SQL queries whatever the page size."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import ValidationError

from zhicheng.applications.models import Application, Material
from zhicheng.applications.states import State, state_label
from zhicheng.catalogue.models import Level, Series, Title
from zhicheng.certificates import verification
from zhicheng.certificates.models import VerificationResult
from zhicheng.core.network import client_address
from zhicheng.core.operations import NotPermitted
from zhicheng.evaluation.models import Case, MeetingState
from zhicheng.portal.queries import PlanFilters, plans
from zhicheng.reviews.models import CorrectionRequest, ReviewStep
from zhicheng.reviews.queries import reviewable
from zhicheng.seasons.models import Season, SeasonVersion, VersionStatus
from zhicheng.seasons.queries import published_seasons, version_summary

from . import schemas as s
from .auth import Principal, Throttled, anonymous_rate, rate_limit
from .models import Scope
from .params import Id, PageParams, Text

router = Router()
ERRORS = frozenset({400, 401, 403, 404, 422, 429, 500})
PUBLIC_ERRORS = frozenset({400, 404, 422, 429, 500})
# Results are final once the tally is signed by the counter and the scrutineer.
RESULT_MEETING_STATES = (MeetingState.SIGNED, MeetingState.PUBLISHED, MeetingState.FILED)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def principal(request: HttpRequest, scope: str) -> Principal:
    """The token's principal, refused (403) when the token lacks `scope`."""
    p: Principal = request.auth  # type: ignore[attr-defined]
    if not p.has_scope(scope):
        raise NotPermitted(f"该令牌没有“{scope}”权限范围。")
    return p


def public(request: HttpRequest) -> None:
    limit, window = anonymous_rate()
    rate_limit(f"ip:{client_address(request) or 'unknown'}", limit, window)


def page_of(qs: QuerySet[Any], page: PageParams) -> tuple[int, list[Any]]:
    return qs.count(), list(qs[page.offset: page.offset + page.limit])


def scoped_applications(p: Principal) -> QuerySet[Application]:
    return reviewable(p.user, p.roles)


# --- catalogue (public) ---------------------------------------------------------------------


@router.get("/catalogue/series", response={200: s.SeriesList, PUBLIC_ERRORS: s.ErrorOut},
            auth=None, tags=["catalogue"], summary="职称系列、层级与专业")
def catalogue_series(request: HttpRequest) -> Any:
    public(request)
    series = Series.objects.prefetch_related(
        Prefetch("titles", queryset=Title.objects.order_by("level", "name")), "specialties"
    )
    labels = dict(Level.choices)
    return {"items": [
        {
            "code": x.code, "name": x.name, "name_en": x.name_en,
            "titles": [{"level": t.level, "level_label": str(labels.get(t.level, t.level)),
                        "name": t.name} for t in x.titles.all()],
            "specialties": [sp.name for sp in x.specialties.all()],
        }
        for x in series
    ]}


@router.get("/catalogue/levels", response={200: s.LevelList, PUBLIC_ERRORS: s.ErrorOut},
            auth=None, tags=["catalogue"], summary="层级")
def catalogue_levels(request: HttpRequest) -> Any:
    public(request)
    return {"items": [{"code": code, "label": str(label)} for code, label in Level.choices]}


# --- seasons (public) -----------------------------------------------------------------------


def season_row(season: Season) -> dict[str, Any]:
    public_versions = [v for v in season.versions.all() if v.status != VersionStatus.DRAFT]
    return {
        "code": season.code, "name": season.name, "year": season.year, "city": season.city,
        "notice_number": season.notice_number, "notice_title": season.notice_title,
        "current": season.is_current,
        "published_version": season.published_version.number
        if season.published_version else None,
        "seniority_cutoff": season.seniority_cutoff, "materials_cutoff": season.materials_cutoff,
        "versions": [version_summary(v) for v in sorted(public_versions, key=lambda v: v.number)],
    }


def _public_seasons() -> QuerySet[Season]:
    return published_seasons().select_related("published_version").prefetch_related(
        Prefetch("versions", queryset=SeasonVersion.objects.defer("data"))
    )


@router.get("/seasons", response={200: s.SeasonList, PUBLIC_ERRORS: s.ErrorOut}, auth=None,
            tags=["seasons"], summary="评审年度及其已发布的数据版本（公开）")
def season_list(request: HttpRequest) -> Any:
    public(request)
    return {"items": [season_row(x) for x in _public_seasons()]}


@router.get("/seasons/{code}", response={200: s.SeasonOut, PUBLIC_ERRORS: s.ErrorOut},
            auth=None, tags=["seasons"], summary="一个评审年度及其已发布的数据版本（公开）")
def season_detail(request: HttpRequest, code: Annotated[Text, Path(max_length=50)]) -> Any:
    public(request)
    found = _public_seasons().filter(code=code).first()
    if found is None:
        raise Http404("没有找到该评审年度。")
    return season_row(found)


# --- plans (public) -------------------------------------------------------------------------


class PlanQuery(PageParams):
    season: Annotated[Text, Field(max_length=50)] = Field(
        "", description="season code; default the current season")
    series: Annotated[Text, Field(max_length=50)] = Field("", description="series code")
    office: Annotated[Text, Field(max_length=60)] = Field(
        "", description="评委会办事机构 as printed")
    month: int | None = Field(None, ge=1, le=12, description="acceptance month")
    q: Annotated[Text, Field(max_length=60)] = Field("", description="search text")


@router.get("/plans", response={200: s.PlanPage, PUBLIC_ERRORS: s.ErrorOut}, auth=None,
            tags=["plans"], summary="评审计划表（公开）")
def plan_list(request: HttpRequest, query: Query[PlanQuery]) -> Any:
    public(request)
    season_qs = Season.objects.filter(code=query.season) if query.season else (
        Season.objects.filter(is_current=True))
    season = season_qs.first()
    if season is None:
        raise Http404("没有找到该年度的评审计划。")
    qs = plans(season, PlanFilters(series=query.series, office=query.office, month=query.month,
                                   q=query.q))
    count, rows = page_of(qs, query)
    return {"count": count, "limit": query.limit, "offset": query.offset, "items": [
        {
            "id": p.pk, "season": season.code, "row": p.row, "specialty": p.specialty,
            "office_name": p.office_name, "phone": p.phone, "address": p.address,
            "acceptance_text": p.acceptance_text, "acceptance_months": p.acceptance_months,
            "evaluation_text": p.evaluation_text, "remarks": p.remarks, "source": p.source,
            "series": [x.code for x in p.series.all()],
        }
        for p in rows
    ]}


# --- applications (token, applications:read) ------------------------------------------------


class ApplicationQuery(PageParams):
    state: State | None = None
    series: Annotated[Text, Field(max_length=50)] = Field("", description="series code")
    level: Level | None = None
    plan: int | None = Field(None, ge=1, le=2**63 - 1, description="plan id")
    updated_since: dt.datetime | None = Field(
        None, description="only applications changed at or after this moment (ISO 8601)")


def _moment(value: dt.datetime, field: str) -> dt.datetime:
    if timezone.is_naive(value):
        value = value.replace(tzinfo=timezone.get_current_timezone())
    if not EARLIEST <= value <= LATEST:
        raise ValidationError([{"loc": ("query", field), "msg": "时间须在2000年至2100年之间。"}])
    return value


def application_row(app: Application) -> dict[str, Any]:
    return {
        "id": app.pk, "state": app.state, "state_label": state_label(app.state),
        "season": app.season.code, "plan_id": app.plan_id, "plan_row": app.plan.row,
        "plan_specialty": app.plan.specialty, "series": app.series.code,
        "specialty": app.specialty, "level": app.level,
        "level_label": str(app.get_level_display()), "route": app.route,
        "applicant_name": str(app.applicant),
        "employer": app.employer.name if app.employer else None,
        "freelancer": app.freelancer,
        "preliminary_reviewer": (app.preliminary_reviewer.name
                                 if app.preliminary_reviewer else None),
        "submitted_at": app.submitted_at, "updated_at": app.updated_at,
    }


@router.get("/applications", response={200: s.ApplicationPage, ERRORS: s.ErrorOut},
            tags=["applications"], summary="申报列表（按管辖范围）")
def application_list(request: HttpRequest, query: Query[ApplicationQuery]) -> Any:
    p = principal(request, Scope.APPLICATIONS_READ)
    qs = scoped_applications(p)
    if query.state:
        qs = qs.filter(state=query.state)
    if query.series:
        qs = qs.filter(series__code=query.series)
    if query.level:
        qs = qs.filter(level=query.level)
    if query.plan:
        qs = qs.filter(plan_id=query.plan)
    if query.updated_since:
        qs = qs.filter(updated_at__gte=_moment(query.updated_since, "updated_since"))
    count, rows = page_of(qs.order_by("-updated_at", "-pk"), query)
    return {"count": count, "limit": query.limit, "offset": query.offset,
            "items": [application_row(a) for a in rows]}


@router.get("/applications/{id}", response={200: s.ApplicationDetail, ERRORS: s.ErrorOut},
            tags=["applications"], summary="申报详情（审核记录、补正、材料）")
def application_detail(request: HttpRequest, id: Annotated[Id, Path()]) -> Any:
    p = principal(request, Scope.APPLICATIONS_READ)
    qs = scoped_applications(p).prefetch_related(
        Prefetch("materials", queryset=Material.objects.order_by("uploaded_at", "pk")),
        Prefetch("review_steps", queryset=ReviewStep.objects.select_related(
            "organisation").order_by("created_at", "pk")),
        Prefetch("correction_requests", queryset=CorrectionRequest.objects.order_by("number")),
    )
    app = qs.filter(pk=id).first()
    if app is None:
        raise Http404("没有找到该申报（或不在您的管辖范围内）。")
    row = application_row(app)
    row["materials"] = [
        {"id": m.pk, "title": m.title, "kind": m.kind, "sha256": m.sha256}
        for m in app.materials.all()
    ]
    row["review_steps"] = [
        {"step": r.step, "organisation": r.organisation.name if r.organisation else None,
         "actor": r.actor_label, "reasons": r.reasons, "is_return": r.is_return,
         "created_at": r.created_at}
        for r in app.review_steps.all()
    ]
    row["corrections"] = [
        {"number": c.number, "status": c.status, "due_date": c.due_date,
         "items": [{"target": str(i.get("target", "")), "label": str(i.get("label", "")),
                    "problem": str(i.get("problem", ""))} for i in c.items or []]}
        for c in app.correction_requests.all()
    ]
    return row


# --- results (token, results:read) ----------------------------------------------------------


class ResultQuery(PageParams):
    series: Annotated[Text, Field(max_length=50)] = Field("", description="series code")
    level: Level | None = None
    passed: bool | None = Field(None, description="the final result: passed the vote and "
                                "not held back by the pass-rate ceiling")
    vote_passed: bool | None = Field(None, description="the vote's result alone (2/3 in favour)")


# The final result of a closed ballot, as the data report and the application record it.
RESULT_LABELS = {"passed": "通过", "held_back": "未通过（因通过率上限）", "not_passed": "未通过"}


def _result(case: Case) -> str:
    if case.passed and case.held_back:
        return "held_back"
    return "passed" if case.passed else "not_passed"


@router.get("/results", response={200: s.ResultPage, ERRORS: s.ErrorOut},
            tags=["results"], summary="评审结果（已签字确认的表决，按管辖范围）")
def result_list(request: HttpRequest, query: Query[ResultQuery]) -> Any:
    p = principal(request, Scope.RESULTS_READ)
    qs = (
        Case.objects.filter(
            application__in=scoped_applications(p).values("pk"), ballot_closed=True,
            meeting__state__in=RESULT_MEETING_STATES,
        )
        .select_related("meeting", "meeting__committee", "application",
                        "application__applicant", "application__series")
        .order_by("-meeting__date", "pk")
    )
    if query.series:
        qs = qs.filter(application__series__code=query.series)
    if query.level:
        qs = qs.filter(application__level=query.level)
    final = Q(passed=True, held_back=False)
    if query.passed is not None:
        qs = qs.filter(final) if query.passed else qs.exclude(final)
    if query.vote_passed is not None:
        qs = qs.filter(passed=query.vote_passed)
    count, rows = page_of(qs, query)
    return {"count": count, "limit": query.limit, "offset": query.offset, "items": [
        {
            "application_id": c.application_id, "applicant_name": str(c.application.applicant),
            "series": c.application.series.code, "specialty": c.application.specialty,
            "level": c.application.level, "committee": c.meeting.committee.name,
            "meeting_date": c.meeting.date, "attending": c.attending, "agree": c.agree,
            "disagree": c.disagree, "abstain": c.abstain, "not_voted": c.not_voted,
            "vote_passed": c.passed, "held_back": c.held_back,
            "passed": bool(c.passed and not c.held_back), "result": _result(c),
            "result_label": RESULT_LABELS[_result(c)],
            "application_state": c.application.state,
            "application_state_label": state_label(c.application.state),
        }
        for c in rows
    ]}


# --- certificate verification (public, throttled like /verify/) -----------------------------


class VerifyBody(Schema):
    number: Annotated[Text, Field(max_length=60)] = ""
    name: Annotated[Text, Field(max_length=64)] = ""
    code: Annotated[Text, Field(max_length=4000)] = Field(
        "", description="the QR text; instead of number and name")


@router.post("/certificates/verify", response={200: s.VerifyOut, PUBLIC_ERRORS: s.ErrorOut},
             auth=None, tags=["certificates"], summary="证书查验（公开，限频）")
def certificate_verify(request: HttpRequest, body: VerifyBody) -> Any:
    if not body.code.strip() and not (body.number.strip() and body.name.strip()):
        raise ValidationError([{"loc": ("body", "number"),
                                "msg": "请填写证书编号和姓名，或提供二维码内容。"}])
    # The same path as the web page /verify/: one throttle counter, one log.
    found = verification.verify(client_address(request), number=body.number, name=body.name,
                                code=body.code)
    if found.result == VerificationResult.THROTTLED:
        raise Throttled(verification.throttle_window()[1])
    result, cert = found.result, found.certificate
    return {"result": result.value, "result_label": str(result.label), "certificate": None
            if cert is None else {
                "number": cert.number, "holder_name": cert.holder_name,
                "series_name": cert.series_name, "specialty": cert.specialty,
                "title_name": cert.title_name, "level": cert.level,
                "committee": cert.committee, "approval_number": cert.approval_number,
                "qualification_date": cert.qualification_date, "issue_date": cert.issue_date,
                "status": cert.status, "revoked_on": cert.revoked_on,
            }}

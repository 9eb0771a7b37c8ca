"""Thin views: parse, call a query or an operation, render. Everything outside the member's
jurisdiction is a 404 (its existence is not leaked)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhicheng.applications.exports import form_pdf_response
from zhicheng.applications.models import Application, MaterialKind
from zhicheng.applications.profiles import profile_sections
from zhicheng.applications.states import (
    TRANSITION_BY_NAME,
    Role,
    State,
    actor_has_role,
)
from zhicheng.core import clock
from zhicheng.core.inputs import bounded_int, id_text
from zhicheng.core.operations import OperationError
from zhicheng.core.parameters import ParameterMissing
from zhicheng.core.workdays import office_calendar
from zhicheng.orgs.queries import in_office_cities
from zhicheng.policy.workdays import CalendarDataMissing
from zhicheng.publicity.models import Kind, Status
from zhicheng.publicity.queries import application_publicities
from zhicheng.seasons.models import CommitteePlan
from zhicheng.supervision.params import supervision

from . import operations as ops
from . import rows, scope
from .diff import diff_snapshots
from .exports import worklist_xlsx
from .forms import CorrectionForm, CorrectionMaterialForm, DrawForm, FindingForm
from .guards import committee_setting, exempt_from_originals, open_correction
from .models import ProvincialForward, ReviewStep, SamplingDraw, UnitCheck
from .queries import (
    PlanChoice,
    WorklistRows,
    dossier_for,
    public_samplings,
    remember_worklist_count,
    request_roles,
    reviewable,
    roles_of,
    sampling_draws,
    sampling_record,
    season_parameters,
)
from .queries import my_corrections as my_corrections_query
from .queries import worklist as worklist_query
from .scope import default_due_date


def _error(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, str(exc))


# --- worklists ------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> dict[str, str]:
    filters = {k: request.GET.get(k, "").strip() for k in ("state", "plan", "due", "q")}
    filters["q"] = filters["q"][:40]
    filters["plan"] = id_text(filters["plan"])  # out of range = no plan chosen
    return filters


# A page of the worklist (nearest deadline first). A bureau's worklist runs to hundreds of
# dossiers in the busy weeks; rendering them all made the page cost ~0.3 s of CPU at 500
# (docs/performance.md), and nobody reads past the first screens of deadlines.
WORKLIST_PAGE_SIZE = 50


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    roles = request_roles(request)
    if not roles.any:
        raise Http404("您没有审核职责。")
    filters = _filters(request)
    waiting = WorklistRows(request.user, roles, rows.ROW_FIELDS, **filters)
    # WorklistRows gives Paginator what it reads (count(), slices) but not the stubs' protocol.
    pager: Paginator[dict[str, Any]] = Paginator(cast(Any, waiting), WORKLIST_PAGE_SIZE)
    page = pager.get_page(request.GET.get("page"))
    if not any(filters.values()):
        remember_worklist_count(request, page.paginator.count)  # the work bar's number
    states = rows.state_labels()
    apps = _with_deadlines(list(page.object_list), clock.today(), states)
    can_bulk_start = roles.has("unit_hr")
    rows.render(apps, can_bulk_start=can_bulk_start, states=states)
    plans = waiting.plans
    if filters["plan"].isdigit() and int(filters["plan"]) not in {p.pk for p in plans}:
        # The chosen plan stays chosen in the form even when none of its rows waits.
        plans = sorted([*plans, *(PlanChoice(*found) for found in CommitteePlan.objects.filter(
            pk=int(filters["plan"])).values_list("pk", "row", "specialty"))],
            key=lambda p: (p.row, p.pk))
    return render(request, "reviews/worklist.html", {
        "apps": apps, "rows_html": rows.joined(apps), "page": page, "filters": filters,
        "state_options": rows.state_options(filters["state"], states),
        "plan_options": rows.plan_options(plans, filters["plan"]),
        "today": clock.today(),
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "can_bulk_start": can_bulk_start,
        "is_city_office": roles.is_city_office,
    })


def _review_limits(season_ids: set[int]) -> dict[int, int | None]:
    """Each season's review time limit (None: the season sets none, so its rows show no
    review due date), from one query for the seasons of the page."""
    limits: dict[int, int | None] = {}
    if not season_ids:
        return limits
    for season in season_parameters(season_ids):
        try:
            limits[season.pk] = int(supervision(season, "review_overdue_workdays"))
        except ParameterMissing:
            limits[season.pk] = None
    return limits


def _with_deadlines(found: list[dict[str, Any]], today: dt.date,
                    labels: dict[str, str]) -> list[rows.Row]:
    """Each row's deadline (reviews.scope), the page sorted by due date, overdue first."""

    calendar = office_calendar()
    limits = _review_limits({v["season_id"] for v in found})
    out = []
    for v in found:
        received = timezone.localtime(v["received_at"]).date() if v["received_at"] else None
        deadline = scope.worklist_deadline(
            state=v["state"], state_label=labels[v["state"]], correction_due=v["due_date"],
            publicity_end=v["last_publicity_end"], received=received, today=today,
            calendar=calendar, review_workdays=limits.get(v["season_id"]),
        )
        out.append(rows.Row(v, received, deadline))
    out.sort(key=lambda r: (r.deadline.due is None, r.deadline.due or today,
                            r.received or today, r.pk))
    return out


@login_required
def worklist_export(request: HttpRequest) -> StreamingHttpResponse:
    roles = roles_of(request.user)
    if not roles.any:
        raise Http404("您没有审核职责。")
    apps = worklist_query(request.user, roles=roles, **_filters(request))
    response = StreamingHttpResponse(
        worklist_xlsx(apps.iterator(chunk_size=500)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"worklist-{clock.today().isoformat()}.xlsx\""
    )
    return response


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Bulk actions the law allows: only "start review" (never bulk approval)."""
    if request.POST.get("action") != "unit_start_review":
        messages.error(request, "只能批量“开始审核”；审核通过须逐份查阅材料后作出。")
        return redirect("reviews:worklist")
    ids = [n for n in map(bounded_int, request.POST.getlist("ids")) if n is not None]
    apps = list(reviewable(request.user).filter(pk__in=ids))
    done, failed = 0, []
    for app in apps:
        try:
            ops.unit_start_review(app, request.user)
            done += 1
        except OperationError as exc:
            failed.append(f"{app.applicant}：{exc}")
    if done:
        messages.success(request, f"已开始审核{done}份申报。")
    for line in failed:
        messages.error(request, line)
    return redirect("reviews:worklist")


# --- the dossier ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    label: Any  # a lazy translation
    role: Role
    run: Callable[[Application, Any, dict[str, str]], Any]
    needs: str = ""  # "reasons" | "opinion" | "document_number"
    style: str = "primary"


ACTIONS: list[Action] = [
    Action("unit_start_review", _("开始审核"), Role.UNIT_HR,
           lambda a, u, _d: ops.unit_start_review(a, u)),
    Action("unit_approve", _("审核通过并公示"), Role.UNIT_HR,
           lambda a, u, _d: ops.unit_approve(a, u)),
    Action("unit_return", _("退回修改"), Role.UNIT_HR,
           lambda a, u, d: ops.unit_return(a, u, reasons=d["reasons"]), "reasons", "warning"),
    Action("unit_recommend", _("公示期满，推荐至初审"), Role.UNIT_HR,
           lambda a, u, _d: ops.unit_recommend(a, u)),
    Action("unit_objection_upheld", _("异议成立，不予推荐"), Role.UNIT_HR,
           lambda a, u, d: ops.unit_objection_upheld(a, u, reasons=d["reasons"]), "reasons",
           "danger"),
    Action("preliminary_approve", _("初审通过，报送评委会"), Role.PRELIMINARY_REVIEWER,
           lambda a, u, _d: ops.preliminary_approve(a, u)),
    Action("preliminary_reject", _("初审不予通过"), Role.PRELIMINARY_REVIEWER,
           lambda a, u, d: ops.preliminary_reject(a, u, reasons=d["reasons"]), "reasons",
           "danger"),
    Action("committee_accept", _("复核通过，进入评前公示"), Role.COMMITTEE_OFFICE,
           lambda a, u, _d: ops.committee_accept(a, u)),
    Action("committee_return", _("按原渠道退回初审单位"), Role.COMMITTEE_OFFICE,
           lambda a, u, d: ops.committee_return(a, u, reasons=d["reasons"]), "reasons",
           "warning"),
    Action("committee_refuse", _("不予受理（超出范围或程序不符）"), Role.COMMITTEE_OFFICE,
           lambda a, u, d: ops.committee_refuse(a, u, reasons=d["reasons"]), "reasons",
           "danger"),
    Action("pre_evaluation_objection_upheld", _("评前公示异议成立，不提交评审"),
           Role.COMMITTEE_OFFICE,
           lambda a, u, d: ops.pre_evaluation_objection_upheld(a, u, reasons=d["reasons"]),
           "reasons", "danger"),
    Action("forward_to_province", _("报送省级高评委"), Role.COMMITTEE_OFFICE,
           lambda a, u, _d: ops.forward_to_province(a, u)),
    Action("record_provincial_pass", _("登记省高评委结果：通过"), Role.COMMITTEE_OFFICE,
           lambda a, u, d: ops.record_provincial_result(
               a, u, passed=True, document_number=d["document_number"]), "document_number"),
    Action("record_provincial_fail", _("登记省高评委结果：未通过"), Role.COMMITTEE_OFFICE,
           lambda a, u, d: ops.record_provincial_result(
               a, u, passed=False, document_number=d["document_number"]), "document_number",
           "secondary"),
]
ACTION_BY_NAME = {a.name: a for a in ACTIONS}
CITY_REVIEW = "city_office_review"


# Actions offered only where their guard on the level can hold (a 中级 dossier is evaluated in
# the city: 报送省级高评委 is not a choice there).
LEVEL_GUARDED = {"forward_to_province"}


def _available(app: Application, user: Any) -> list[Action]:
    out = []
    for action in ACTIONS:
        t = TRANSITION_BY_NAME[action.name]
        if t.allows_from(app.state) and actor_has_role(user, action.role, app):
            if action.name in LEVEL_GUARDED and \
                    app.level not in committee_setting(app.plan).provincial_levels:
                continue
            out.append(action)
    return out


def _snapshot_materials(app: Application) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for sub in app.submissions.all():
        for m in sub.snapshot.get("materials", []):
            found[int(m["id"])] = m
    return found


@dataclass(frozen=True)
class PublicityPanel:
    """One publicity of the dossier as the reviewer reads it: dates, state, days left."""

    publicity: Any
    status_label: str
    running: bool
    ended: bool
    workdays_left: int | None  # after today, up to the last day; None outside the calendar


def _publicity_panels(app: Application, today: dt.date) -> list[PublicityPanel]:
    """Every publicity of the dossier (one query, objection counts annotated)."""
    found = list(application_publicities(app))
    calendar = office_calendar() if found else None
    panels = []
    for p in found:
        status = p.status_on(today)
        left = None
        if status != Status.ENDED and calendar is not None:
            try:
                left = scope.workdays_left(calendar, today, p.last_day)
            except CalendarDataMissing:
                left = None
        panels.append(PublicityPanel(p, str(status.label), status == Status.RUNNING,
                                     status == Status.ENDED, left))
    return panels


def _recommend_waits(app: Application, panels: list[PublicityPanel]) -> PublicityPanel | None:
    """The unit publicity still running, while 推荐 must wait for it to end (四（二）)."""
    if app.state != State.UNIT_PUBLICITY:
        return None
    unit = [p for p in panels if p.publicity.kind == Kind.UNIT and not p.ended]
    return unit[-1] if unit else None


@login_required
def form_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The 申报表 the reviewing office prints and stamps (its opinion box), with the full
    identity number: the office handles this dossier (dossier_for scopes it)."""
    return form_pdf_response(request, dossier_for(request.user, pk))


@login_required
def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    app = dossier_for(request.user, pk)
    submissions = list(app.submissions.all())
    current = submissions[-1] if submissions else None
    ops.record_dossier_view(app, request.user)
    diff = []
    if len(submissions) >= 2:
        assert current is not None
        requests = [r for r in app.correction_requests.all()
                    if r.answered_submission_id == current.pk]
        replacements = requests[-1].replacements if requests else {}
        diff = diff_snapshots(submissions[-2].snapshot, current.snapshot, replacements)
    check = UnitCheck.objects.filter(submission=current).first() if current else None
    materials = []
    if current is not None:
        for m in current.snapshot.get("materials", []):
            materials.append({
                **m,
                "exempt": exempt_from_originals(current.snapshot, m),
                "checked": bool(check and check.checked.get(str(m["id"])) == m["sha256"]),
            })
    setting = committee_setting(app.plan)
    roles = roles_of(request.user)
    forward = ProvincialForward.objects.filter(application=app).first()
    panels = _publicity_panels(app, clock.today())
    waiting = _recommend_waits(app, panels)
    actions = _available(app, request.user)
    context = {
        "app": app,
        "publicities": panels,
        "recommend_waits": waiting,
        "submission": current,
        "submissions": submissions,
        "materials": materials,
        "check": check,
        "diff": diff,
        "steps": list(app.review_steps.all()),
        "returns": sum(1 for s in app.review_steps.all() if s.is_return),
        "corrections": list(app.correction_requests.all()),
        "actions": [a for a in actions if not (waiting and a.name == "unit_recommend")],
        "waiting_action": next((a for a in actions if waiting and a.name == "unit_recommend"),
                               None),
        "can_check": app.state == State.UNIT_REVIEW and actor_has_role(
            request.user, Role.UNIT_HR, app),
        "can_correct": app.state == State.PRELIMINARY_REVIEW and actor_has_role(
            request.user, Role.PRELIMINARY_REVIEWER, app),
        "can_city_review": app.state == State.COMMITTEE_RECHECK and roles.is_city_office
        and app.level in setting.provincial_levels,
        "scope_problems": ops.scope_problems(app)
        if app.state == State.COMMITTEE_RECHECK else [],
        "provincial": app.level in setting.provincial_levels,
        "forward": forward,
        "decision": (current.snapshot.get("decision") if current else None) or {},
        "profile_sections": profile_sections(current.snapshot if current else {}),
    }
    return render(request, "reviews/dossier.html", context)


@login_required
def material(request: HttpRequest, pk: int, material_id: int) -> FileResponse:
    app = dossier_for(request.user, pk)
    m = _snapshot_materials(app).get(material_id)
    if m is None:
        raise Http404("没有找到该材料。")
    try:
        fh = default_storage.open(m["stored_name"], "rb")
    except FileNotFoundError:
        raise Http404("材料文件缺失。") from None
    response = FileResponse(fh, content_type=m["content_type"])
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def unit_check(request: HttpRequest, pk: int) -> HttpResponse:
    app = dossier_for(request.user, pk)
    ids = [n for n in map(bounded_int, request.POST.getlist("checked")) if n is not None]
    try:
        ops.save_unit_check(app, request.user, checked_ids=ids,
                            opinion=request.POST.get("opinion", ""))
        messages.success(request, "已保存原件核对情况和单位意见。")
    except OperationError as exc:
        _error(request, exc)
    return redirect("reviews:dossier", pk=pk)


@login_required
def corrections(request: HttpRequest, pk: int) -> HttpResponse:
    app = dossier_for(request.user, pk)
    submission = app.submissions.all().last() if app.submissions.all() else None
    if submission is None or not actor_has_role(request.user, Role.PRELIMINARY_REVIEWER, app):
        raise Http404("没有找到该申报。")
    targets = ops.correction_targets(submission)
    calendar_refusal = ""
    try:
        default_due: dt.date | None = default_due_date(app.season, clock.today())
    except OperationError as exc:  # a year without calendar data: the reviewer sets the date
        default_due, calendar_refusal = None, str(exc)
    if request.method == "POST":
        form = CorrectionForm(request.POST, targets=targets)
        if form.is_valid():
            try:
                ops.request_corrections(app, request.user, items=form.cleaned_data["items"],
                                        due_date=form.cleaned_data["due_date"])
                messages.success(request, "已一次性告知补正内容。")
                return redirect("reviews:dossier", pk=pk)
            except OperationError as exc:
                _error(request, exc)
    else:
        form = CorrectionForm(targets=targets, initial={"due_date": default_due})
    return render(request, "reviews/corrections.html",
                  {"app": app, "form": form, "default_due": default_due,
                   "calendar_refusal": calendar_refusal})


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    app = dossier_for(request.user, pk)
    data = {k: request.POST.get(k, "") for k in ("reasons", "document_number")}
    try:
        if action == CITY_REVIEW:
            ops.city_office_review(app, request.user, opinion=request.POST.get("reasons", ""))
            messages.success(request, "已记录市职称办审核意见。")
            return redirect("reviews:dossier", pk=pk)
        spec = ACTION_BY_NAME.get(action)
        if spec is None:
            raise Http404("没有该操作。")
        spec.run(app, request.user, data)
        messages.success(request, _("已完成：%(action)s。") % {"action": spec.label})
    except OperationError as exc:
        _error(request, exc)
    return redirect("reviews:dossier", pk=pk)


@login_required
def package(request: HttpRequest, pk: int) -> FileResponse:
    app = dossier_for(request.user, pk)
    roles = roles_of(request.user)
    if not (roles.is_city_office or actor_has_role(request.user, Role.COMMITTEE_OFFICE, app)):
        raise Http404("没有找到该材料包。")
    forward = get_object_or_404(ProvincialForward, application=app)
    response = FileResponse(default_storage.open(str(forward.package.name), "rb"),
                            content_type="application/zip", as_attachment=True,
                            filename=f"dossier-{app.pk}.zip")
    response["X-Package-SHA256"] = forward.package_sha256
    return response


# --- the applicant's corrections ------------------------------------------------------------


@login_required
def my_corrections(request: HttpRequest, pk: int) -> HttpResponse:
    app = my_corrections_query(request.user, pk)
    request_ = open_correction(app) if app.state == State.CORRECTION_REQUESTED else None
    items = []
    if request_ is not None:
        current = {m.pk: m for m in app.materials.all()}
        replaced = {int(v): int(k) for k, v in request_.replacements.items()}
        replacing = {int(k) for k in request_.replacements}
        # Materials added since the request that replace nothing answer the "new" items.
        added = [m for m in current.values()
                 if m.uploaded_at >= request_.created_at and m.pk not in replacing]
        for item in request_.items:
            target = item["target"]
            mid = None
            if target.startswith("material:") and target != "material:new":
                listed = int(target.split(":", 1)[1])
                mid = replaced.get(listed, listed)
            is_new = target == "material:new"
            answered = ([current[mid]] if mid in replacing and mid in current else
                        added if is_new else [])
            items.append({**item, "material_id": mid, "material": current.get(mid)
                          if mid else None, "is_new": is_new, "answered": answered})
    return render(request, "reviews/mine.html", {
        "app": app, "request_": request_, "items": items,
        "kinds": [(k.value, k.label) for k in MaterialKind],
        "steps": [s for s in app.review_steps.all() if s.reasons],
        "form": CorrectionMaterialForm(),
    })


@login_required
@require_POST
def my_correction_material(request: HttpRequest, pk: int) -> HttpResponse:
    app = my_corrections_query(request.user, pk)
    form = CorrectionMaterialForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            ops.replace_material(
                app, request.user, material_id=d["material_id"], upload=d["file"],
                kind=d.get("kind") or "", title=d.get("title") or "",
                document_date=d.get("document_date"),
            )
            messages.success(request, "已上传补正材料。")
        except (OperationError, ValidationError) as exc:
            _error(request, exc)
    else:
        messages.error(request, "请选择要上传的文件。")
    return redirect("reviews:mine", pk=pk)


@login_required
@require_POST
def my_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    app = my_corrections_query(request.user, pk)
    try:
        sub = ops.resubmit_corrections(app, request.user)
        messages.success(request, f"补正已提交（第{sub.number}次快照）。")
    except OperationError as exc:
        _error(request, exc)
    return redirect("reviews:mine", pk=pk)


# --- city sampling --------------------------------------------------------------------------


@login_required
def sampling(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    if not roles.is_city_office:
        raise Http404("只有市职称办可以抽查。")
    if request.method == "POST":
        form = DrawForm(request.POST)
        if form.is_valid():
            plan = get_object_or_404(CommitteePlan, pk=form.cleaned_data["plan"])
            try:
                record = ops.commit_sampling(plan, request.user)
                messages.success(request, f"已公布种子哈希：{record.seed_sha256}。")
                return redirect("reviews:sampling_draw", pk=record.pk)
            except OperationError as exc:
                _error(request, exc)
    populations = []


    counts = (
        ReviewStep.objects.filter(step="committee_accept")
        .values("application__plan").annotate(n=Count("application", distinct=True))
    )
    by_plan = {c["application__plan"]: c["n"] for c in counts}
    for plan in CommitteePlan.objects.filter(  # the office's own city's plans (多城市)
            in_office_cities(request.user, "season__owner"), pk__in=by_plan
    ).select_related("office"):
        populations.append({"plan": plan, "accepted": by_plan[plan.pk],
                            "share": committee_setting(plan).sample_share})
    return render(request, "reviews/sampling.html", {
        "populations": populations, "draws": list(sampling_draws(request.user)[:50]),
        "form": DrawForm(),
    })


@login_required
def sampling_draw(request: HttpRequest, pk: int) -> HttpResponse:
    record: SamplingDraw = get_object_or_404(sampling_draws(request.user), pk=pk)
    if request.method == "POST" and request.POST.get("action") == "draw":
        try:
            record = ops.run_sampling(record, request.user)
            messages.success(request, f"已抽取{len(record.sample)}份，种子已公开。")
        except OperationError as exc:
            _error(request, exc)
        return redirect("reviews:sampling_draw", pk=pk)
    if request.method == "POST":
        form = FindingForm(request.POST)
        if form.is_valid() and form.cleaned_data["application"] in record.sample:
            app = get_object_or_404(Application, pk=form.cleaned_data["application"])
            try:
                ops.record_finding(record, app, request.user,
                                   outcome=form.cleaned_data["outcome"],
                                   finding=form.cleaned_data["finding"])
                messages.success(request, "已记录抽查意见。")
            except OperationError as exc:
                _error(request, exc)
        else:
            messages.error(request, "请选择抽查结论并填写抽查意见。")
        return redirect("reviews:sampling_draw", pk=pk)
    findings = {f.application_id: f for f in record.findings.all()}
    apps = Application.objects.filter(pk__in=record.sample).select_related(
        "applicant", "employer")
    rows = [{"app": a, "finding": findings.get(a.pk)} for a in apps]
    return render(request, "reviews/sampling_draw.html", {
        "draw": record, "rows": rows, "form": FindingForm(),
    })


# --- public sampling records (no login: docs/trust.md §Sampling draw) ------------------------


def public_sampling_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(public_samplings(), 50).get_page(request.GET.get("page"))
    return render(request, "reviews/public_samplings.html", {"page": page})


def public_sampling(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(public_samplings(), pk=pk)
    return render(request, "reviews/public_sampling.html",
                  {"s": record, "record": sampling_record(record)})


def public_sampling_json(request: HttpRequest, pk: int) -> JsonResponse:
    record = get_object_or_404(public_samplings(), pk=pk)
    response = JsonResponse(sampling_record(record),
                            json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="sampling-draw-{record.pk}.json"'
    return response

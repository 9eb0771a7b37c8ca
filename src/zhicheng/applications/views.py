"""Thin views: parse, call a query or an operation, render."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError as PydanticError

from zhicheng.catalogue.models import Specialty
from zhicheng.core import clock
from zhicheng.core import labels as core_labels
from zhicheng.core.network import client_address
from zhicheng.core.operations import OperationError
from zhicheng.documents.uploads import UploadRefused
from zhicheng.orgs.models import Role
from zhicheng.reviews.queries import request_roles
from zhicheng.seasons.queries import policy_season_for

from . import operations as ops
from . import queries
from .commitment import COMMITMENT_CLAUSE, COMMITMENT_TEXT, COMMITMENT_TITLE
from .exports import form_pdf_response
from .forms import (
    SECTION_FORMS,
    ApplicationForm,
    CommitmentForm,
    EmploymentForm,
    MaterialForm,
    SubmitForm,
)
from .models import ApplicantProfile, Application
from .profiles import (
    LIST_SECTIONS,
    RequestData,
    decide,
    default_city,
    default_facts,
    describe_row,
    fact_choices,
    online_verified,
    profile_payload,
    pydantic_messages,
    section_meta,
    validate_facts,
)
from .states import STATE_INFO, State, transitions_from


def _profile(request: HttpRequest) -> ApplicantProfile:
    profile = queries.profile_of(request.user)
    if profile is None and request.method in ("GET", "HEAD"):
        # Reading never writes: the empty profile is shown without being saved; the first
        # change creates it (through the door, with its audit event).
        facts = validate_facts(default_facts())
        owner: Any = request.user  # the views are login_required
        return ApplicantProfile(user=owner, facts=facts,
                                schema_version=facts["schema_version"])
    if profile is None:
        ops.create_profile(request.user)
        profile = queries.profile_of(request.user)
    assert profile is not None
    return profile


# --- dashboard & inbox ---------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """What the applicant must do next on one application, and by when (the dashboard)."""

    todo: str
    due: dt.date | None = None  # the last day to act, when the applicant must act
    basis: str = ""  # where that day comes from, as the applicant reads it
    publicity: Any = None  # a publicity of the application running or about to run


def _window_end(app: Application) -> dt.date | None:
    """The last day of the plan's acceptance window this season: the end of the last month
    of 附件 评审计划表「申报材料受理时间」."""
    months = app.plan.acceptance_months
    if not months:
        return None
    year, month = app.season.year, months[-1]
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def next_step(app: Application) -> NextStep:
    # The dashboard reads the open items only where this shows them
    # (queries.STEPS_WITHOUT_PUBLICITY): keep the two in step.
    running = next(iter(getattr(app, "open_publicities", [])), None)
    if app.state == State.DRAFT:
        todo = (_("完善资料、上传材料、签署承诺书并提交") if app.commitment_accepted_at is None
                else _("核对资格审查结果并提交申报"))
        return NextStep(str(todo), _window_end(app),
                        _("受理时间：%(text)s") % {"text": app.plan.acceptance_text})
    if app.state == State.SUBMITTED:
        return NextStep(str(_("等待用人单位审核；请将纸质材料交单位核对原件")))
    if app.state == State.CORRECTION_REQUESTED:
        request = next(iter(getattr(app, "open_corrections", [])), None)
        return NextStep(str(_("按补正通知一次性补正")), request.due_date if request else None,
                        str(_("补正期限（四（三））")) if request else "")
    return NextStep(str(STATE_INFO[app.state].description), publicity=running)


def next_deadline(steps: list[tuple[Application, NextStep]], today: dt.date) -> \
        tuple[Application, NextStep] | None:
    """The applicant's nearest day to act that has not passed, over all their applications."""
    waiting = [(a, s) for a, s in steps if s.due is not None and s.due >= today]
    return min(waiting, key=lambda pair: pair[1].due or today, default=None)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    apps = queries.dashboard_applications(request.user)
    rows = [(a, next_step(a)) for a in apps]
    unit_apps = list(queries.unit_applications(
        request.user, units=request_roles(request).of(Role.UNIT_HR)))
    today = clock.today()
    nearest = next_deadline(rows, today)
    return render(
        request,
        "applications/dashboard.html",
        {
            "rows": rows,
            "nearest": nearest,
            "nearest_days": (nearest[1].due - today).days if nearest and nearest[1].due else None,
            "unit_apps": unit_apps,
            "notifications": queries.dashboard_inbox(request, limit=10),
            "unread": queries.request_unread_count(request),
            "today": today,
        },
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        ops.mark_read(request.user)
        return redirect("applications:inbox")
    return render(
        request,
        "applications/inbox.html",
        {"notifications": list(queries.inbox(request.user, limit=200))},
    )


# --- profile --------------------------------------------------------------------------------


def _sections(profile: ApplicantProfile) -> list[dict[str, Any]]:
    today = clock.today()
    out = []
    materials_by_fact: dict[str, list[Any]] = {}
    for app in queries.my_applications(profile.user):
        for m in app.materials.all():
            if m.proves:
                materials_by_fact.setdefault(m.proves, []).append(m)
    for key, (label, clause) in LIST_SECTIONS.items():
        rows = profile.facts.get(key, [])
        metas = section_meta(profile, key)
        out.append({
            "key": key,
            "label": label,
            "clause": clause,
            "rows": [
                {
                    "index": i,
                    "text": describe_row(key, row),
                    "verified": online_verified(meta, today),
                    "materials": materials_by_fact.get(meta["uid"], []),
                }
                for i, (row, meta) in enumerate(zip(rows, metas, strict=True))
            ],
        })
    return out


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    profile = _profile(request)
    emp = profile.facts.get("employment", {})
    return render(
        request,
        "applications/profile.html",
        {
            "profile": profile,
            "sections": _sections(profile),
            "employment": emp,
            "residence": profile.facts.get("residence", {}),
            "social_verified": online_verified(
                profile.meta.get("social_insurance", {}), clock.today()
            ) or profile.meta.get("social_insurance", {}).get("verified_online", False),
        },
    )


@login_required
def employment_edit(request: HttpRequest) -> HttpResponse:
    profile = _profile(request)
    emp = profile.facts.get("employment", {})
    res = profile.facts.get("residence", {})
    if request.method == "POST":
        form = EmploymentForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                ops.update_employment(
                    profile, request.user, version=d["version"], employer=d["employer"],
                    freelancer=d["freelancer"],
                    employment={
                        "status": "freelance" if d["freelancer"] else "employed",
                        "city": d["city"], "contract": bool(d["contract"]),
                        "professional_work": d["professional_work"],
                    },
                    residence={"category": d["residence"], "permit": d["permit"]},
                    social_insurance={
                        "verified_online": d["social_insurance_verified"],
                        "report_date": clock.today().isoformat(),
                    },
                )
            except (OperationError, ValidationError) as exc:
                form.add_error(None, _message(exc))
            else:
                messages.success(request, "工作单位与就业信息已保存。")
                return redirect("applications:profile")
    else:
        form = EmploymentForm(initial={
            "version": profile.version, "employer": profile.employer_id,
            "freelancer": profile.freelancer,
            # Answered once this form was saved (update_employment records the social
            # insurance check with it); until then it asks, with no preselected 已签订.
            "contract": ({True: "yes", False: "no"}[bool(emp.get("contract"))]
                         if "social_insurance" in profile.meta else ""),
            "professional_work": emp.get("professional_work", True),
            "city": emp.get("city") or default_city(), "residence": res.get("category", "mainland"),
            "permit": res.get("permit", "none"),
            "social_insurance_verified": profile.meta.get("social_insurance", {}).get(
                "verified_online", False
            ),
        })
    return render(request, "applications/section_form.html",
                  {"form": form, "title": "工作单位与就业信息", "clause": "一（一）"})


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


@login_required
def fact_edit(request: HttpRequest, section: str, index: int | None = None) -> HttpResponse:
    if section not in SECTION_FORMS:
        raise Http404("没有这个栏目。")
    profile = _profile(request)
    form_class = SECTION_FORMS[section]
    rows = profile.facts.get(section, [])
    if index is not None and not 0 <= index < len(rows):
        raise Http404("该条目不存在。")
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                ops.save_fact(
                    profile, request.user, section, index, form.row(),
                    version=form.cleaned_data["version"], meta=form.meta(),
                )
            except (OperationError, ValidationError) as exc:
                form.add_error(None, _message(exc))
            else:
                messages.success(request, f"{LIST_SECTIONS[section][0]}已保存。")
                return redirect(reverse("applications:profile") + f"#{section}")
    else:
        if index is None:
            initial = {"version": profile.version}
        else:
            meta = section_meta(profile, section)[index]
            initial = form_class.initial_from(rows[index], meta, profile.version)
        form = form_class(initial=initial)
    label, clause = LIST_SECTIONS[section]
    return render(
        request, "applications/section_form.html",
        {"form": form, "title": f"{'新增' if index is None else '修改'}{label}", "clause": clause},
    )


@login_required
@require_POST
def fact_delete(request: HttpRequest, section: str, index: int) -> HttpResponse:
    profile = _profile(request)
    try:
        version = int(request.POST.get("version", "0"))
        ops.delete_fact(profile, request.user, section, index, version=version)
    except (OperationError, ValidationError, ValueError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, "已删除。")
    return redirect(reverse("applications:profile") + f"#{section}")


# --- the application ------------------------------------------------------------------------


def _decision_context(
    profile: ApplicantProfile, form: ApplicationForm, application: Application | None
) -> dict[str, Any]:
    """Run the engine on what the form holds (typed values, even unsaved)."""
    data = form.data
    plan = form.cleaned_data.get("plan") if hasattr(form, "cleaned_data") else None
    series = form.cleaned_data.get("series") if hasattr(form, "cleaned_data") else None
    if plan is None or series is None or not data.get("specialty") or not data.get("level"):
        return {
            "decision": None,
            "problems": ["请选择评委会、系列、专业和层级后查看资格审查结果。"],
        }
    request = RequestData(
        series_code=series.code, specialty=str(data.get("specialty", "")).strip(),
        level=str(data.get("level")), route=str(data.get("route") or "normal"),
        plan_row=plan.row,
    )
    payload = profile_payload(profile, request, application)
    try:
        # A submitted application is shown under the season version it was decided under.
        if application is not None and application.season_version_id is not None:
            decision = decide(payload, policy_season_for(application))
        else:
            decision = decide(payload, plan.season)
    except PydanticError as exc:

        return {"decision": None, "problems": [m for _loc, m in pydantic_messages(exc)]}
    return {"decision": decision, "problems": []}


def _form_decision(request: HttpRequest, application: Application | None) -> dict[str, Any]:
    season = application.season_id if application else queries.current_season()
    form = ApplicationForm(request.POST, season=season)
    form.is_valid()
    profile = queries.profile_to_decide(request.user) or _profile(request)
    ctx = _decision_context(profile, form, application)
    ctx["plan_error"] = form.errors.get("plan")
    return ctx


@login_required
def new_application(request: HttpRequest) -> HttpResponse:
    season = queries.current_season()
    if season is None:
        raise Http404("当前没有开放的评审年度。")
    profile = _profile(request)
    ctx: dict[str, Any] = {"decision": None, "problems": []}
    if request.method == "POST":
        form = ApplicationForm(request.POST, season=season)
        if form.is_valid():
            d = form.cleaned_data
            try:
                app = ops.start_application(
                    request.user, season=season, plan=d["plan"], series_id=d["series"].pk,
                    specialty=d["specialty"], level=d["level"], route=d["route"],
                )
            except OperationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "申报草稿已创建。请上传材料、签署承诺书后提交。")
                return redirect("applications:detail", pk=app.pk)
        ctx = _decision_context(profile, form, None)
    else:
        form = ApplicationForm(season=season, initial={"route": "normal"})
    return render(request, "applications/new.html", {
        "form": form, "season": season, "specialties": _specialties(), **ctx,
    })


def _specialties() -> list[str]:
    return list(Specialty.objects.values_list("name", flat=True).distinct().order_by("name"))


@login_required
@require_POST
def precheck(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """htmx: the policy decision for the form as typed (hx-trigger="change")."""
    application = queries.own_application_to_decide(request.user, pk) if pk else None
    ctx = _form_decision(request, application)
    return render(request, "applications/_decision.html", ctx)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = queries.application_for(request.user, pk)
    is_owner = app.applicant_id == request.user.pk
    profile = _profile(request) if is_owner else None
    form = None
    ctx: dict[str, Any] = {"decision": None, "problems": []}
    if is_owner and app.state == State.DRAFT:
        assert profile is not None
        if request.method == "POST":
            form = ApplicationForm(request.POST, season=app.season)
            if form.is_valid():
                d = form.cleaned_data
                try:
                    ops.update_application(
                        app, request.user, version=int(d.get("version") or 0), plan=d["plan"],
                        series_id=d["series"].pk, specialty=d["specialty"], level=d["level"],
                        route=d["route"], explanation=d["explanation"],
                    )
                except OperationError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, "申报信息已保存。")
                    return redirect("applications:detail", pk=app.pk)
        else:
            initial = {
                "plan": app.plan_id, "series": app.series.code, "specialty": app.specialty,
                "level": app.level, "route": app.route, "explanation": app.explanation,
                "version": app.version,
            }
            form = ApplicationForm(season=app.season, initial=initial)
        bound = form if form.is_bound else ApplicationForm(data=form.initial, season=app.season)
        bound.is_valid()
        ctx = _decision_context(profile, bound, app)
        ctx["plan_error"] = bound.errors.get("plan")
    submissions = list(app.submissions.all())
    return render(request, "applications/detail.html", {
        "app": app,
        "is_owner": is_owner,
        "form": form,
        "material_form": MaterialForm(fact_choices=fact_choices(profile)) if profile else None,
        "submit_form": SubmitForm(initial={"token": secrets.token_urlsafe(24)}),
        "materials": list(app.materials.all()),
        "submissions": submissions,
        "latest": submissions[-1] if submissions else None,
        "transitions": transitions_from(app.state),
        "specialties": _specialties(),
        "commitment_title": COMMITMENT_TITLE,
        **ctx,
    })


@login_required
@require_POST
def material_upload(request: HttpRequest, pk: int) -> HttpResponse:
    app = queries.own_application_to_upload(request.user, pk)
    # Its facts only (the choices of "proves"); without one, as every POST: created now.
    profile = queries.profile_facts_of(request.user) or _profile(request)
    form = MaterialForm(request.POST, request.FILES, fact_choices=fact_choices(profile))
    if form.is_valid():
        d = form.cleaned_data
        try:
            material = ops.add_material(
                app, request.user, d["file"], kind=d["kind"], title=d["title"],
                document_date=d["document_date"], is_representative=d["is_representative"],
                proves=d["proves"] or "",
            )
        except UploadRefused as exc:
            form.add_error("file", exc.message_zh)
        except (OperationError, ValidationError) as exc:
            form.add_error(None, _message(exc))
        else:
            messages.success(request, f"材料“{d['title']}”已上传。")
            if material.removed_content:
                removed = "、".join(core_labels.label(c, "pdf_active_content")
                                   for c in material.removed_content)
                messages.warning(request, f"该PDF含有{removed}，上传时已自动清除；审核人员看到的"
                                          "是清除后的文件，页面内容未改动。")
            return redirect(reverse("applications:detail", args=[app.pk]) + "#materials")
    return render(request, "applications/material_form.html",
                  {"app": app, "material_form": form}, status=400)


@login_required
@require_POST
def material_delete(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    material = queries.material_for(request.user, pk, mid)
    if material.application.applicant_id != request.user.pk:
        raise Http404("没有找到该材料。")
    try:
        ops.delete_material(material, request.user)
    except OperationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "材料已删除。")
    return redirect(reverse("applications:detail", args=[pk]) + "#materials")


@login_required
def material_view(request: HttpRequest, pk: int, mid: int) -> HttpResponseBase:
    material = queries.material_for(request.user, pk, mid)
    try:
        handle = default_storage.open(str(material.file.name), "rb")
    except FileNotFoundError:
        raise Http404("文件不存在。") from None
    response = FileResponse(handle, content_type=material.content_type)
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        material.content_type, "bin"
    )
    response["Content-Disposition"] = f'inline; filename="material-{material.pk}.{ext}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


@login_required
def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    app = queries.own_application(request.user, pk)
    if request.method == "POST":
        form = CommitmentForm(request.POST)
        if form.is_valid():
            try:
                ops.accept_commitment(app, request.user, ip=client_address(request))
            except OperationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "承诺书已签署。")
                return redirect(reverse("applications:detail", args=[app.pk]) + "#submit")
    else:
        form = CommitmentForm()
    return render(request, "applications/commitment.html", {
        "app": app, "form": form, "title": COMMITMENT_TITLE, "clause": COMMITMENT_CLAUSE,
        "paragraphs": [p for p in COMMITMENT_TEXT.split("\n\n") if p.strip()],
    })


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    app = queries.own_application_to_submit(request.user, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "提交令牌缺失，请刷新页面后重新提交。")
        return redirect("applications:detail", pk=app.pk)
    explanation = form.cleaned_data.get("explanation")
    try:
        ops.submit_application(
            app, request.user, token=form.cleaned_data["token"],
            explanation=explanation if explanation else None,
        )
    except OperationError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("applications:detail", args=[app.pk]) + "#submit")
    messages.success(request, "申报已提交，已通知用人单位审核。可下载打印申报表。")
    return redirect("applications:detail", pk=app.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    app = queries.own_application(request.user, pk)
    try:
        ops.withdraw_application(app, request.user, reason=request.POST.get("reason", ""))
    except OperationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "申报已撤回。")
    return redirect("applications:dashboard")


@login_required
def form_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return form_pdf_response(request, queries.application_for(request.user, pk))


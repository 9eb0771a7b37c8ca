"""Thin pages over operations and queries: meetings, committees, the expert's ballot page,
the read-only dossier during the meeting, exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhicheng.accounts.reauth import require_recent_authentication
from zhicheng.core import clock
from zhicheng.core.operations import OperationError
from zhicheng.documents.printable import PrintDocument, render_pdf
from zhicheng.seasons.queries import current_season

from . import arithmetic, exports, printouts, queries
from . import operations as ops
from .forms import ConflictForm, ExpertForm, MeetingForm
from .models import (
    Case,
    Choice,
    CommitteeMember,
    CommitteeSeat,
    Exclusion,
    Meeting,
    MeetingState,
    MemberRole,
    Recusal,
    Sitting,
)


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    m = queries.meetings_for(request.user).filter(pk=pk).first()
    if m is None:
        raise Http404
    return m


def _staff_view(request: HttpRequest, m: Meeting) -> bool:
    return ops.is_office(request.user, m.committee) or queries.is_city(request.user)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    reports = list(queries.data_reports(request.user))
    for r in reports:
        r.overdue = queries.overdue(r, today)  # type: ignore[attr-defined]
    meetings = list(queries.meetings_for(request.user))
    for m in meetings:
        m.next_step = queries.next_step(m)  # type: ignore[attr-defined]
    return render(request, "evaluation/index.html", {
        "meetings": meetings,
        "committees": queries.committees_for(request.user),
        "reports": reports, "today": today, "is_city": queries.is_city(request.user),
        "is_expert": queries.expert_entries(request.user).exists(),
    })


@login_required
def committee(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(queries.committees_for(request.user), pk=pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The committee's current season (its city's), not a past season it also served.
        plan = c.plans.select_related("season").order_by("-season__is_current",
                                                         "-season__year").first()

        s = plan.season if plan else current_season(c.office.city)
        if s is None:
            messages.error(request, _("当前没有进行中的评审年度，不能安排评审会议。"))
            return _committee_page(request, c, form)
        try:
            m = ops.create_meeting(request.user, c, s, date=form.cleaned_data["date"],
                                   place=form.cleaned_data["place"], draw_spec=form.spec(),
                                   pass_rate=form.cleaned_data["pass_rate"])
        except OperationError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("evaluation:meeting", m.pk)
    return _committee_page(request, c, form)


def _committee_page(request: HttpRequest, c: Any, form: Any, expert_form: Any = None
                    ) -> HttpResponse:
    members = list(c.members.select_related("expert__user", "expert__unit").order_by(
        "role", "pk"))
    seated = {mb.expert_id for mb in members}
    return render(request, "evaluation/committee.html", {
        "committee": c, "violations": queries.composition_violations(c),
        "members": members, "seated": seated,
        "pool": queries.pool_for(c), "form": form,
        "expert_form": expert_form or ExpertForm(prefix="expert"),
        "roles": MemberRole.choices,
        "is_office": ops.is_office(request.user, c),
    })


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    m = _meeting(request, pk)
    if not _staff_view(request, m):
        return redirect("evaluation:ballot", m.pk)
    return _meeting_page(request, m)


def _meeting_page(request: HttpRequest, m: Meeting, edit_form: Any = None) -> HttpResponse:
    """The meeting page; a refused edit of the opening report comes back as typed."""
    cases = list(m.cases.select_related("application__applicant", "application__employer")
                 .prefetch_related("recusals__seat__expert__user"))
    progress = queries.progress_of(m, cases)
    for c in cases:
        c.progress = progress.get(c.pk)  # type: ignore[attr-defined]
    editable = m.state in (MeetingState.DRAFT, MeetingState.RETURNED)
    if editable and edit_form is None:
        g = (m.draw_spec or [{}])[0]
        edit_form = MeetingForm(initial={
            "date": m.date, "place": m.place, "pass_rate": m.pass_rate,
            "specialty": g.get("specialty"), "level": g.get("level"), "count": g.get("count"),
            "reserve": g.get("reserve")})
    seats = list(m.seats.select_related("expert__user", "expert__unit"))
    code = queries.pool_code_of(m)
    for s in seats:  # the public record's code beside the name (office and city only)
        s.pool_code = code.get(s.expert_id, "")  # type: ignore[attr-defined]
    days = _sittings(m, cases, seats)
    return render(request, "evaluation/meeting.html", {
        "edit_form": edit_form,
        "presiding_choices": queries.presiding_choices(m),
        "results": queries.results_recorded(cases),
        "m": m, "cases": cases, "seats": seats,
        "exclusions": m.exclusions.select_related("expert__user", "application__applicant"),
        "ceiling": queries.ceiling_report(m),
        "is_office": ops.is_office(request.user, m.committee),
        "is_city": queries.is_city(request.user), "S": MeetingState,
        "report_due": queries.report_due(m), "today": clock.today(),
        "data_report": getattr(m, "data_report", None),
        "any_vote": any(c.ballot_open or c.ballot_closed for c in cases),
        "printouts": printouts.available(m, has_roster=bool(cases)),
        "sittings": days, "several": len(days) > 1,
        "sittings_open": m.state in ops.SITTING_STATES,
        "movable": [c for c in cases if not (c.ballot_open or c.ballot_closed)],
    })


def _sittings(m: Meeting, cases: list[Case], seats: list[CommitteeSeat]) -> list[Sitting]:
    """Each sitting with its attendance (`rows`: (seat, present) over every drawn seat),
    quorum and cases (`listed`); each case gets its sitting's number and the seats present
    there (who may recuse); each seat `present` if present at any sitting (counter and
    scrutineer)."""
    days = queries.sittings_of(m)
    today = clock.today()
    first = days[0].pk if days else None
    attended = queries.present_by_sitting(m)
    present = {d.pk: attended.get(d.pk, set()) for d in days}
    for s in seats:
        s.present = any(s.pk in ids for ids in present.values())
    by_pk = {d.pk: d for d in days}
    for c in cases:
        d = by_pk.get(c.sitting_id or first or 0)
        c.sitting_number = d.number if d else 1  # type: ignore[attr-defined]
        c.present_seats = [s for s in seats  # type: ignore[attr-defined]
                           if d is not None and s.sits and s.pk in present[d.pk]]
    for d in days:
        here = present[d.pk]
        d.rows = [(s, s.pk in here and s.sits) for s in seats]  # type: ignore[attr-defined]
        size = sum(1 for s in seats if not s.reserve)
        n = sum(1 for s in seats if s.sits and s.pk in here)
        d.present_n, d.size = n, size  # type: ignore[attr-defined]
        d.needed = queries.quorum_needed(m, size) if seats else 0  # type: ignore[attr-defined]
        d.quorum = bool(seats) and arithmetic.quorum_holds(  # type: ignore[attr-defined]
            n, size, queries.quorum_share(m))
        d.listed = [c for c in cases  # type: ignore[attr-defined]
                   if c.sitting_number == d.number]  # type: ignore[attr-defined]
        d.voting = any(c.ballot_open for c in d.listed)  # type: ignore[attr-defined]
        d.started = queries.sitting_started(  # type: ignore[attr-defined]
            d, today, cases=d.listed)  # type: ignore[attr-defined]
    return days


def _seat(m: Meeting, pk: Any) -> CommitteeSeat:
    return get_object_or_404(CommitteeSeat, meeting=m, pk=pk)


def _case(m: Meeting, pk: Any) -> Case:
    return get_object_or_404(Case, meeting=m, pk=pk)


def _sitting(m: Meeting, pk: Any) -> Sitting:
    return get_object_or_404(Sitting, meeting=m, pk=pk)


def _presiding(m: Meeting, pk: Any) -> CommitteeMember | None:
    """The presiding member picked in a sitting's form (empty: not named yet)."""
    if not pk:
        return None
    return get_object_or_404(CommitteeMember.objects.select_related("expert__user"),
                             committee=m.committee, pk=pk)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ops.EvaluationError("请填写会议日期（如2024-10-25）。") from None


ACTIONS: dict[str, Callable[[HttpRequest, Meeting], Any]] = {
    "submit_report": lambda r, m: ops.submit_opening_report(m, r.user),
    "approve_report": lambda r, m: ops.decide_opening_report(m, r.user, approve=True),
    "return_report": lambda r, m: ops.decide_opening_report(
        m, r.user, approve=False, reasons=r.POST.get("reasons", "")),
    "commit_draw": lambda r, m: ops.commit_draw(m, r.user),
    "override": lambda r, m: ops.override_exclusion(
        get_object_or_404(Exclusion, meeting=m, pk=r.POST.get("exclusion")), r.user,
        r.POST.get("reason", "")),
    "run_draw": lambda r, m: ops.run_draw(m, r.user),
    "presiding": lambda r, m: ops.name_presiding(m, r.user, get_object_or_404(
        CommitteeMember.objects.select_related("expert__user"), committee=m.committee,
        pk=r.POST.get("member"))),
    "attendance": lambda r, m: ops.record_attendance(
        m, r.user, r.POST.getlist("present"),
        _sitting(m, r.POST["sitting"]) if r.POST.get("sitting") else None),
    "add_sitting": lambda r, m: ops.add_sitting(
        m, r.user, date=_date(r.POST.get("date", "")), place=r.POST.get("place", ""),
        presiding=_presiding(m, r.POST.get("presiding"))),
    "change_sitting": lambda r, m: ops.change_sitting(
        _sitting(m, r.POST.get("sitting")), r.user, date=_date(r.POST.get("date", "")),
        place=r.POST.get("place", ""), presiding=_presiding(m, r.POST.get("presiding"))),
    "assign_cases": lambda r, m: ops.assign_cases(
        m, r.user, r.POST.getlist("case"), _sitting(m, r.POST.get("sitting"))),
    "call_in": lambda r, m: ops.call_in_reserve(_seat(m, r.POST.get("seat")), r.user,
                                                r.POST.get("reason", "")),
    "open_meeting": lambda r, m: ops.open_meeting(m, r.user),
    "recuse": lambda r, m: ops.recuse(_case(m, r.POST.get("case")), _seat(m, r.POST.get("seat")),
                                      r.user, r.POST.get("reason", "")),
    "defence": lambda r, m: ops.note_defence(_case(m, r.POST.get("case")), r.user,
                                             r.POST.get("text", "")),
    "open_ballot": lambda r, m: ops.open_ballot(_case(m, r.POST.get("case")), r.user),
    "close_ballot": lambda r, m: ops.close_ballot(
        _case(m, r.POST.get("case")), r.user,
        {int(k.removeprefix("missing_")): str(v) for k, v in r.POST.items()
         if k.startswith("missing_") and k.removeprefix("missing_").isdigit()}),
    "roles": lambda r, m: ops.assign_tally_roles(
        m, r.user, _seat(m, r.POST.get("counter")), _seat(m, r.POST.get("scrutineer"))),
    "ceiling": lambda r, m: ops.decide_ceiling(
        m, r.user, held_back=[int(i) for i in r.POST.getlist("held_back")],
        reason=r.POST.get("reason", "")),
    "record_results": lambda r, m: ops.record_results(m, r.user),
    "publish": lambda r, m: ops.publish_results(m, r.user),
    "file": lambda r, m: ops.file_results(
        m, r.user, approval_number=r.POST.get("approval_number", "")),
    "send_data_report": lambda r, m: ops.send_data_report(m, r.user),
}


def _update_report(request: HttpRequest, m: Meeting) -> HttpResponse:
    """Edit a draft or returned opening report; refused, the page keeps what was typed."""
    form = MeetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values()
                                         for e in errs))
        return _meeting_page(request, m, form)
    try:
        ops.update_meeting(m, request.user, date=form.cleaned_data["date"],
                           place=form.cleaned_data["place"], draw_spec=form.spec(),
                           pass_rate=form.cleaned_data["pass_rate"])
    except OperationError as exc:
        messages.error(request, str(exc))
        m.refresh_from_db()
        return _meeting_page(request, m, form)
    messages.success(request, _("已完成。"))
    return redirect("evaluation:meeting", m.pk)


# Recording (and so signing) and publishing the results need a fresh password check
# (docs/security.md §Sessions); so does changing a member's role on a committee.
SENSITIVE_ACTIONS = frozenset({"record_results", "publish"})
SENSITIVE_COMMITTEE_ACTIONS = frozenset({"role"})


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action in SENSITIVE_ACTIONS:
        require_recent_authentication(request)
    m = _meeting(request, pk)
    if action == "update_report":
        return _update_report(request, m)
    if action == "delete_report":
        try:
            committee = ops.delete_meeting(m, request.user)
        except OperationError as exc:
            messages.error(request, str(exc))
            return redirect("evaluation:meeting", m.pk)
        messages.success(request, _("已删除开评报告。"))
        return redirect("evaluation:committee", committee.pk)
    _perform(request, ACTIONS, action, m)
    return redirect("evaluation:meeting", m.pk)


def _perform(request: HttpRequest, actions: dict[str, Any], action: str, target: Any) -> None:
    """Run one named action; a refusal or bad input becomes a message, never a 500."""
    func = actions.get(action)
    if func is None:
        raise Http404
    try:
        func(request, target)
    except OperationError as exc:
        messages.error(request, str(exc))
    except ValueError:
        messages.error(request, _("提交的数据无效。"))
    else:
        messages.success(request, _("已完成。"))


@login_required
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert's page: the cases, their dossiers (read-only, during the meeting), the
    ballot; a receipt code is shown once after voting; anyone seated can check a code."""
    if request.method == "POST" and "sign" in request.POST:
        require_recent_authentication(request)  # signing the tally (docs/security.md)
    m = _meeting(request, pk)
    receipt = None
    checked = None
    if request.method == "POST":
        if "sign" in request.POST:
            try:
                ops.sign_tally(m, request.user)
            except OperationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已签字确认计票结果。"))
                # The second signature closes the tally: the ballot page is no longer the
                # expert's, so they go to their own page instead of a 404.
                if not queries.meetings_for(request.user).filter(pk=m.pk).exists():
                    return redirect("evaluation:expert")
            return redirect("evaluation:ballot", m.pk)
        case = _case(m, request.POST.get("case"))
        if "code" in request.POST:
            # Inclusion only: the answer is the same whatever the ballot said, so whoever
            # is shown a code learns nothing about the choice.
            checked = (_("该回执码对应的选票已计入计票。") if queries.ballot_counted(
                case, request.POST["code"]) else _("未找到该回执码：该选票尚未计票或回执码有误。"))
        else:
            try:
                receipt = ops.cast_ballot(case, request.user, request.POST.get("choice", ""))
            except OperationError as exc:
                messages.error(request, str(exc))
    uid = int(request.user.pk or 0)
    cases = []
    recused = set(Recusal.objects.filter(case__meeting=m, seat__expert__user_id=uid)
                  .values_list("case_id", flat=True))
    for c in m.cases.select_related("application__applicant", "sitting"):
        c.recused = c.pk in recused  # type: ignore[attr-defined]
        c.can_vote = c.ballot_open and any(  # type: ignore[attr-defined]
            s.expert.user_id == uid for s in queries.voters(c)
        ) and not c.receipts.filter(seat__expert__user_id=uid).exists()
        cases.append(c)
    seated = any(s.expert.user_id == uid for s in queries.sitting(m))
    codes = queries.counted_codes([c for c in cases if c.ballot_closed]) if seated else {}
    for c in cases:
        c.counted_codes = codes.get(c.pk, [])  # type: ignore[attr-defined]
    signer = m.state == MeetingState.TALLIED and any(
        seat is not None and seat.expert.user_id == uid and not signed
        for seat, signed in ((m.counter, m.counter_signed), (m.scrutineer, m.scrutineer_signed))
    )
    return render(request, "evaluation/ballot.html", {
        "m": m, "cases": cases, "choices": Choice.choices, "receipt": receipt,
        "checked": checked, "signer": signer, "seated": seated,
        "several": m.sittings.count() > 1,  # each case's sitting beside it
    })


@login_required
def dossier(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    """The expert's case page (during the meeting, drawn, sitting, not recused; audited):
    profile summary, eligibility decision with its findings, the review chain's opinions,
    the materials (opened watermarked), the defence notes, and asking for recusal."""
    m = _meeting(request, pk)
    case = _case(m, case_pk)
    if request.method == "POST":
        seat = next((s for s in queries.sitting(m) if s.expert.user_id == request.user.pk),
                    None)
        if seat is None:
            raise Http404
        try:
            ops.recuse(case, seat, request.user, request.POST.get("reason", ""))
        except OperationError as exc:
            messages.error(request, str(exc))
            return redirect("evaluation:dossier", m.pk, case.pk)
        messages.success(request, _("已登记回避：您不再查阅、也不参加该评审对象的表决。"))
        return redirect("evaluation:ballot", m.pk)
    try:
        ops.log_dossier_access(case, request.user)
    except OperationError as exc:
        messages.error(request, str(exc))
        return redirect("evaluation:ballot", m.pk)
    return render(request, "evaluation/dossier.html", {
        "m": m, "case": case, **queries.case_dossier(case),
        "can_recuse": not (case.ballot_open or case.ballot_closed),
    })


@login_required
def dossier_material(request: HttpRequest, pk: int, case_pk: int, material_id: int
                     ) -> HttpResponse:
    """One material of the case, as a PDF watermarked with the expert's name and the time."""

    m = _meeting(request, pk)
    case = _case(m, case_pk)
    material = queries.case_materials(case).get(material_id)
    if material is None:
        raise Http404
    try:
        ops.log_dossier_access(case, request.user, material.get("title", ""))
    except OperationError as exc:
        messages.error(request, str(exc))
        return redirect("evaluation:ballot", m.pk)
    try:
        with default_storage.open(material["stored_name"], "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise Http404 from None
    now = timezone.localtime(clock.now())  # the time the access record shows
    user = request.user
    text = (f"{getattr(user, 'full_name', '') or user} · {now:%Y-%m-%d %H:%M} · "
            f"{m.committee} 评审专用，不得外传")
    r = HttpResponse(exports.watermarked_material(data, material.get("content_type", ""), text),
                     content_type="application/pdf")
    r["Content-Disposition"] = "inline"
    r["X-Content-Type-Options"] = "nosniff"
    r["Cache-Control"] = "no-store"
    return r


def _staff_only(request: HttpRequest, pk: int) -> Meeting:
    m = _meeting(request, pk)
    if not _staff_view(request, m):
        raise Http404
    return m


@login_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    m = _staff_only(request, pk)
    r = HttpResponse(exports.minutes_pdf(m), content_type="application/pdf")
    r["Content-Disposition"] = f'attachment; filename="meeting-{m.pk}-minutes.pdf"'
    return r


@login_required
def data_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    m = _staff_only(request, pk)
    if fmt not in ("json", "xlsx"):
        raise Http404
    if fmt == "json":
        r = HttpResponse(exports.data_report_json(m), content_type="application/json")
    else:
        r = HttpResponse(exports.data_report_xlsx(m), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    r["Content-Disposition"] = f'attachment; filename="data-report-{m.pk}.{fmt}"'
    return r


def _printout(request: HttpRequest, pk: int, kind: str) -> tuple[Meeting, PrintDocument]:
    """The document `kind` of meeting `pk`: for the meeting's staff; the result document also
    for anyone once filed (it lists the people the result publicity already named)."""
    if kind not in printouts.KINDS:
        raise Http404
    if kind == "result":
        m = get_object_or_404(Meeting.objects.select_related("committee__office", "season"),
                              pk=pk, state=MeetingState.FILED)
    else:
        if not request.user.is_authenticated:
            raise Http404
        m = _staff_only(request, pk)
    try:
        return m, printouts.build(kind, m)
    except printouts.NotYet as exc:
        raise Http404(str(exc)) from exc


def printout_page(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The print layout of a meeting document (the browser prints it with print CSS)."""
    m, doc = _printout(request, pk, kind)
    return render(request, "documents/print.html", {
        "doc": doc, "pdf_url": reverse("evaluation:printout_pdf", args=[m.pk, kind]),
        "back_url": (reverse("evaluation:meeting", args=[m.pk])
                     if request.user.is_authenticated and _staff_view(request, m) else ""),
        "back_label": _("返回评审会议"),
    })


def printout_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    m, doc = _printout(request, pk, kind)
    r = HttpResponse(render_pdf(doc), content_type="application/pdf")
    r["Content-Disposition"] = f'inline; filename="meeting-{m.pk}-{kind}.pdf"'
    r["X-Content-Type-Options"] = "nosniff"
    return r


# --- the expert's own page ---------------------------------------------------------------------


@login_required
def expert_home(request: HttpRequest) -> HttpResponse:
    """Meetings I may be drawn for (with their rosters), my conflict declarations, my seats."""
    entries = list(queries.expert_entries(request.user))
    if not entries:
        raise Http404
    meetings = queries.drawable_meetings(request.user)
    rosters = queries.roster_people(meetings)
    form = ConflictForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            target = form.cleaned_data["target"]
            meeting = next((m for m in meetings if str(m.pk) == request.POST.get("meeting")),
                           None)
            people = rosters.get(meeting.pk, []) if meeting is not None else []
            applicant = unit = None
            if target.startswith("a"):
                app = next((a for a in people if f"a{a.pk}" == target), None)
                applicant = app.applicant if app is not None else None
            elif target.startswith("u"):
                unit = next((a.employer for a in people
                             if a.employer is not None and f"u{a.employer_id}" == target), None)
            if meeting is None or (applicant is None and unit is None):
                raise Http404
            try:
                ops.declare_conflict(request.user, meeting.entry,  # type: ignore[attr-defined]
                                 kind=form.cleaned_data["kind"], note=form.cleaned_data["note"],
                                 applicant=applicant, unit=unit)
            except OperationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已申报利害关系；此后的评委抽取将据此回避。"))
                return redirect("evaluation:expert")
        else:
            messages.error(request, _("请选择对象和类型，并写明具体情况（200字以内）。"))
    for m in meetings:
        people = rosters.get(m.pk, [])
        m.people = people  # type: ignore[attr-defined]
        units: dict[int, Any] = {}
        for a in people:
            if a.employer_id is not None:
                units.setdefault(a.employer_id, a.employer)
        m.units = list(units.values())  # type: ignore[attr-defined]
    return render(request, "evaluation/expert.html", {
        "entries": entries, "meetings": meetings, "form": form,
        "declarations": queries.declarations_of(request.user),
        "seats": queries.seats_of(request.user),
    })


# --- the committee office manages its committee ------------------------------------------------


def _committee_for_office(request: HttpRequest, pk: int) -> Any:
    c = get_object_or_404(queries.committees_for(request.user), pk=pk)
    if not ops.is_office(request.user, c):
        raise PermissionDenied
    return c


def _pool_expert(c: Any, pk: Any) -> Any:
    return get_object_or_404(queries.pool_for(c), pk=pk)


def _member(c: Any, pk: Any) -> Any:
    return get_object_or_404(CommitteeMember.objects.select_related("expert__user", "committee"),
                             committee=c, pk=pk)


def _add_expert(request: HttpRequest, c: Any) -> HttpResponse:
    """A refused expert form comes back filled in, with the reason."""
    form = ExpertForm(request.POST, prefix="expert")
    if form.is_valid():
        d = form.cleaned_data
        try:
            ops.add_expert(request.user, c, user=d["username"], specialty=d["specialty"],
                       title_level=d["title_level"], unit=d["unit"],
                       term_start=d["term_start"], term_end=d["term_end"])
        except OperationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已完成。"))
            return redirect("evaluation:committee", c.pk)
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return _committee_page(request, c, MeetingForm(), expert_form=form)


COMMITTEE_ACTIONS: dict[str, Callable[[HttpRequest, Any], Any]] = {
    "deactivate": lambda r, c: ops.set_expert_active(
        r.user, c, _pool_expert(c, r.POST.get("expert")), False),
    "activate": lambda r, c: ops.set_expert_active(
        r.user, c, _pool_expert(c, r.POST.get("expert")), True),
    "seat": lambda r, c: ops.seat_member(
        r.user, c, _pool_expert(c, r.POST.get("expert")), r.POST.get("role", "")),
    "role": lambda r, c: ops.set_member_role(
        r.user, _member(c, r.POST.get("member")), r.POST.get("role", "")),
    "unseat": lambda r, c: ops.unseat_member(r.user, _member(c, r.POST.get("member"))),
}


@login_required
@require_POST
def committee_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action in SENSITIVE_COMMITTEE_ACTIONS:
        require_recent_authentication(request)
    c = _committee_for_office(request, pk)
    if action == "add_expert":
        return _add_expert(request, c)
    _perform(request, COMMITTEE_ACTIONS, action, c)
    return redirect("evaluation:committee", c.pk)


# --- public draw records (no login: docs/trust.md §Expert draw) -------------------------------


def public_draws(request: HttpRequest) -> HttpResponse:
    """Every committed expert draw, newest first, each linking to its public record."""
    page = Paginator(queries.public_draws(), 50).get_page(request.GET.get("page"))
    return render(request, "evaluation/public_draws.html", {"page": page})


def public_draw(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting's draw record by pseudonymous pool codes: no names, units or pool ids."""
    m = queries.public_draw(pk)
    if m is None:
        raise Http404
    record = queries.draw_record(m)
    excluded = set(record["excluded"])
    groups = [{**g, "result": (record["result"] or {"groups": []})["groups"][i]
               if record["result"] else None}
              for i, g in enumerate(record["groups"])]
    return render(request, "evaluation/public_draw.html", {
        "m": m, "record": record, "groups": groups, "excluded": excluded,
    })


def public_draw_json(request: HttpRequest, pk: int) -> JsonResponse:
    """The downloadable record that `tools/verify/expert_draw.py` re-runs."""
    m = queries.public_draw(pk)
    if m is None:
        raise Http404
    response = JsonResponse(queries.draw_record(m),
                            json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="expert-draw-{m.pk}.json"'
    return response

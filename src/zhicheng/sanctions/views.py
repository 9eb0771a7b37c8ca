"""Thin pages over sanctions.operations and sanctions.queries. The city office decides and
closes; a committee office sees only its own and reports its correction; others get 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhicheng.core import clock
from zhicheng.core.operations import OperationError

from . import operations as ops
from .forms import DecisionForm
from .models import Kind, Sanction
from .queries import sanctions_for


@login_required
def index(request: HttpRequest) -> HttpResponse:
    is_city, qs = sanctions_for(request.user)
    if qs is None:
        raise Http404
    today = clock.today()
    rows = list(qs)
    overdue = 0
    for s in rows:
        s.overdue = s.is_overdue(today)  # type: ignore[attr-defined]
        overdue += s.is_overdue(today)
    return render(request, "sanctions/index.html", {
        "sanctions": rows, "is_city": is_city, "today": today, "overdue_count": overdue,
    })


def _decide(request: HttpRequest, data: dict[str, Any]) -> Sanction:
    common = {"decision_number": data["decision_number"], "reason": data["reason"],
              "evidence": data["evidence"]}
    kind = data["kind"]
    if kind == Kind.CORRECTION:
        return ops.order_correction(request.user, data["office"], committee=data["committee"],
                                    due_on=data["due_on"], **common)
    if kind == Kind.SUSPENSION:
        return ops.suspend_evaluation(request.user, data["office"],
                                      committee=data["committee"], **common)
    if kind == Kind.VOID_RESULTS:
        return ops.declare_results_void(request.user, data["meeting"], **common)
    return ops.withdraw_right(request.user, data["committee"], **common)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    is_city, _qs = sanctions_for(request.user)
    if not is_city:
        raise Http404
    form = DecisionForm(request.POST or None, initial={"kind": request.GET.get("kind", "")},
                        user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            s = _decide(request, form.cleaned_data)
        except OperationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("处理决定已生效：{s}").format(s=s))
            return redirect("sanctions:detail", s.pk)
    return render(request, "sanctions/new.html", {"form": form})


def _visible(request: HttpRequest, pk: int) -> tuple[bool, Sanction]:
    is_city, qs = sanctions_for(request.user)
    s = qs.filter(pk=pk).first() if qs is not None else None
    if s is None:
        raise Http404
    return is_city, s


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    is_city, s = _visible(request, pk)
    today = clock.today()
    outcomes = (s.effects or {}).get("applications", {})
    return render(request, "sanctions/detail.html", {
        "s": s, "is_city": is_city, "overdue": s.is_overdue(today), "today": today,
        "is_office": not is_city and ops.is_office_member(request.user, s.office_id),
        "Kind": Kind, "outcomes": sorted(outcomes.items(), key=lambda kv: int(kv[0])),
    })


ACTIONS: dict[str, Callable[[HttpRequest, Sanction], Any]] = {
    "report": lambda r, s: ops.report_correction(s, r.user, r.POST.get("report", "")),
    "close": lambda r, s: ops.close_correction(s, r.user, r.POST.get("note", "")),
    "lift": lambda r, s: ops.lift_suspension(
        s, r.user, decision_number=r.POST.get("decision_number", ""),
        note=r.POST.get("note", "")),
}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _is_city, s = _visible(request, pk)
    func = ACTIONS.get(action)
    if func is None:
        raise Http404
    try:
        func(request, s)
    except OperationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已完成。"))
    return redirect("sanctions:detail", s.pk)

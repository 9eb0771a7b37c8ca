"""Public publicity pages (no login) and the posting organisation's objection pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhicheng.core import clock
from zhicheng.core.network import client_address
from zhicheng.core.operations import OperationError
from zhicheng.core.pager import next_page
from zhicheng.evaluation.models import Case, MeetingState
from zhicheng.portal.queries import city_filter

from . import operations as ops
from . import queries, rows
from .exports import render_batch_notice
from .forms import ObjectionForm, ResolveForm
from .models import Kind, ObjectionState, Publicity, Status

PAGE_SIZE = 50


def _decorate(publicity: Publicity, today: Any) -> Publicity:
    status = publicity.status_on(today)
    publicity.status = status  # type: ignore[attr-defined]
    publicity.status_label = Status(status).label  # type: ignore[attr-defined]
    publicity.accepts = status == Status.RUNNING  # type: ignore[attr-defined]
    return publicity


def public_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    q = request.GET.get("q", "")[:60]
    # One season's list (from its page, 往届), else the visitor's city's (several cities).
    season = queries.published_season(request.GET.get("season", "").strip())
    city = None if season is not None else city_filter(request)
    # No exact count of the list (~57,000 rows at 100,000 applications): one row more than
    # a page says whether there is a next one (core.pager).
    page = next_page(
        queries.PublicRows(today, kind=kind or None, q=q, city=city, season=season),
        PAGE_SIZE, request.GET.get("page"),
    )
    # No objection form per entry here: rendering 50 forms was more than half of this page's
    # CPU (bench/README.md). The form opens on demand from the entry (htmx GET of the detail
    # page's form) or on the entry's own page without JavaScript.
    tables = rows.groups(queries.with_applications(page.object_list), today)
    return render(
        request,
        "publicity/list.html",
        {
            "page": page,
            "tables": tables,
            "kinds": Kind.choices,
            "kind": kind,
            "q": q,
            "today": today,
            "season": season,
        },
    )


def batch_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable notice of the batch this entry was posted in (public while listed)."""
    publicity = queries.public_publicity(pk, clock.today())
    if publicity is None:
        raise Http404
    pdf = render_batch_notice(queries.public_batch(publicity),
                              site_url=request.build_absolute_uri(reverse("publicity:list")))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="publicity-notice-{pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _filed_meeting(publicity: Publicity) -> int | None:
    """The meeting whose filed result document lists this result publicity's applicant."""
    if publicity.kind != Kind.RESULT:
        return None
    return (Case.objects.filter(application_id=publicity.application_id,
                                meeting__state=MeetingState.FILED)
            .order_by("-meeting__date").values_list("meeting_id", flat=True).first())


# The unbound objection form's fields as HTML, by language, for an entry whose id is _FORM_PK
# (its fields' element ids: ObjectionForm's prefix_id). Rendering the three widgets through the
# form renderer was a third of the entry page's CPU (bench/load/page_budgets.py); the HTML is
# the same for every entry but for those ids.
_FORM_PK = 987654321
_FORM_FIELDS: dict[str, str] = {}


def _objection_fields(form: ObjectionForm, pk: int) -> str | None:
    """The fields of `form` as its template renders them, when the form is unbound (a bound
    one shows what was typed and its errors: rendered by the template)."""
    if form.is_bound:
        return None
    language = get_language() or ""
    shape = _FORM_FIELDS.get(language)
    if shape is None:
        shape = _FORM_FIELDS[language] = render_to_string(
            "publicity/_objection_fields.html", {"form": ObjectionForm(prefix_id=_FORM_PK)})
    return mark_safe(shape.replace(f"id_p{_FORM_PK}_", f"id_p{pk}_"))


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One publicity entry and its objection form; POST files an objection."""
    today = clock.today()
    publicity = queries.public_publicity(pk, today)
    if publicity is None:
        raise Http404
    _decorate(publicity, today)
    form = ObjectionForm(request.POST or None, prefix_id=publicity.pk)
    refusal = ""
    status = 200
    filed = False
    reference = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                objection = ops.file_objection(
                    publicity,
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    text=form.cleaned_data["text"],
                    ip=client_address(request),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            except ops.Throttled as exc:
                refusal, status = str(exc), 429
            except OperationError as exc:
                refusal, status = str(exc), 409
            else:
                filed, reference = True, objection.reference
                if not request.htmx:  # type: ignore[attr-defined]
                    messages.success(
                        request,
                        _("异议已提交，受理编号 %(ref)s（查询或补充时请提供）。公示单位将核实并"
                          "书面处理，必要时通过您留下的联系方式联系您。") % {"ref": reference},
                    )
                    return redirect("publicity:detail", pk=publicity.pk)
                form = ObjectionForm(prefix_id=publicity.pk)
        else:
            status = 400
    context = {"p": publicity, "form": form, "refusal": refusal, "filed": filed,
               "reference": reference, "today": today,
               "result_meeting": _filed_meeting(publicity),
               "objection_fields": _objection_fields(form, publicity.pk)}
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only the form (errors included: htmx does not swap non-2xx answers).
        return render(request, "publicity/_objection_form.html", context)
    return render(request, "publicity/detail.html", context, status=status)


@login_required
def objection_list(request: HttpRequest) -> HttpResponse:
    """The posting organisation's objections: open ones first to resolve in writing."""
    scope = queries.posting_scope(request.user)
    if scope is None:
        raise Http404
    state = request.GET.get("state", ObjectionState.OPEN)
    if state not in ObjectionState.values:
        state = ObjectionState.OPEN
    paginator = Paginator(
        queries.objections_for(request.user, state=state, scope=scope), PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/objections.html",
        {"page": page, "state": state, "states": ObjectionState.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(queries.objections_for(request.user, state=None), pk=pk)
    form = ResolveForm(request.POST or None)
    refusal = ""
    status = 200
    if request.method == "POST" and objection.is_open:
        if form.is_valid():
            try:
                ops.resolve_objection(
                    objection,
                    request.user,
                    resolution=form.cleaned_data["resolution"],
                    outcome=form.cleaned_data["outcome"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            except OperationError as exc:
                refusal, status = str(exc), 409
            else:
                messages.success(request, _("异议已书面处理并存档。"))
                return redirect("publicity:objections")
        else:
            status = 400
    return render(
        request,
        "publicity/resolve.html",
        {"o": objection, "p": objection.publicity, "form": form, "refusal": refusal},
        status=status,
    )

"""Audit browsing for the city title office: search, keyset pages, exports, chain status."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhicheng.applications.models import Application
from zhicheng.certificates import keys as keystore
from zhicheng.core import clock, labels
from zhicheng.core.inputs import bounded_int
from zhicheng.integrity.operations import is_city_office

from . import exports, queries, tree
from .operations import audit_key_dir, latest, record_check

View = Callable[..., HttpResponseBase]


def city_office_only(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_city_office(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _int(raw: str | None) -> int | None:
    return bounded_int(raw)


@city_office_only
def search(request: HttpRequest) -> HttpResponse:
    f = queries.parse_filters(request.GET)
    result = queries.page(queries.search(f, request.user), before=_int(request.GET.get("before")),
                          after=_int(request.GET.get("after")))
    pattern = queries.dossier_url_pattern()
    rows = [(e, queries.dossier_id(e)) for e in result.events]
    rows_with_links = [(e, pk, queries.dossier_url(pattern, pk)) for e, pk in rows]
    return render(request, "auditlog/search.html", {
        "f": f, "rows": rows_with_links, "page": result, "check": latest(),
        "query": f.as_query(), "action_choices": _action_choices(f.action),
    })


def _action_choices(current: str) -> list[tuple[str, str]]:
    """Every audit action by its label (a prefix typed into the URL stays selectable)."""
    choices = sorted(labels.codes("audit_action").items(), key=lambda item: item[1])
    if current and current not in dict(choices):
        choices.insert(0, (current, labels.label(current, "audit_action")))
    return choices


def _export(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    f = queries.parse_filters(request.GET)
    rows = queries.export_rows(queries.search(f, request.user))
    name = f"audit-{clock.today().isoformat()}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_stream(rows),
                                         content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(
            exports.xlsx_stream(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@city_office_only
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    return _export(request, "csv")


@city_office_only
def export_xlsx(request: HttpRequest) -> StreamingHttpResponse:
    return _export(request, "xlsx")


@city_office_only
@require_POST
def verify_now(request: HttpRequest) -> HttpResponse:
    check = record_check(request.user)
    if check.ok:
        messages.success(request, _("审计链完整：已校验 {n} 条事件。").format(n=check.count))
    else:
        messages.error(request, _("审计链在第 {seq} 条事件处断裂。").format(seq=check.broken_seq))
    return redirect("auditlog:search")


# --- public: the signed checkpoints (docs/trust.md §Audit checkpoints) ----------------------

PUBLIC_PAGE_SIZE = 100


def checkpoints_page(request: HttpRequest) -> HttpResponse:
    document = queries.published_checkpoints(limit=PUBLIC_PAGE_SIZE)
    rows = [c["checkpoint"] | {"key_id": c["key_id"], "algorithm": c["algorithm"]}
            for c in document["checkpoints"]]
    # Each signed tree head links to its consistency proof with the next older one.
    older = None
    for row in reversed(rows):
        if row.get("tree_size"):
            if older is not None and older < row["tree_size"]:
                row["previous_size"] = older
            older = row["tree_size"]
    return render(request, "auditlog/checkpoints.html", {"checkpoints": rows})


def checkpoints_json(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(queries.published_checkpoints(),
                            json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="audit-checkpoints.json"'
    return response


def audit_keys_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse(keystore.keys_document(audit_key_dir()),
                        json_dumps_params={"ensure_ascii": False, "indent": 2})


# --- Merkle proofs (docs/trust.md §Merkle tree) ---------------------------------------------


@login_required
def dossier_proof(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's download: every event of their dossier with its inclusion proof under
    the newest signed tree head (checked by tools/verify/audit_inclusion.py)."""
    app = get_object_or_404(Application.objects.only("pk"), pk=pk, applicant_id=request.user.pk)
    bundle = queries.dossier_proof(app.pk, keystore.keys_document(audit_key_dir()))
    response = JsonResponse(bundle, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="audit-proof-{app.pk}.json"'
    return response


def consistency_json(request: HttpRequest) -> HttpResponse:
    """The consistency proof between two tree sizes (?first=M&second=N), for two saved
    checkpoints: the older tree is a prefix of the newer one."""
    first, second = bounded_int(request.GET.get("first")), bounded_int(request.GET.get("second"))
    if first is None or second is None:
        return JsonResponse({"error": _("请给出两个树大小：first 和 second。")}, status=400)
    try:
        document = tree.consistency(first, second)
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = (
        f'attachment; filename="audit-consistency-{first}-{second}.json"')
    return response

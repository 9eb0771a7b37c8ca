"""The city office adjusts the printed documents of a season without code (docs/documents.md
§Document templates): the heading, issuing office, title, closing, contact and optional
columns of the 公示 notice, the result document, the opening report and the roster. A
refused text comes back as typed with the reason on its field; 预览 shows the document with
sample data and saves nothing; 保存 is one audited operation."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhicheng.core.operations import OperationError
from zhicheng.documents.printable import PrintDocument
from zhicheng.supervision.access import city_office_required

from . import doctemplates, operations, queries
from .forms import DocumentTemplateForm
from .models import Season
from .operations import MANAGE


def _season(request: HttpRequest, code: str) -> Season:
    season = get_object_or_404(Season, code=code)
    if not request.user.has_perm(MANAGE, season):
        raise Http404
    return season


@city_office_required
def index(request: HttpRequest, code: str) -> HttpResponse:
    season = _season(request, code)
    rows = [(kind, queries.document_template(season, kind.code))
            for kind in doctemplates.KINDS.values()]
    return render(request, "seasons/document_templates.html",
                  {"season": season, "rows": rows})


def sample(template: doctemplates.Template, season: Season) -> PrintDocument:
    """The document `template` would print, with sample people (the preview)."""
    values: dict[str, str] = {**doctemplates.SAMPLE_VALUES, "年度": str(season.year),
              "市职称办": f"{season.city}市职称办（示例）", "文号": f"示例〔{season.year}〕1号"}
    columns, widths, rows = doctemplates.table(template, doctemplates.SAMPLE_ROWS)
    kind = doctemplates.KINDS[template.kind]
    return PrintDocument(
        header=template.fill(template.header, values),
        number=values["文号"] if template.kind == "result_document" else "",
        title=template.fill(template.title, values) or f"{kind.label}（标准标题）",
        intro=["（正文由系统按评审数据生成，此处为示例。）"],
        facts=[("评委会", values["评委会"]), ("……", "……")] if not columns else [],
        columns=columns, widths=widths, rows=rows,
        after=[p for p in [template.fill(template.closing, values)] if p],
        contact=template.fill(template.contact, values),
        issuer=template.fill(template.office_name, values) or "（按数据自动填写的发文单位）",
    )


@city_office_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    season = _season(request, code)
    spec = doctemplates.KINDS.get(kind)
    if spec is None:
        raise Http404
    current = queries.document_template(season, kind)
    initial = {f: getattr(current, f) for f in doctemplates.TEXT_FIELDS}
    initial["columns"] = list(current.columns)
    form = DocumentTemplateForm(request.POST or None, kind=kind, initial=initial)
    preview = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                template = doctemplates.Template(
                    kind, **{f: data.get(f, "") for f in doctemplates.TEXT_FIELDS},
                    columns=tuple(data.get("columns", [])))
                preview = sample(template, season)
            else:
                try:
                    operations.save_document_template(request.user, season, kind, data)
                except OperationError as refused:
                    form.add_error(None, str(refused))
                    status = 400
                else:
                    saved = _("文件模板已保存：%(doc)s，此后生成的文件按新模板打印。")
                    messages.success(request, saved % {"doc": _(spec.label)})
                    return redirect("seasons:document_templates", season.code)
        else:
            status = 400
    return render(request, "seasons/document_template.html", {
        "season": season, "spec": spec, "form": form, "doc": preview,
        "placeholders": [f"{{{p}}}" for p in spec.placeholders],
    }, status=status)

"""The city office runs a season's lifecycle in the browser (docs/seasons.md §In the
browser): every season with its versions; a new draft from the previous season with its dates
moved by a year; the draft's key dates, parameters and plan table edited; its validation
problems; the public plan table as the draft would show it and the decision diff against the
version it replaces; publish at a chosen date; close and archive. Every write is one
operation of `seasons.operations` (one audit event each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhicheng.accounts.reauth import sensitive
from zhicheng.core import clock
from zhicheng.core.operations import OperationError
from zhicheng.orgs.queries import in_office_cities
from zhicheng.policy.package import (
    Parameter,
    get_value,
    office_names,
    parameters,
    plan_records,
    plan_table_from_data,
    set_value,
    to_json,
    with_department,
    with_not_office,
    with_plan_row,
    with_plan_texts,
)
from zhicheng.supervision.access import city_office_required

from . import operations, queries
from .forms import (
    CONFIDENCE,
    DATE_LABELS,
    DatesForm,
    DeriveForm,
    NoticeForm,
    OfficeForm,
    ParameterForm,
    PlanRowForm,
    PlanUploadForm,
    PublishForm,
)
from .models import Season, SeasonVersion, VersionStatus
from .plan_files import MAX_UPLOAD_BYTES, PlanFileRefused, read_plan_file


def _version(request: HttpRequest, code: str, number: int) -> SeasonVersion:
    """The version, of a season of the office's own city (else 404: docs/seasons.md, 多城市)."""
    found = (SeasonVersion.objects.select_related("season", "season__published_version")
             .filter(in_office_cities(request.user, "season__owner"))
             .filter(season__code=code, number=number).first())
    if found is None:
        raise Http404
    return found


def _draft_url(version: SeasonVersion) -> str:
    return reverse("seasons:draft", args=[version.season.code, version.number])


@city_office_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    current = Season.objects.filter(in_office_cities(request.user, "owner"),
                                    is_current=True).order_by("-year").first()
    proposed = _next_code(current.code, current.year) if current is not None else ""
    form = DeriveForm(request.POST or None, user=request.user, example=proposed)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            base = form.cleaned_data["base"].published_version
            try:
                version = operations.derive_draft(
                    request.user, base, form.cleaned_data["code"], form.cleaned_data["name"])
            except OperationError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("已新建%(name)s草稿：所有日期已顺延一年，请逐项核对。")
                                 % {"name": version.season.name})
                return redirect(_draft_url(version))
        status = 400
    if request.method == "GET" and current is not None:
        form.initial["base"] = current.pk
        form.initial["code"] = proposed
        form.initial["name"] = current.name.replace(str(current.year), str(current.year + 1))
    return render(request, "seasons/lifecycle.html", {
        "seasons": queries.lifecycle_seasons(request.user), "form": form, "today": clock.today(),
    }, status=status)


def _next_code(code: str, year: int) -> str:
    return code.replace(str(year), str(year + 1)) if str(year) in code else f"{code}-{year + 1}"


def _unknown_offices(data: dict[str, Any]) -> list[str]:
    table = plan_table_from_data(data)
    not_offices = set(data["tables"].get("organisations", {}).get("plan_table", {})
                      .get("not_offices", []))
    named = {r.office for r in table.rows.values() if r.office}
    return sorted(named - office_names(data) - not_offices)


def _date_nodes(version: SeasonVersion) -> dict[str, dict[str, Any]]:
    dates: dict[str, dict[str, Any]] = version.data["tables"]["season"].get("dates", {})
    return dates


def _draft_page(request: HttpRequest, version: SeasonVersion, status: int = 200,
                **extra: Any) -> HttpResponse:
    data = version.data
    problems = queries.draft_problems(version)
    errors = [p for p in problems if p.severity == "error"]
    dates = _date_nodes(version)
    context = {
        "version": version, "season": version.season,
        "editable": version.status == VersionStatus.DRAFT and version.season.archived_on is None,
        "problems": problems, "errors": errors,
        "dates_form": extra.pop("dates_form", None) or DatesForm(dates),
        "date_texts": {k: (DATE_LABELS.get(k, ""), n.get("clause", ""), n.get("text", ""))
                       for k, n in dates.items()},
        "notice_form": extra.pop("notice_form", None) or _notice_form(version),
        "parameters": [(p, CONFIDENCE.get(p.confidence, "")) for p in parameters(data)
                       if not p.path.startswith("dates.")],
        "plan_rows": plan_records(data),
        "upload_form": extra.pop("upload_form", None) or PlanUploadForm(),
        "unknown_offices": [
            OfficeForm(prefix=f"o{i}", initial={"office": name})
            for i, name in enumerate(_unknown_offices(data))
        ],
        "publish_form": extra.pop("publish_form", None) or PublishForm(
            initial={"on": clock.today()}),
        "base": queries.comparison_base(version),
        "example": bool(data.get("manifest", {}).get("package", {}).get("example")),
        "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024,
        **extra,
    }
    return render(request, "seasons/draft.html", context, status=status)


@city_office_required
def draft(request: HttpRequest, code: str, number: int) -> HttpResponse:
    return _draft_page(request, _version(request, code, number))


def _save(request: HttpRequest, version: SeasonVersion, data: dict[str, Any], summary: str,
          details: dict[str, Any]) -> HttpResponseBase | None:
    """Store an edit; None when it was refused (the message is on the page)."""
    try:
        operations.edit_draft(request.user, version, data, summary, details)
    except OperationError as refused:
        messages.error(request, str(refused))
        return None
    messages.success(request, _("已保存：%(what)s。") % {"what": summary})
    return redirect(_draft_url(version))


@city_office_required
@require_POST
def dates(request: HttpRequest, code: str, number: int) -> HttpResponseBase:
    version = _version(request, code, number)
    form = DatesForm(_date_nodes(version), request.POST)
    if not form.is_valid():
        return _draft_page(request, version, status=400, dates_form=form)
    data = version.data
    changed = {}
    for key, value in form.cleaned_data.items():
        path = f"dates.{key}.value"
        if get_value(data, "season", path) != to_json(value):
            data = set_value(data, "season", path, value)
            changed[key] = value.isoformat()
    if not changed:
        messages.info(request, _("日期没有变化。"))
        return redirect(_draft_url(version))
    summary = "修改关键日期：" + "、".join(
        f"{DATE_LABELS.get(k, k)}={v}" for k, v in changed.items())
    return _save(request, version, data, summary, {"dates": changed}) or redirect(
        _draft_url(version))


def _notice_form(version: SeasonVersion, posted: Any = None) -> NoticeForm:
    head = version.data["tables"]["season"]["season"]
    day = head.get("notice_date")
    return NoticeForm(posted, initial={
        "notice_number": head.get("notice_number", ""),
        "notice_title": head.get("notice_title", ""),
        "notice_date": dt.date.fromisoformat(day["$date"]) if isinstance(day, dict) else None,
        "body": version.data["texts"].get("notice", ""),
    })


@city_office_required
@require_POST
def notice(request: HttpRequest, code: str, number: int) -> HttpResponseBase:
    version = _version(request, code, number)
    form = _notice_form(version, request.POST)
    if not form.is_valid():
        return _draft_page(request, version, status=400, notice_form=form)
    data = version.data
    for key in ("notice_number", "notice_title", "notice_date"):
        data = set_value(data, "season", f"season.{key}", form.cleaned_data[key])
    data = {**data, "texts": {**data["texts"], "notice": form.cleaned_data["body"]}}
    number_text = form.cleaned_data["notice_number"]
    summary = f"修改通知：{number_text}《{form.cleaned_data['notice_title']}》"
    return _save(request, version, data, summary, {"notice_number": number_text}) or redirect(
        _draft_url(version))


def _parameter(version: SeasonVersion, key: str) -> Parameter:
    for item in parameters(version.data):
        if item.key == key:
            return item
    raise Http404


@city_office_required
@require_http_methods(["GET", "POST"])
def parameter(request: HttpRequest, code: str, number: int) -> HttpResponseBase:
    version = _version(request, code, number)
    item = _parameter(version, request.GET.get("key", ""))
    form = ParameterForm(item, request.POST or None)
    if request.method == "POST" and version.status == VersionStatus.DRAFT and form.is_valid():
        value = form.cleaned_data["value"]
        data = set_value(version.data, item.part, item.path, value)
        text = form.cleaned_data.get("text")
        if text is not None and text != item.text:
            parent = item.path.rsplit(".", 1)[0] + ".text" if "." in item.path else "text"
            data = set_value(data, item.part, parent, text)
        summary = f"修改参数（{item.clause}）{item.text[:30] or item.path}为{value}"
        saved = _save(request, version, data, summary,
                      {"parameter": item.key, "value": str(value)})
        if saved is not None:
            return saved
    status = 400 if request.method == "POST" else 200
    return render(request, "seasons/draft_parameter.html", {
        "version": version, "season": version.season, "item": item, "form": form,
        "confidence": CONFIDENCE.get(item.confidence, ""),
        "editable": version.status == VersionStatus.DRAFT,
    }, status=status)


@city_office_required
@require_http_methods(["GET", "POST"])
def plan_row(request: HttpRequest, code: str, number: int) -> HttpResponseBase:
    version = _version(request, code, number)
    records = {r["row"]: r for r in plan_records(version.data)}
    wanted = request.GET.get("row", "")
    initial = records.get(wanted)
    if initial is None:
        numbers = [int(n) for n in records if n.isdigit()]
        initial = {"row": str(max(numbers) + 1 if numbers else 1)}
    form = PlanRowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: str(v) for k, v in form.cleaned_data.items()}
        data = with_plan_row(version.data, values)
        verb = "修改" if values["row"] in records else "新增"
        saved = _save(request, version, data,
                      f"{verb}评审计划表序号{values['row']}（{values['specialty']}）",
                      {"plan_row": int(values["row"])})
        if saved is not None:
            return saved
    status = 400 if request.method == "POST" else 200
    return render(request, "seasons/draft_plan_row.html", {
        "version": version, "season": version.season, "form": form,
        "existing": wanted in records, "editable": version.status == VersionStatus.DRAFT,
    }, status=status)


@city_office_required
@require_POST
def plan_upload(request: HttpRequest, code: str, number: int) -> HttpResponseBase:
    """The office's workbook or CSV read by the plan import's reader: every problem by row and
    column; a file with errors changes nothing."""
    version = _version(request, code, number)
    form = PlanUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _draft_page(request, version, status=400, upload_form=form)
    file = form.cleaned_data["file"]
    if file.size and file.size > MAX_UPLOAD_BYTES:
        form.add_error("file", _("文件超过%(mb)dMB：评审计划表不应这么大。")
                       % {"mb": MAX_UPLOAD_BYTES // 1024 // 1024})
        return _draft_page(request, version, status=400, upload_form=form)
    try:
        upload = read_plan_file(code, file.name or "upload", file.read())
    except PlanFileRefused as refused:
        form.add_error("file", str(refused))
        return _draft_page(request, version, status=400, upload_form=form)
    if upload.errors:
        return _draft_page(request, version, status=400, upload_form=form, upload=upload)
    data = with_plan_texts(version.data, upload.plans_text, upload.merges_text)
    summary = f"上传评审计划表（{upload.filename}，{len(upload.table.rows)}行）"
    return _save(request, version, data, summary,
                 {"file": upload.filename, "file_sha256": upload.digest}) or redirect(
        _draft_url(version))


@city_office_required
@require_POST
def office(request: HttpRequest, code: str, number: int) -> HttpResponseBase:
    version = _version(request, code, number)
    prefix = request.POST.get("prefix", "o0")
    form = OfficeForm(request.POST, prefix=prefix)
    unknown = _unknown_offices(version.data)
    if not form.is_valid() or form.cleaned_data["office"] not in unknown:
        if form.is_valid():
            messages.error(request, _("该办事机构已处理。"))
            return redirect(_draft_url(version))
        forms_ = [form if f"o{i}" == prefix else OfficeForm(prefix=f"o{i}",
                                                            initial={"office": name})
                  for i, name in enumerate(unknown)]
        return _draft_page(request, version, status=400, unknown_offices=forms_)
    name = form.cleaned_data["office"]
    if form.cleaned_data["action"] == "department":
        full = form.cleaned_data["name"].strip()
        data = with_department(version.data, full, name, "市职称办在年度草稿中添加")
        summary = f"添加办事机构“{name}”（{full}）"
    else:
        data = with_not_office(version.data, name)
        summary = f"“{name}”不是办事机构，只保留文字"
    return _save(request, version, data, summary, {"office": name,
                                                    "action": form.cleaned_data["action"]}) \
        or redirect(_draft_url(version))


@city_office_required
def preview(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _version(request, code, number)
    table = plan_table_from_data(version.data)
    return render(request, "seasons/draft_preview.html", {
        "version": version, "season": version.season, "rows": list(table.rows.values()),
        "warnings": table.warnings, "errors": table.errors,
    })


@city_office_required
def diff(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _version(request, code, number)
    errors = [p for p in queries.draft_problems(version) if p.severity == "error"]
    result = None if errors else queries.decision_diff(version)
    return render(request, "seasons/draft_diff.html", {
        "version": version, "season": version.season, "diff": result, "errors": errors,
        "sample_count": queries.SAMPLE_PROFILES,
    })


@city_office_required
@require_POST
@sensitive  # publishing a season changes every later decision (docs/security.md §Sessions)
def publish(request: HttpRequest, code: str, number: int) -> HttpResponseBase:
    version = _version(request, code, number)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _draft_page(request, version, status=400, publish_form=form)
    day: dt.date = form.cleaned_data["on"]
    try:
        # A later date is kept on the draft; the daily task publishes it then.
        operations.schedule_publication(request.user, version, day)
    except OperationError as refused:
        return _draft_page(request, version, status=400, publish_form=form, refusal=str(refused))
    if day > clock.today():
        messages.success(request, _(
            "已安排%(name)s第%(n)d版于%(day)s发布：到该日期才生效，在此之前当前年度不变。")
            % {"name": version.season.name, "n": version.number, "day": day.isoformat()})
    else:
        messages.success(request, _("已发布%(name)s第%(n)d版（发布日期%(day)s）。")
                         % {"name": version.season.name, "n": version.number,
                            "day": day.isoformat()})
    return redirect("seasons:index")


@city_office_required
@require_POST
def correct(request: HttpRequest, code: str, number: int) -> HttpResponseBase:
    version = _version(request, code, number)
    try:
        draft = operations.correction_draft(request.user, version)
    except OperationError as refused:
        messages.error(request, str(refused))
        return redirect(_draft_url(version))
    messages.success(request, _("已新建更正草稿：修改后发布，新的申报即按更正后的数据判定。"))
    return redirect(_draft_url(draft))


@city_office_required
@require_POST
@sensitive  # archiving closes a season to new applications
def archive(request: HttpRequest, code: str) -> HttpResponseBase:
    season = Season.objects.filter(code=code).first()
    if season is None:
        raise Http404
    try:
        operations.archive_season(request.user, season)
    except OperationError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已结束并归档%(name)s：页面仍可查阅，不再受理新申报。")
                         % {"name": season.name})
    return redirect("seasons:index")

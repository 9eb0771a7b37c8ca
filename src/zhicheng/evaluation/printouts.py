"""The meeting's printable documents as `documents.printable.PrintDocument`s: the 评审结果文件
(the city office's result document under its filing number), the 开评报告 form and the
花名册. The views render each as a PDF and as a print layout of the page
(docs/documents.md §Meeting documents)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from zhicheng.catalogue.models import Title
from zhicheng.core import labels
from zhicheng.core.models import AuditEvent
from zhicheng.documents.printable import PrintDocument
from zhicheng.orgs.models import Organisation, OrgKind
from zhicheng.policy.dates import cn_date
from zhicheng.seasons.doctemplates import table
from zhicheng.seasons.queries import document_template

from .models import Meeting, MeetingState
from .queries import sittings_of

# The documents of a meeting, in the order the meeting page lists them.
KINDS: dict[str, str] = {
    "opening-report": "开评报告",
    "roster": "评审对象花名册",
    "result": "评审结果文件",
}


class NotYet(Exception):
    """The document does not exist yet for this meeting (a Chinese reason)."""


def city_office_name(meeting: Meeting) -> str:
    offices = Organisation.objects.filter(kind=OrgKind.CITY_OFFICE)
    owner = meeting.season.owner_id
    offices = (offices.filter(city_id=owner) if owner is not None
               else offices.filter(city__isnull=True))
    name = offices.values_list("name", flat=True).first()
    return str(name or f"{meeting.season.city}职称工作领导小组办公室")


def _cases(meeting: Meeting) -> list[Any]:
    cases = list(meeting.cases.select_related("application__applicant",
                                              "application__employer",
                                              "application__series").order_by("pk"))
    series = {c.application.series_id for c in cases}
    titles = {(t.series_id, t.level): t.name
              for t in Title.objects.filter(series_id__in=series).order_by("-pk")}
    for c in cases:
        a = c.application
        c.title_name = titles.get((a.series_id, a.level),  # type: ignore[attr-defined]
                                  f"{a.series.name}{a.get_level_display()}")
    return cases


def _person(c: Any) -> tuple[str, str, str]:
    a = c.application
    who = a.applicant
    return (str(who.full_name or who.username), str(who.get_sex_display() or "—"),
            str(a.employer.name) if a.employer is not None else "自由职业")


def _values(meeting: Meeting, **more: Any) -> dict[str, Any]:
    return {"年度": meeting.season.year, "评委会": str(meeting.committee),
            "办事机构": str(meeting.committee.office.name), **more}


def roster(meeting: Meeting) -> PrintDocument:
    if not meeting.cases.exists():
        raise NotYet("开评报告报送后才有评审对象花名册。")
    tpl = document_template(meeting.season, "roster")
    people = []
    for i, c in enumerate(_cases(meeting), 1):
        name, sex, unit = _person(c)
        a = c.application
        people.append({"序号": str(i), "姓名": name, "性别": sex, "工作单位": unit,
                       "系列": a.series.name, "专业": a.specialty,
                       "申报层级": a.get_level_display(), "申报职称名称": c.title_name})
    values = _values(meeting, 人数=len(people))
    columns, widths, rows = table(tpl, people)
    return PrintDocument(
        header=tpl.fill(tpl.header, values),
        title=tpl.fill(tpl.title, values)
        or f"{meeting.committee}{meeting.season.year}年度评审对象花名册",
        intro=[(f"评审会议：{cn_date(meeting.date)}，{meeting.place}。"
                if meeting.sittings.count() < 2
                else f"评审会议分场召开：{_sittings_line(meeting)}。") + f"共{len(rows)}人。"],
        columns=columns, widths=widths, rows=rows,
        after=[p for p in [tpl.fill(tpl.closing, values)] if p],
        contact=tpl.fill(tpl.contact, values),
        issuer=tpl.fill(tpl.office_name, values) or str(meeting.committee.office.name),
        date=cn_date(meeting.report_submitted_on) if meeting.report_submitted_on else "",
        landscape=True,
    )


def opening_report(meeting: Meeting) -> PrintDocument:
    presiding = meeting.presiding
    groups = "；".join(
        f"{g.get('specialty') or '不限专业'} / {_level(g.get('level'))}："
        f"抽取{g.get('count', 0)}人、备选{g.get('reserve', 0)}人"
        for g in meeting.draw_spec) or "未填写"
    facts = [
        ("评委会", str(meeting.committee)),
        ("评委会办事机构", str(meeting.committee.office.name)),
        ("评审年度", str(meeting.season.name)),
        ("会议日期", cn_date(meeting.date)),
        ("会议地点", meeting.place),
        ("评审通过率", f"{meeting.pass_rate}%" if meeting.pass_rate is not None else "未设定上限"),
        ("评委抽取方案", groups),
        ("会议主持人", f"{presiding.expert.user}（{presiding.get_role_display()}）"
                  if presiding else "尚未指定"),
        *([("分场会议", _sittings_line(meeting))] if meeting.sittings.count() > 1 else []),
        ("评审对象人数", f"{meeting.cases.count()}人（名单见花名册）"),
        ("报送日期", cn_date(meeting.report_submitted_on) if meeting.report_submitted_on
         else "未报送"),
        ("审批情况", meeting.get_state_display()
         + (f"（{cn_date(meeting.report_decided_on)}）" if meeting.report_decided_on else "")),
    ]
    tpl = document_template(meeting.season, "opening_report")
    values = _values(meeting)
    return PrintDocument(
        header=tpl.fill(tpl.header, values),
        title=tpl.fill(tpl.title, values) or f"{meeting.committee}评审会议开评报告",
        intro=[f"根据评审工作安排，{meeting.committee.office.name}拟于{cn_date(meeting.date)}"
               f"在{meeting.place}召开{meeting.committee}评审会议，现将有关情况报告如下（五（二））。"],
        facts=facts,
        after=[p for p in [tpl.fill(tpl.closing, values)] if p],
        boxes=["评委会办事机构意见", "市职称办审批意见"],
        contact=tpl.fill(tpl.contact, values),
        issuer=tpl.fill(tpl.office_name, values) or str(meeting.committee.office.name),
    )


def _sittings_line(meeting: Meeting) -> str:
    """“第1场：2024年10月25日，甲地，主持人某（主任委员）；第2场：…”."""
    return "；".join(
        f"第{d.number}场：{cn_date(d.date)}，{d.place}，主持人"
        + (f"{d.presiding.expert.user}（{d.presiding.get_role_display()}）" if d.presiding
           else "尚未指定")
        for d in sittings_of(meeting))


def _level(code: Any) -> str:
    return labels.label(code, "level") if code else "不限层级"


def filed_on(meeting: Meeting) -> Any:
    at = (AuditEvent.objects.filter(action="evaluation.results.file",
                                    target_id=str(meeting.pk))
          .order_by("-seq").values_list("created_at", flat=True).first())
    return timezone.localtime(at).date() if at is not None else None


def result_document(meeting: Meeting) -> PrintDocument:
    if meeting.state != MeetingState.FILED or not meeting.approval_number:
        raise NotYet("评审结果经市职称办核准备案后才有评审结果文件。")
    tpl = document_template(meeting.season, "result_document")
    office = city_office_name(meeting)
    passed = [c for c in _cases(meeting) if c.passed and not c.held_back]
    people = []
    for i, c in enumerate(passed, 1):
        name, sex, unit = _person(c)
        people.append({"序号": str(i), "姓名": name, "性别": sex, "工作单位": unit,
                       "专业": c.application.specialty, "资格名称": c.title_name})
    values = _values(meeting, 市职称办=office, 文号=meeting.approval_number, 人数=len(people))
    columns, widths, rows = table(tpl, people)
    day = filed_on(meeting)
    year = meeting.season.year
    return PrintDocument(
        header=tpl.fill(tpl.header, values), number=meeting.approval_number,
        title=tpl.fill(tpl.title, values) or f"关于{meeting.committee}{year}年度职称评审结果的通知",
        intro=[f"{meeting.committee}于{cn_date(meeting.date)}召开评审会议，经评审表决，"
               f"评审结果经公示无异议，经核准备案，下列{len(rows)}名同志取得相应专业技术资格，"
               "资格时间自核准备案之日起计算。"],
        columns=columns, widths=widths, rows=rows, empty="无评审通过人员。",
        after=[p for p in [tpl.fill(tpl.closing, values)] if p],
        contact=tpl.fill(tpl.contact, values),
        issuer=tpl.fill(tpl.office_name, values) or office, date=cn_date(day) if day else "",
    )


BUILDERS = {"opening-report": opening_report, "roster": roster, "result": result_document}


def build(kind: str, meeting: Meeting) -> PrintDocument:
    """The document `kind` (a key of KINDS) of `meeting`; raises KeyError for an unknown kind
    and NotYet when the meeting has not reached it."""
    return BUILDERS[kind](meeting)


def available(meeting: Meeting, *, has_roster: bool) -> list[tuple[str, str]]:
    """(kind, title) of the documents the meeting has reached, for its page."""
    out = [("opening-report", KINDS["opening-report"])]
    if has_roster:
        out.append(("roster", KINDS["roster"]))
    if meeting.state == MeetingState.FILED and meeting.approval_number:
        out.append(("result", KINDS["result"]))
    return out

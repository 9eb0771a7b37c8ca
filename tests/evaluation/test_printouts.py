"""The meeting's printable documents (docs/documents.md §Meeting documents): the opening report,
the roster and the result document under the filing number, each as a PDF with the embedded
font and as a print layout reached from the meeting page; the result document is public once
filed, the others stay with the meeting's staff. And the data report's workbook of the same
filed meeting: labels, real dates, 是/否, the columns a province needs (docs/exports.md)."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from zhicheng.evaluation import operations as ops
from zhicheng.evaluation.models import MeetingState

pytestmark = pytest.mark.django_db

NUMBER = "连职称办〔2024〕37号"


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf  # the Chinese font is embedded
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def _filed(world):
    from zhicheng.publicity.operations import close_due_publicities

    world.pool(7)
    passed = world.application("刘通过")
    failed = world.application("王未过")
    m = world.opened(count=5, reserve=0)
    world.vote_all(m, {passed.pk: ["agree"] * 5, failed.pk: ["agree"] * 2 + ["disagree"] * 3})
    seats = list(m.seats.all())
    ops.assign_tally_roles(m, world.office, seats[0], seats[1])
    ops.sign_tally(m, seats[0].expert.user)
    ops.sign_tally(m, seats[1].expert.user)
    ops.record_results(m, world.office)
    world.today("2024-10-28")
    ops.publish_results(m, world.office)
    close_due_publicities(world.today("2024-11-04"))
    ops.file_results(m, world.city, approval_number=NUMBER)
    m.refresh_from_db()
    assert m.state == MeetingState.FILED
    return m, passed, failed


def _links(html: str) -> dict[str, str]:
    section = html.split('id="printouts"', 1)[1].split("</p>", 1)[0]
    return {k: u for u, k in re.findall(r'href="([^"]+)" data-printout="([^"]+)"', section)}


def test_the_office_prints_roster_opening_report_and_result_document(world) -> None:
    m, passed, failed = _filed(world)
    office = Client()
    office.force_login(world.office)
    links = _links(office.get(f"/evaluation/meeting/{m.pk}/").content.decode())
    assert set(links) == {"opening-report", "roster", "result"}

    page = office.get(links["result"]).content.decode()
    assert NUMBER in page and "刘通过" in page and "王未过" not in page
    assert "style=" not in page.split('id="printout"', 1)[1]  # CSP: print CSS, no inline styles
    assert "documents/print.css" in page
    pdf_link = re.search(r'href="([^"]+\.pdf)"', page).group(1)
    text = _text(office.get(pdf_link).content)
    assert NUMBER in text and "刘通过" in text and "王未过" not in text
    assert "评审结果的通知" in text and "资格名称" in text

    roster = office.get(links["roster"]).content.decode()
    assert "刘通过" in roster and "王未过" in roster and "申报职称名称" in roster
    text = _text(office.get(links["roster"].rstrip("/") + ".pdf").content)
    assert "刘通过" in text and "王未过" in text and "序号" in text

    report = office.get(links["opening-report"]).content.decode()
    assert m.place in report and "市职称办审批意见" in report
    text = _text(office.get(links["opening-report"].rstrip("/") + ".pdf").content)
    assert m.place.replace(" ", "") in text and "评委抽取方案" in text and "2人" in text


def test_the_result_document_is_public_once_filed_the_others_are_not(world) -> None:
    m, passed, _failed = _filed(world)
    anyone = Client()
    # The public result publicity links to it.
    entry = passed.publicities.get(kind="result")
    html = anyone.get(f"/publicity/{entry.pk}/").content.decode()
    link = re.search(r'id="result-document" href="([^"]+)"', html).group(1)
    assert NUMBER in anyone.get(link).content.decode()
    assert NUMBER in _text(anyone.get(f"/evaluation/meeting/{m.pk}/print/result.pdf").content)
    page = anyone.get(f"/evaluation/meeting/{m.pk}/print/result/").content.decode()
    assert NUMBER in page and "返回评审会议" not in page
    for kind in ("roster", "opening-report"):
        assert anyone.get(f"/evaluation/meeting/{m.pk}/print/{kind}.pdf").status_code == 404
    stranger = Client()
    stranger.force_login(world.user("路人"))
    assert stranger.get(f"/evaluation/meeting/{m.pk}/print/roster/").status_code == 404
    assert anyone.get(f"/evaluation/meeting/{m.pk}/print/nonsense/").status_code == 404


def test_before_filing_there_is_no_result_document(world) -> None:
    world.pool(7)
    world.application("未备案")
    m = world.approved(count=5, reserve=0)
    office = Client()
    office.force_login(world.office)
    links = _links(office.get(f"/evaluation/meeting/{m.pk}/").content.decode())
    assert set(links) == {"opening-report", "roster"}
    assert office.get(f"/evaluation/meeting/{m.pk}/print/result.pdf").status_code == 404
    assert "未备案" in _text(office.get(f"/evaluation/meeting/{m.pk}/print/roster.pdf").content)


def test_the_data_report_workbook_has_the_province_columns_dates_and_labels(world) -> None:
    import datetime as dt

    from openpyxl import load_workbook

    m, passed, failed = _filed(world)
    passed.applicant.sex, passed.applicant.id_number = "F", "320706198001010012"
    passed.applicant.save()
    office = Client()
    office.force_login(world.office)
    page = office.get(f"/evaluation/meeting/{m.pk}/").content.decode()
    url = re.search(r'href="([^"]+data-report\.xlsx)"', page).group(1)
    wb = load_workbook(io.BytesIO(office.get(url).content))
    sheet = list(wb["评审对象"].iter_rows(values_only=True))
    rows = {r[1]: dict(zip(sheet[0], r, strict=True)) for r in sheet[1:]}
    mine, other = rows["刘通过"], rows["王未过"]
    assert mine["性别"] == "女" and mine["身份证件号码"] == "320706198001010012"
    assert mine["核准备案文号"] == NUMBER and mine["评委会"] == m.committee.name
    assert mine["申报职称名称"] and mine["评审结果"] == "通过" and other["评审结果"] == "未通过"
    assert mine["因通过率未通过"] == "否"
    assert isinstance(mine["会议日期"], dt.datetime) and mine["会议日期"].date() == m.date
    cell = next(c for c in wb["评审对象"][2] if c.value == mine["会议日期"])
    assert cell.number_format == "yyyy-mm-dd" and cell.is_date
    meeting = {r[0]: r[1] for r in wb["会议"].iter_rows(min_row=2, values_only=True)}
    assert meeting["核准备案文号"] == NUMBER
    assert meeting["结果公布日期"].date() == m.results_published_on
    # Only the named system columns hold codes.
    for header, value in mine.items():
        if value in ("passed", "not_passed", passed.level, passed.series.code):
            assert header.endswith("代码（系统用）"), header


def test_the_documents_print_with_the_city_office_template(world) -> None:
    from zhicheng.seasons.operations import save_document_template

    m, passed, _failed = _filed(world)
    save_document_template(world.city, m.season, "result_document", {
        "header": "{市职称办}（模板测试）", "title": "{年度}年度评审结果（{文号}）",
        "closing": "以上{人数}人，特此通知。", "contact": "联系人：王老师", "columns": []})
    save_document_template(world.city, m.season, "publicity_notice", {
        "contact": "监督电话：0518-7654321", "columns": ["性别"]})
    anyone = Client()
    text = _text(anyone.get(f"/evaluation/meeting/{m.pk}/print/result.pdf").content)
    assert "（模板测试）" in text and f"2024年度评审结果（{NUMBER}）" in text
    assert "以上1人，特此通知。" in text and "联系人：王老师" in text
    assert "性别" not in text and "资格名称" in text  # the optional columns left out
    entry = passed.publicities.get(kind="result")
    notice = _text(anyone.get(f"/publicity/{entry.pk}/notice.pdf").content)
    assert "监督电话：0518-7654321" in notice and "性别" in notice
    assert "申报层级" not in notice and "刘通过" in notice

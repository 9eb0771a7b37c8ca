"""Every figure of the supervision pages has its definition next to it, the same words in
docs/supervision.md and on each workbook's sheet 口径说明; every export has distinct column
headers and labels, never codes."""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.factories.supervision import Build
from zhicheng.applications.states import State
from zhicheng.catalogue.models import Level, Series
from zhicheng.orgs.models import EmployerType
from zhicheng.supervision.definitions import DEFINITIONS, rows

pytestmark = pytest.mark.django_db
D = dt.date
DOC = Path(__file__).resolve().parents[2] / "docs/supervision.md"


@pytest.fixture
def season_data(build: Build) -> Build:
    p1, p2 = build.plan(1), build.plan(2)
    for state in ("submitted", "passed", "approved", "not_passed", "revoked"):
        build.app(p1, state)
    build.app(p1, "approved", route="initial_determination")
    stale = build.app(p1, "unit_publicity")
    build.unit_publicity(stale, D(2024, 7, 1), D(2024, 7, 5))
    build.correction(build.app(p1, "correction_requested"), D(2024, 7, 12))
    committee = build.committee(p2)
    sent = build.meeting(committee, "filed", D(2024, 6, 10))
    build.data_report(sent, due=D(2024, 7, 1), sent=D(2024, 6, 28), drawn=7, present=7,
                      results=[("engineering", "intermediate", "passed"),
                               ("engineering", "intermediate", "not_passed")])
    missing = build.meeting(committee, "published", D(2024, 6, 20))
    build.data_report(missing, due=D(2024, 7, 10))
    build.new_season(2023)
    return build


class _Marks(HTMLParser):
    """The keys of `data-figure` (space-separated) and `data-definition` on a page, and the
    text of each definition's <dd>."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: set[str] = set()
        self.definitions: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "data-figure" and value:
                self.figures.update(value.split())
            elif name == "data-definition" and value:
                self.definitions.add(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _marks(html: str) -> _Marks:
    parser = _Marks()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("url", [
    "/supervision/?season=lianyungang-2024",
    "/supervision/statistics/?season=lianyungang-2024",
    "/supervision/plan/{plan}/",
])
def test_every_figure_on_a_page_has_its_definition_there(city_client, season_data, url):
    r = city_client.get(url.format(plan=season_data.plan(1).pk))
    assert r.status_code == 200
    marks = _marks(r.content.decode())
    assert marks.figures, "the page marks its figures"
    assert marks.figures <= set(DEFINITIONS), marks.figures - set(DEFINITIONS)
    assert marks.figures <= marks.definitions, marks.figures - marks.definitions
    text = re.sub(r"\s+", "", "".join(marks.text))
    for key in marks.definitions:
        assert re.sub(r"\s+", "", str(DEFINITIONS[key].text)) in text, key


def test_the_statistics_page_names_the_age_date_and_the_business_date(city_client,
                                                                       season_data):
    html = city_client.get("/supervision/statistics/?season=lianyungang-2024").content.decode()
    assert "年龄计算到 2024-12-31" in html and "按业务日期 2024-07-15" in html
    # the data report's figures carry their own labels, not the tables' 通过人数
    section = html[html.index('id="data-report"'):]
    assert "通过人数（报送）" in section and ">通过人数<" not in section


def test_the_docs_list_every_definition_word_for_word():
    doc = DOC.read_text("utf-8")
    for label, text in rows():
        assert f"| {label} | {text} |" in doc, label


def _workbooks(client) -> dict[str, object]:
    urls = ["/supervision/export.xlsx?season=lianyungang-2024",
            "/supervision/statistics/data-report.xlsx?season=lianyungang-2024"]
    urls += [f"/supervision/statistics/{key}.xlsx?season=lianyungang-2024"
             for key in ("series", "level", "district", "unit_type", "sex", "age")]
    out = {}
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        out[url] = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    return out


def test_every_export_has_distinct_headers_labels_and_the_definitions(city_client,
                                                                      season_data):
    codes = ({s.value for s in State} | set(Level.values)
             | set(EmployerType.values) | set(Series.objects.values_list("code", flat=True))
             | {"waiting", "sent", "late", "overdue", "M", "F"})
    for url, wb in _workbooks(city_client).items():
        assert wb.sheetnames[-1] == "口径说明", url
        for ws in wb.worksheets:
            table = list(ws.iter_rows(values_only=True))
            header = [h for h in table[0] if h is not None]
            assert len(set(header)) == len(header), (url, ws.title, header)
            for row in table[1:]:
                shown = {v for v in row if isinstance(v, str)}
                assert not shown & codes, (url, ws.title, shown & codes)
        sheet = list(wb["口径说明"].iter_rows(values_only=True))
        assert sheet[0] == ("指标", "口径") and list(sheet[1:]) == rows()


def test_the_other_exports_of_the_project_have_distinct_headers():
    """The worklist, the meeting's data report and the audit export: no header twice."""
    from zhicheng.auditlog.queries import EXPORT_COLUMNS
    from zhicheng.evaluation.exports import APPLICANT_COLUMNS, CODE_COLUMNS
    from zhicheng.reviews.exports import WORKLIST_COLUMNS

    for header in (
        [str(h) for h in WORKLIST_COLUMNS],
        [str(t) for _k, t in APPLICANT_COLUMNS] + [str(t) for _k, t in CODE_COLUMNS],
        [str(h) for h in EXPORT_COLUMNS],
    ):
        assert len(set(header)) == len(header), header

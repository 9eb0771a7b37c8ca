"""The city office's working-day calendar page and the dashboard's warning that next year's
calendar is missing."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories.calendar import EXAMPLE_FORM_2027, EXAMPLE_SOURCE_2027
from zhicheng.core.models import AuditEvent, CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db
PAGE = reverse("supervision:calendar")


def confirm(client, preview):
    """Press the preview's 确认发布 button (post its hidden fields)."""
    html = preview.content.decode()
    form = html[html.index('name="mode" value="confirm"') - 200:]
    form = form[:form.index("</form>")]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert fields["mode"] == "confirm"
    return client.post(PAGE, {k: unescape(v) for k, v in fields.items()})


def test_dashboard_warns_months_ahead_until_next_year_is_entered(city_client, settings):
    settings.ZHICHENG_TODAY = "2026-10-15"
    html = city_client.get(reverse("supervision:dashboard")).content.decode()
    assert "工作日历还没有2027年的数据（78天后进入2027年）" in html
    assert PAGE in html
    preview = city_client.post(PAGE, {"mode": "form", "year": "2027",
                                      "source": EXAMPLE_SOURCE_2027, **EXAMPLE_FORM_2027})
    assert preview.status_code == 200 and not CalendarYear.objects.filter(year=2027).exists()
    response = confirm(city_client, preview)
    assert response.status_code == 302
    assert "已发布2027年工作日历" in city_client.get(PAGE).content.decode()
    html = city_client.get(reverse("supervision:dashboard")).content.decode()
    assert "工作日历还没有2027年" not in html


def test_no_warning_far_from_the_new_year(city_client):
    html = city_client.get(reverse("supervision:dashboard")).content.decode()  # 2024-07-15
    assert 'id="zc-calendar-warning"' not in html


def test_page_lists_the_years_and_proposes_the_missing_one(city_client, settings):
    settings.ZHICHENG_TODAY = "2026-11-02"
    html = city_client.get(PAGE).content.decode()
    assert "2004–2026年：系统内置日历" in html
    assert 'name="year" class="form-control form-control-sm" value="2027"' in html
    for festival in ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"):
        assert f'name="{festival}-rest"' in html


def test_an_incomplete_year_is_refused_with_every_problem_and_changes_nothing(city_client):
    fields = {k: v for k, v in EXAMPLE_FORM_2027.items() if not k.startswith("清明")}
    fields["春节-work"] = "2027-02-17"
    response = city_client.post(PAGE, {"mode": "form", "year": "2027",
                                       "source": EXAMPLE_SOURCE_2027, **fields})
    html = response.content.decode()
    assert response.status_code == 400
    assert "缺少清明节的放假日期（4月）" in html and "2027年2月17日（星期三）本来就是工作日" in html
    assert "2027-02-06至2027-02-13" in html  # what was typed is kept
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not AuditEvent.objects.filter(action="calendar.year.publish").exists()


def test_upload_of_a_table_publishes_the_year(city_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    lines = ["日期,安排,节日"]
    for key, value in EXAMPLE_FORM_2027.items():
        festival, kind = key.rsplit("-", 1)
        for piece in value.split("、"):
            lines.append(f"{piece},{'上班' if kind == 'work' else '放假'},{festival}")
    data = ("\n".join(lines) + "\n").encode("gbk")
    preview = city_client.post(PAGE, {"mode": "upload", "year": "2027",
                                      "source": EXAMPLE_SOURCE_2027,
                                      "file": SimpleUploadedFile("2027.csv", data)})
    assert preview.status_code == 200 and not CalendarDay.objects.filter(date__year=2027).exists()
    assert confirm(city_client, preview).status_code == 302
    assert CalendarDay.objects.get(date="2027-02-20").is_workday


def test_the_preview_shows_the_holidays_and_make_up_days_before_anything_is_saved(city_client):
    response = city_client.post(PAGE, {"mode": "form", "year": "2027",
                                       "source": EXAMPLE_SOURCE_2027, **EXAMPLE_FORM_2027})
    html = response.content.decode()
    assert "预览：2027年工作日历" in html and "完整性检查通过" in html
    assert "2027年将有放假28天、调休上班4天" in html
    rows = re.findall(r'<tr class="zc-preview-day[^"]*"><td>([\d-]+)</td><td>(\S+)</td>'
                      r"<td>(\S+)</td><td>(\S+)</td></tr>", html)
    assert ("2027-02-20", "星期六", "调休上班", "春节") in rows
    assert ("2027-10-07", "星期四", "放假", "国庆节") in rows
    assert len(rows) == 32
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not AuditEvent.objects.filter(action="calendar.year.publish").exists()
    assert 'id="zc-calendar-template"' in html


def test_an_incomplete_preview_offers_no_confirmation(city_client):
    fields = {k: v for k, v in EXAMPLE_FORM_2027.items() if not k.startswith("端午")}
    response = city_client.post(PAGE, {"mode": "form", "year": "2027",
                                       "source": EXAMPLE_SOURCE_2027, **fields})
    html = response.content.decode()
    assert response.status_code == 400 and "完整性检查未通过" in html
    assert "缺少端午节的放假日期（5月、6月）" in html
    assert 'value="confirm"' not in html


def test_the_template_workbook_filled_in_is_accepted(city_client):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    page = city_client.get(PAGE).content.decode()
    assert reverse("supervision:calendar_template") in page
    response = city_client.get(reverse("supervision:calendar_template") + "?year=2027")
    assert response.status_code == 200
    assert "2027" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["日期", "安排", "节日"]
    lines = {(r[1].value, r[2].value): r[0] for r in sheet.iter_rows(min_row=2)}
    for key, value in EXAMPLE_FORM_2027.items():
        festival, kind = key.rsplit("-", 1)
        lines[("上班" if kind == "work" else "放假", festival)].value = value.replace("、", " ")
    out = io.BytesIO()
    book.save(out)
    preview = city_client.post(PAGE, {"mode": "upload", "year": "2027",
                                      "source": EXAMPLE_SOURCE_2027,
                                      "file": SimpleUploadedFile("2027.xlsx", out.getvalue())})
    assert "完整性检查通过" in preview.content.decode(), preview.content.decode()


def test_a_file_that_is_not_a_table_is_refused_clearly(city_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = city_client.post(PAGE, {
        "mode": "upload", "year": "2027", "source": EXAMPLE_SOURCE_2027,
        "file": SimpleUploadedFile("2027.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
    })
    assert response.status_code == 400 and "旧版Excel文件（.xls）" in response.content.decode()


def test_only_the_city_office_opens_the_calendar(client, demo_users):
    assert client.get(PAGE).status_code == 302
    client.force_login(demo_users["gongxin_committee"])
    assert client.get(PAGE).status_code == 403
    response = client.post(PAGE, {"mode": "form", "year": "2027",
                                  "source": EXAMPLE_SOURCE_2027, **EXAMPLE_FORM_2027})
    assert response.status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()

"""The city office adjusts a season's printed documents without code (docs/documents.md
§Document templates): reached from 届次管理 by clicking, placeholders checked with the typed
text kept, a preview that saves nothing, an audited save (the PDFs printing with it:
tests/evaluation/test_printouts.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from zhicheng.core.models import AuditEvent
from zhicheng.seasons.models import DocumentTemplate

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit_url(client: Client, season: Any, kind: str) -> str:
    index = client.get("/supervision/seasons/").content.decode()
    url = re.search(rf'href="([^"]+)" data-templates="{season.code}"', index).group(1)
    page = client.get(url).content.decode()
    return re.search(rf'href="([^"]+)" data-edit-template="{kind}"', page).group(1)


def test_a_wrong_placeholder_is_refused_on_its_field_and_the_typed_text_stays(season,
                                                                             demo_users):
    office = _client(demo_users["city_office"])
    url = _edit_url(office, season, "result_document")
    page = office.get(url).content.decode()
    assert "{市职称办}文件" in page  # the defaults are filled in
    typed = {"header": "{市职称办}文件", "title": "关于{评委}评审结果的通知",
             "closing": "请认真做好{聘用 工作。", "contact": "联系电话：0518-1234567",
             "office_name": "", "columns": ["性别"], "save": "1"}
    r = office.post(url, typed)
    html = r.content.decode()
    assert r.status_code == 400
    assert "没有占位符{评委}" in html and "{评委会}" in html  # names what may be used
    assert "花括号不成对" in html
    assert "关于{评委}评审结果的通知" in html and "0518-1234567" in html  # nothing lost
    assert not DocumentTemplate.objects.exists()
    assert not AuditEvent.objects.filter(action="season.document_template").exists()


def test_preview_saves_nothing_then_save_is_audited_and_used_by_the_notice(season,
                                                                          demo_users):
    office = _client(demo_users["city_office"])
    url = _edit_url(office, season, "publicity_notice")
    typed = {"header": "{公示单位}职称评审公示", "title": "", "office_name": "",
             "closing": "本公示共{人数}人。", "contact": "监督电话：0518-7654321",
             "columns": ["性别", "申报层级"]}
    html = office.post(url, {**typed, "preview": "1"}).content.decode()
    assert 'id="preview"' in html and "本公示共2人。" in html and "性别" in html
    assert not DocumentTemplate.objects.exists()
    r = office.post(url, {**typed, "save": "1"})
    assert r.status_code == 302
    row = DocumentTemplate.objects.get(season=season, kind="publicity_notice")
    assert row.columns == ["申报层级", "性别"]  # in the document's column order
    event = AuditEvent.objects.get(action="season.document_template")
    assert event.data["after"]["contact"] == "监督电话：0518-7654321"
    listing = office.get(r["Location"]).content.decode()
    assert "{公示单位}职称评审公示" in listing

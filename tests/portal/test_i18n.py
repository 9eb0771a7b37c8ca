from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src/zhicheng"
PO = SRC / "locale/en/LC_MESSAGES/django.po"
# Apps may keep their own catalogue (src/zhicheng/<app>/locale); every one must be complete.
ALL_PO = sorted(SRC.glob("**/locale/en/LC_MESSAGES/django.po"))


def entries(text: str) -> list[str]:
    return [block for block in re.split(r"\n\s*\n", text) if "msgid" in block]


def test_every_english_catalogue_is_found():
    assert PO in ALL_PO and len(ALL_PO) >= 2


@pytest.mark.parametrize("po", ALL_PO, ids=lambda p: str(p.relative_to(SRC)))
def test_english_catalogue_is_complete(po):
    text = po.read_text(encoding="utf-8")
    mo = po.with_suffix(".mo")
    assert mo.exists(), "run compilemessages"
    problems = []
    for block in entries(text)[1:]:  # the first entry is the header
        if block.startswith("#~"):
            continue  # obsolete
        if "#, fuzzy" in block or re.search(r"^#,.*fuzzy", block, re.MULTILINE):
            problems.append(block)
        for msgstr in re.findall(r'^msgstr(?:\[\d\])? ("(?:.*)"(?:\n".*")*)', block, re.MULTILINE):
            if "".join(re.findall(r'"(.*)"', msgstr)) == "":
                problems.append(block)
    assert problems == []


@pytest.mark.django_db
def test_switching_to_english(client, season, settings):
    settings.ZHICHENG_TODAY = "2024-07-15"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/plans/"})
    assert response.status_code == 302 and response["Location"] == "/plans/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Key dates" in html and "Evaluation plan table" in html
    assert "Demo date: July 15, 2024" in html
    plans = client.get("/plans/").content.decode()
    assert "Committee office" in plans and "inferred from row" in plans
    # and back
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "关键日期" in client.get("/").content.decode()


@pytest.mark.django_db
def test_browser_language_does_not_switch_by_itself(client, season):
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="zh-Hans">' in html and "关键日期" in html

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


def test_every_message_of_the_code_is_in_the_english_catalogue(tmp_path):
    """A Chinese string marked for translation but never added to the catalogue shows in
    Chinese on the English pages: collect the messages of a copy of the code with
    makemessages (as docs/portal.md says to) and require every one translated."""
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "src" / "zhicheng"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    done = subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "en", "--ignore=.venv",
         "--ignore=accounts/*", "--no-obsolete"],
        cwd=copy, capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path / "src"),
             "DJANGO_SETTINGS_MODULE": "zhicheng.settings", "ZHICHENG_SECRET_KEY": "i18n-test",
             "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    collected = (copy / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    untranslated = []
    for block in entries(collected)[1:]:
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ("(?:.*)"(?:\n".*")*)', block, re.MULTILINE)
        empty = any("".join(re.findall(r'"(.*)"', m)) == "" for m in msgstrs)
        if re.search(r"^#,.*fuzzy", block, re.MULTILINE) or empty:
            untranslated.append(block.splitlines()[-2 if empty else -1])
    assert untranslated == [], "translate these in django.po (docs/portal.md)"

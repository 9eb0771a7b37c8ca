from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

from zhicheng.portal.clauses import clause_anchor
from zhicheng.portal.notice import render_notice
from zhicheng.seasons.models import Notice

NOTICE = (
    Path(__file__).resolve().parents[2]
    / "src/zhicheng/policy/seasons/lianyungang-2024/notice.md"
)
POLICY_SEASON = Path(__file__).resolve().parents[2] / "src/zhicheng/policy/seasons"

CITED = [
    "一",
    *[f"二（{n}）" for n in ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]],
    "三（一）",
    "三（二）",
    "三（三）",
    "四",
    "四（一）",
    "四（二）",
    "四（三）",
    "四（四）",
    *[f"五（{n}）" for n in ["一", "二", "三", "四", "五"]],
]


@pytest.mark.parametrize(
    "citation, anchor",
    [
        ("一", "clause-1"),
        ("四", "clause-4"),
        ("二（二）", "clause-2-2"),
        ("五（四）", "clause-5-4"),
        ("二（十一）", "clause-2-11"),
        ("二(三)", "clause-2-3"),
        ("二（三）1", "clause-2-3-1"),
        ("二（八）2", "clause-2-8-2"),
        ("四（一）、五（四）", "clause-4-1"),
        ("附件", "attachment"),
    ],
)
def test_clause_anchor(citation, anchor):
    assert clause_anchor(citation) == anchor


@pytest.mark.parametrize("bad", ["", "abc", "二（", "零", "一百"])
def test_clause_anchor_refuses_nonsense(bad):
    with pytest.raises(ValueError):
        clause_anchor(bad)


def ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_every_clause_the_policy_may_cite_has_an_anchor():
    rendered = render_notice(NOTICE.read_text(encoding="utf-8"))
    present = ids(rendered.html) | {"attachment"}
    missing = [c for c in CITED if clause_anchor(c) not in present]
    assert missing == []


def citations_in_policy_data() -> set[str]:
    found: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                if k in ("clause", "citation") and isinstance(v, str):
                    found.add(v)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for path in POLICY_SEASON.glob("*/*.toml"):
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return found


def test_citations_in_the_season_data_resolve():
    present = ids(render_notice(NOTICE.read_text(encoding="utf-8")).html) | {"attachment"}
    unresolved = []
    for citation in citations_in_policy_data():
        try:
            anchor = clause_anchor(citation)
        except ValueError:
            continue  # not a clause of this notice (e.g. a national regulation)
        if anchor not in present:
            unresolved.append(citation)
    assert unresolved == []


@pytest.mark.django_db
def test_notice_page_has_the_anchors(client, season):
    html = client.get("/notice/").content.decode()
    present = ids(html)
    assert {clause_anchor(c) for c in CITED} <= present
    assert "attachment" in present
    assert 'href="/plans/"' in html
    assert season.notice_number in html


@pytest.mark.django_db
def test_notice_by_slug_and_list(client, season):
    notice = Notice.objects.get(season=season)
    assert client.get(f"/notice/{notice.slug}/").status_code == 200
    Notice.objects.create(
        slug="later", title="补充通知", date=dt.date(2024, 6, 1), body="正文", published=True
    )
    Notice.objects.create(
        slug="draft", title="草稿通知", date=dt.date(2024, 7, 1), body="正文", published=False
    )
    html = client.get("/notices/").content.decode()
    assert "草稿通知" not in html
    assert html.index("补充通知") < html.index(notice.title)  # newest first
    assert client.get("/notice/draft/").status_code == 404
    assert client.get("/notice/no-such-notice/").status_code == 404


@pytest.mark.django_db
def test_notice_markdown_is_escaped(client, season):
    Notice.objects.create(
        slug="evil",
        title="测试",
        date=dt.date(2024, 6, 1),
        body="## 一、标题\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))",
    )
    html = client.get("/notice/evil/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert 'id="clause-1"' in html


def test_clause_url_filter():
    from zhicheng.portal.templatetags.portal import clause_url

    assert clause_url("二（二）") == "/notice/#clause-2-2"
    assert clause_url("不是条款") == "/notice/"

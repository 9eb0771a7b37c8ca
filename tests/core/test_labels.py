"""Labels, never codes (core.labels): every page and export each demo role can reach by
following links, in Chinese, shows no code the registry knows as visible text.

The demo season of `make run` is seeded once (meeting to certificates, so every list has rows);
then each demo account starts from its pages and follows every same-site link, reading the
text a person sees (not attributes, scripts or tooltips), and every Excel and CSV export's
cells. Data people typed (names, usernames in e-mail addresses) is not a code."""

from __future__ import annotations

import csv
import io
import re
from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhicheng.core import labels

MAKE_RUN = [  # the Makefile's `make run` seeding, as tests/evaluation/test_demo_season.py runs it
    (["load_season", "--quiet-warnings", "--publish-at", "2024-07-15"], False),
    (["seed_demo"], False),
    (["evaluation_demo"], False),
    (["certificate", "keygen", "--if-missing"], False),
    (["certificate", "issue-approved"], True),
    (["certificate_demo"], True),
]
START_PAGES = [
    "/", "/accounts/me/", "/apply/", "/apply/inbox/", "/apply/profile/", "/review/",
    "/review/sampling/", "/evaluation/", "/evaluation/expert/", "/certificates/",
    "/certificates/office/", "/publicity/", "/publicity/objections/", "/api/tokens/",
    "/supervision/", "/supervision/statistics/", "/supervision/sanctions/",
    "/supervision/audit/", "/verify/", "/plans/", "/notices/",
]
# Not pages of a journey: sign-out, the admin (Django's own), language switch, files.
SKIP = re.compile(r"^/(admin/|i18n/|demo-clock/|static/|media/|accounts/(logout|password|email|"
                  r"mfa|3rdparty|signup|login|confirm))|\.(pdf|zip|json|png|svg)$|/material")
EXPORT = re.compile(r"\.(xlsx|csv)(\?|$)")
# Read-only pages never write (docs/security.md, V8): the only writes a GET may make are the
# session's, and the records of who opened which dossier or material (audited on purpose).
WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+("?[\w.]+"?)', re.I)
READ_WRITES = {"django_session"}
RECORDED_VIEWS = {  # page -> what opening it records: who opened which dossier (audited)
    re.compile(r"^/review/\d+/$"): {"reviews_dossierview", "core_auditevent", "core_audithead"},
}
PER_PATTERN = 3  # pages of one URL shape (digits replaced) visited per role
MAX_PAGES = 150


class _VisibleText(HTMLParser):
    """The text a person reads: text nodes outside script/style, placeholders, button values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if a.get("placeholder"):
            self.parts.append(str(a["placeholder"]))
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.parts.append(str(a["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _code_pattern() -> re.Pattern[str]:
    # Codes are lowercase ASCII identifiers; a Chinese page has no business showing one.
    tokens = sorted((c for c in labels.codes() if re.fullmatch(r"[a-z][a-z0-9_.]*", c)),
                    key=len, reverse=True)
    tokens += list(labels.codes("audit_action"))
    body = "|".join(re.escape(t) for t in dict.fromkeys(tokens))
    return re.compile(rf"(?<![A-Za-z0-9_.@/-])(?:{body})(?![A-Za-z0-9_@/-]|\.[A-Za-z0-9])")


def _people_data(text: str, usernames: list[str]) -> str:
    """Drop what people typed that may look like a code: e-mail addresses, usernames."""
    text = re.sub(r"\S+@\S+", " ", text)
    for name in usernames:
        text = re.sub(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", " ", text)
    return text


def _export_text(url: str, content: bytes) -> str:
    if ".csv" in url:
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        return _without_code_columns("\n".join(" | ".join(r) for r in rows))
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content), read_only=True)
    out = []
    for ws in wb.worksheets:
        out.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            out.append(" | ".join("" if v is None else str(v) for v in row))
    return _without_code_columns("\n".join(out))


def _without_code_columns(text: str) -> str:
    """Columns named …（系统用） hold codes on purpose (another system reads them)."""
    lines = text.split("\n")
    out: list[str] = []
    code_cols: set[int] = set()
    for line in lines:
        cells = line.split(" | ")
        if any("（系统用）" in c for c in cells):
            code_cols = {i for i, c in enumerate(cells) if "（系统用）" in c}
        out.append(" | ".join(c for i, c in enumerate(cells) if i not in code_cols))
    return "\n".join(out)


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _crawl(client: Client, usernames: list[str], pattern: re.Pattern[str],
           writes: dict[str, set[str]] | None = None) -> tuple[dict[str, list[str]], int]:
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    queue = deque(START_PAGES)
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        shape = _shape(urlparse(url).path)
        shapes[shape] = shapes.get(shape, 0) + 1
        if shapes[shape] > PER_PATTERN:
            continue
        try:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        except Exception as exc:  # a server error is a finding too, with the page named
            found[url] = [f"server error: {exc!r}"]
            continue
        if writes is not None:
            for q in queries.captured_queries:
                table = WRITE.match(q["sql"])
                if table and table.group(2).strip('"`') not in READ_WRITES:
                    writes.setdefault(url, set()).add(f"{table.group(1)} {table.group(2)}")
        if response.status_code != 200:
            continue
        visited += 1
        content = b"".join(response.streaming_content) if response.streaming else response.content
        kind = response.get("Content-Type", "")
        if EXPORT.search(url) or "spreadsheet" in kind or "text/csv" in kind:
            text = _export_text(url, content)
        elif "text/html" in kind:
            parser = _VisibleText()
            parser.feed(content.decode("utf-8"))
            text = " ".join(parser.parts)
            for href in parser.links:
                link, _frag = urldefrag(href)
                parts = urlparse(link)
                if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if not SKIP.search(parts.path) and target not in seen:
                    queue.append(target)
        else:
            continue
        hits = sorted(set(pattern.findall(_people_data(text, usernames))))
        if hits:
            found[url] = hits
    return found, visited


@pytest.mark.django_db(transaction=False)
def test_no_page_or_export_of_any_demo_role_shows_a_code(settings: Any, tmp_path: Any,
                                                        season: Any) -> None:
    """Also: no page a GET reaches writes anything but the session and the audited record of
    opening a dossier (read-only pages never write)."""
    from zhicheng.accounts.models import User
    from zhicheng.core.models import AuditEvent
    from zhicheng.demo.accounts import DEMO_ACCOUNTS

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ZHICHENG_KEY_DIR = str(tmp_path / "keys")
    settings.ZHICHENG_DEMO_CLOCK_FILE = str(tmp_path / "demo-clock.txt")
    settings.CELERY_TASK_ALWAYS_EAGER = True
    out = io.StringIO()
    for args, demo in MAKE_RUN:
        settings.ZHICHENG_TODAY = "2024-07-15" if demo else ""
        settings.ZHICHENG_DEMO_CLOCK = demo
        call_command(*args, stdout=out, stderr=out)

    # Every audit action the demo wrote has a label (so the audit pages can show one).
    unlabelled = {a for a in AuditEvent.objects.values_list("action", flat=True).distinct()
                  if labels.lookup(a, "audit_action") is None}

    pattern = _code_pattern()
    usernames = [a.username for a in DEMO_ACCOUNTS]
    problems: dict[str, dict[str, list[str]]] = {}
    reached: dict[str, int] = {}
    writes: dict[str, set[str]] = {}
    for account in DEMO_ACCOUNTS:
        client = Client()
        client.force_login(User.objects.get(username=account.username))
        found, visited = _crawl(client, usernames, pattern, writes)
        reached[account.username] = visited
        if found:
            problems[account.username] = found
    anonymous, reached["anonymous"] = _crawl(Client(), usernames, pattern)
    if anonymous:
        problems["anonymous"] = anonymous
    # The crawl really reached each role's work (not a sign-in page per role).
    assert all(n >= 5 for n in reached.values()), reached
    assert not problems, problems
    assert not unlabelled
    unexpected = {
        url: sorted(w for w in found_writes if w.split()[-1].strip('"`') not in next(
            (allowed for page, allowed in RECORDED_VIEWS.items() if page.match(url)), set()))
        for url, found_writes in writes.items()
    }
    assert not {url: w for url, w in unexpected.items() if w}, unexpected


def test_the_registry_labels_every_kind_of_code_people_meet() -> None:
    assert labels.label("unit_start_review", "step") == "单位开始审核"
    assert labels.label("city_office_review", "step") == "市职称办抽查"
    assert labels.label("evaluation.ballot.cast", "audit_action") == "投票"
    assert labels.label("review.committee_accept", "audit_action") == "复核通过，评前公示"
    assert labels.label("seasons.committeeplan.change", "audit_action").startswith("修改")
    assert labels.target_label("certificates.certificate", 6) == "电子职称证书 6"
    assert labels.label("associate_senior", "level") == "副高级"
    assert labels.label("eligible", "verdict") == "符合申报条件"
    assert labels.label("same_level_transfer", "route") == "同级转评"
    assert labels.label("suspension", "sanction_kind") == "暂停评审"
    assert labels.label("certificate_number", "field") == "证书编号"
    assert labels.label("contract", "field") == "已与用人单位签订劳动（聘用）合同"
    assert labels.label("passed") == "评审通过"  # a model field's choice, any kind
    assert labels.label("no-such-code") == "no-such-code"  # nothing lost


def test_english_labels_come_from_the_catalogue() -> None:
    from django.utils import translation

    with translation.override("en"):
        assert labels.label("suspension", "sanction_kind") != "暂停评审"


def test_template_filter_and_refusal_field_names() -> None:
    from django.template import Context, Template

    from zhicheng.applications.profiles import location_label

    html = Template('{% load labels %}{{ s|label:"step" }} {% target_label t 3 %}').render(
        Context({"s": "committee_accept", "t": "evaluation.meeting"}))
    assert html == "复核通过，评前公示 评审会议 3"
    assert location_label(("titles", 0, "certificate_number")) == "已取得职称第1条·证书编号"


def test_every_audit_action_written_by_an_operation_has_a_label():
    """The audit search and every event page show the action by its label: an operation whose
    action nobody labelled would show its code."""
    import re
    from pathlib import Path

    from zhicheng.core import labels

    src = Path(__file__).resolve().parents[2] / "src" / "zhicheng"
    written = set()
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'\boperation\(\s*[\w.]+,\s*"([a-z_]+(?:\.[a-z_]+)+)"', text))
    assert len(written) > 50  # the scan finds the operations
    unlabelled = sorted(a for a in written if labels.lookup(a, "audit_action") is None)
    assert unlabelled == []

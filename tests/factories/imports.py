"""Driving an import as an office does (jobs/imports.py): the upload form of the import's
page (its action and hidden fields read from the page, as a browser would submit it), the
preview job's page it lands on, and the confirm button of that page."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get"),
                               "enctype": a.get("enctype", ""), "fields": {}})
        elif not self.forms:
            return
        elif tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.forms[-1]["fields"][a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and (
                "selected" in a or self._select not in self.forms[-1]["fields"]):
            self.forms[-1]["fields"][self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def upload_form(html: str) -> dict[str, Any]:
    found = [f for f in forms(html) if f["enctype"] == "multipart/form-data"]
    assert len(found) == 1, "the import page has one upload form"
    return found[0]


def upload(client: Any, page_url: str, name: str, data: bytes, **choices: str) -> Any:
    """Open the import's page, fill its upload form (choices override selects), submit it and
    follow to where it leads (the preview job's page, or back to the page with a refusal)."""
    page = client.get(page_url)
    assert page.status_code == 200
    form = upload_form(page.content.decode())
    fields = {**form["fields"], **choices, "file": SimpleUploadedFile(name, data)}
    return post_and_run(client, form["action"], fields)


def confirm(client: Any, preview_page: Any, **choices: str) -> Any:
    """Press the preview page's confirm button (with the choices made in its form); follow
    to the confirming job's page."""
    html = preview_page.content.decode()
    found = [f for f in forms(html) if f["fields"].get("preview")]
    assert len(found) == 1, "the preview page offers its confirm button"
    return post_and_run(client, found[0]["action"], {**found[0]["fields"], **choices})


def post_and_run(client: Any, action: str, fields: dict[str, Any]) -> Any:
    """Submit a form, let the job it starts run (as the worker would once the start has
    committed), then follow the redirect, as the browser does."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(action, fields)
    if response.status_code in (301, 302):
        return client.get(response["Location"], follow=True)
    return response


def report(page: Any) -> dict[str, Any]:
    """The preview job's report, as the page it rendered had it."""
    return dict(page.context["job"].report)


def problem_cells(page: Any) -> set[tuple[Any, str]]:
    return {(row, column) for row, column, _message, _severity in report(page)["problems"]}

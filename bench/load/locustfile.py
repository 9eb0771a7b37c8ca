"""Locust scenario of the load benchmark (bench/README.md, "Load"); run by bench/load/run.sh.

Reads the fixtures the seeder wrote (LOAD_FIXTURES, default var/load/fixtures.json): signed-in
sessions of draft applicants and of a preliminary reviewer whose worklist holds 500 items,
certificates to verify, running publicity entries. Every request is named after the
endpoint it measures; redirects are not followed, so a POST is timed on its own.

Tags select a subset (`--tags ceiling`, `--tags worklist`) for the saturation runs.
LOAD_WAIT="min,max" sets the think time per user in seconds (default 0.5,1.5; "0,0" = none).
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

from locust import HttpUser, between, constant, tag, task
from pdfs import pdf_of_size  # bench/load/pdfs.py: locust puts the locustfile's folder on the path

FIXTURES: dict[str, Any] = json.loads(
    Path(os.environ.get("LOAD_FIXTURES", "var/load/fixtures.json")).read_text(encoding="utf-8")
)
_wait = [float(x) for x in os.environ.get("LOAD_WAIT", "0.5,1.5").split(",")]
WAIT = constant(0) if _wait == [0.0, 0.0] else between(*_wait)
_applicants = itertools.cycle(FIXTURES["applicants"])
_publicities = itertools.cycle(FIXTURES["publicities"] or [0])
_certificates = itertools.cycle(FIXTURES["certificates"])
CSRF = secrets.token_hex(16)  # a 32-character secret, accepted as cookie and as token


PDF_2MB = pdf_of_size(2 * 1024 * 1024)


class Base(HttpUser):
    abstract = True
    wait_time = WAIT

    def sign_in(self, session: str | None) -> None:
        # A fixed Cookie header and a jar that keeps nothing: with ZHICHENG_PRODUCTION the
        # server's Set-Cookie are `Secure`, and a jar would swap our cookies for ones it then
        # never sends over plain HTTP (CSRF failures, sessions lost).
        self.client.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        self.client.cookies.clear()
        cookie = f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")
        self.client.headers["Cookie"] = cookie

    def post(self, url: str, name: str, **kwargs: Any) -> Any:
        headers = {"X-CSRFToken": CSRF, **kwargs.pop("headers", {})}
        return self.client.post(url, name=name, headers=headers, allow_redirects=False,
                                **kwargs)


class Applicant(Base):
    """A draft applicant: dashboard, the live pre-check as they type, an upload now and then."""

    weight = 6

    def on_start(self) -> None:
        me = next(_applicants)
        self.app = me["application"]
        self.sign_in(me["session"])
        plan = FIXTURES["plan"]
        self.form = {"plan": plan["id"], "series": plan["series"],
                     "specialty": plan["specialty"], "level": plan["level"],
                     "route": "normal", "explanation": "", "version": ""}

    @tag("mix")
    @task(5)
    def dashboard(self) -> None:
        self.client.get("/apply/", name="applicant dashboard", allow_redirects=False)

    @tag("mix")
    @task(4)
    def precheck(self) -> None:
        self.post(f"/apply/{self.app}/precheck/", "pre-check (htmx)", data=self.form,
                  headers={"HX-Request": "true"})

    @tag("mix")
    @task(1)
    def upload(self) -> None:
        with self.post(
            f"/apply/{self.app}/materials/", "material upload (2 MB PDF)",
            data={"kind": "achievement", "title": "负载测试扫描件",
                  "document_date": "2023-05-20", "proves": ""},
            files={"file": ("scan.pdf", PDF_2MB, "application/pdf")}, catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"upload answered {r.status_code}")


class Reviewer(Base):
    """The preliminary reviewer opening a worklist of 500 items."""

    weight = 2

    def on_start(self) -> None:
        self.sign_in(FIXTURES["reviewer"]["session"])

    @tag("mix", "worklist")
    @task
    def worklist(self) -> None:
        with self.client.get("/review/", name="reviewer worklist (500)", catch_response=True,
                             allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"worklist answered {r.status_code}")


class Public(Base):
    """The public: plan table, publicity list and entries, certificate verification; and the
    bare view (the ceiling)."""

    weight = 4

    def on_start(self) -> None:
        self.sign_in(None)

    @tag("mix")
    @task(3)
    def plans(self) -> None:
        self.client.get("/plans/", name="public plan table")

    @tag("mix")
    @task(3)
    def publicity_list(self) -> None:
        self.client.get("/publicity/", name="publicity list")

    @tag("mix")
    @task(2)
    def publicity_entry(self) -> None:
        self.client.get(f"/publicity/{next(_publicities)}/", name="publicity entry")

    @tag("mix")
    @task(2)
    def verify(self) -> None:
        cert = next(_certificates)
        with self.post("/verify/", "certificate verification",
                       data={"number": cert["number"], "name": cert["name"]},
                       catch_response=True) as r:
            if r.status_code != 200 or "有效" not in r.text:
                r.failure(f"verification answered {r.status_code}")

    @tag("mix", "ceiling")
    @task(2)
    def bare(self) -> None:
        self.client.get("/healthz", name="bare view /healthz (ceiling)")


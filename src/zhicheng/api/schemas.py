"""Request and response bodies of the JSON API (pydantic through django-ninja)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from .params import Id, Text, Written


class ErrorDetail(Schema):
    field: str = Field("", description="where the problem is, e.g. `query.limit`; may be empty")
    message: str


class ErrorInfo(Schema):
    code: str = Field(description="stable machine-readable code, e.g. `not_found`")
    message: str = Field(description="human-readable, in Chinese")
    details: list[ErrorDetail] = []


class ErrorOut(Schema):
    error: ErrorInfo


class Page(Schema):
    count: int
    limit: int
    offset: int


# --- catalogue ------------------------------------------------------------------------------


class TitleOut(Schema):
    level: str
    level_label: str
    name: str


class SeriesOut(Schema):
    code: str
    name: str
    name_en: str
    titles: list[TitleOut]
    specialties: list[str]


class SeriesList(Schema):
    items: list[SeriesOut]


class LevelOut(Schema):
    code: str
    label: str


class LevelList(Schema):
    items: list[LevelOut]


# --- seasons --------------------------------------------------------------------------------


class SeasonVersionOut(Schema):
    number: int
    status: str = Field(description="published / superseded (drafts are not public)")
    status_label: str
    published_on: dt.date | None
    sha256: str = Field(description="SHA-256 of the season package data (docs/seasons.md)")
    note: str


class SeasonOut(Schema):
    code: str
    name: str
    year: int
    city: str
    notice_number: str
    notice_title: str
    current: bool
    published_version: int | None
    seniority_cutoff: dt.date
    materials_cutoff: dt.date
    versions: list[SeasonVersionOut]


class SeasonList(Schema):
    items: list[SeasonOut]


# --- plans ----------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    season: str
    row: int
    specialty: str
    office_name: str
    phone: str
    address: str
    acceptance_text: str
    acceptance_months: list[int]
    evaluation_text: str
    remarks: str
    source: str
    series: list[str]


class PlanPage(Page):
    items: list[PlanOut]


# --- applications ---------------------------------------------------------------------------


class ApplicationOut(Schema):
    id: int
    state: str
    state_label: str
    season: str
    plan_id: int
    plan_row: int
    plan_specialty: str
    series: str
    specialty: str
    level: str
    level_label: str
    route: str
    applicant_name: str
    employer: str | None
    freelancer: bool
    preliminary_reviewer: str | None
    submitted_at: dt.datetime | None
    updated_at: dt.datetime


class ApplicationPage(Page):
    items: list[ApplicationOut]


class ReviewStepOut(Schema):
    step: str
    organisation: str | None
    actor: str
    reasons: str
    is_return: bool
    created_at: dt.datetime


class CorrectionItemOut(Schema):
    target: str
    label: str
    problem: str


class CorrectionOut(Schema):
    number: int
    status: str
    due_date: dt.date | None
    items: list[CorrectionItemOut]


class MaterialOut(Schema):
    id: int
    title: str
    kind: str
    sha256: str


class ApplicationDetail(ApplicationOut):
    materials: list[MaterialOut]
    review_steps: list[ReviewStepOut]
    corrections: list[CorrectionOut]


# --- results --------------------------------------------------------------------------------


class ResultOut(Schema):
    application_id: int
    applicant_name: str
    series: str
    specialty: str
    level: str
    committee: str
    meeting_date: dt.date
    attending: int | None
    agree: int | None
    disagree: int | None
    abstain: int | None
    not_voted: int | None
    vote_passed: bool | None = Field(description="the vote's result: at least 2/3 of the "
                                     "attending experts agreed")
    held_back: bool = Field(description="passed the vote, not passed under the pass-rate "
                            "ceiling")
    passed: bool = Field(description="the final result: passed the vote and not held back")
    result: str = Field(description="passed, held_back or not_passed")
    result_label: str
    application_state: str = Field(description="the application's state now (later changes, "
                                   "such as a revocation, show here)")
    application_state_label: str


class ResultPage(Page):
    items: list[ResultOut]


# --- certificates ---------------------------------------------------------------------------


class CertificateOut(Schema):
    number: str
    holder_name: str
    series_name: str
    specialty: str
    title_name: str
    level: str
    committee: str
    approval_number: str
    qualification_date: dt.date
    issue_date: dt.date
    status: str
    revoked_on: dt.date | None


class VerifyOut(Schema):
    result: str = Field(description="valid, revoked, unknown or invalid")
    result_label: str
    certificate: CertificateOut | None


# --- writes ---------------------------------------------------------------------------------


class ReasonsIn(Schema):
    reasons: Written


class OpinionIn(Schema):
    opinion: Written


class UnitCheckIn(Schema):
    checked_material_ids: list[Id] = Field(default_factory=list, max_length=500)
    opinion: Text = Field("", max_length=2000)


class UnitCheckOut(Schema):
    application_id: int
    checked: dict[str, str]
    opinion: str


class CorrectionItemIn(Schema):
    target: Text = Field(min_length=1, max_length=60,
                        description="`section:<name>`, `field:explanation`, `material:<id>` "
                                    "or `material:new`")
    problem: Text = Field(min_length=1, max_length=1000)


class CorrectionsIn(Schema):
    items: list[CorrectionItemIn] = Field(min_length=1, max_length=50)
    due_date: dt.date | None = None


class DossierViewOut(Schema):
    application_id: int
    submission: int


def plain(value: Any) -> str:
    return "" if value is None else str(value)

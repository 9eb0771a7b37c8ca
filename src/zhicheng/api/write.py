"""Write endpoints: review actions on applications. Each calls the SAME operation as the web
page (`reviews.operations`), acting as the token's named person; the operation checks the
permission and the state and writes the audit event. The dossier must first be visible to
the token (else 404), and the step must belong to the token's own organisation (a person
with roles in two organisations cannot use one organisation's token for the other's work)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Path, Router

from zhicheng.applications.models import Application
from zhicheng.core.operations import NotPermitted
from zhicheng.orgs.models import OrgKind
from zhicheng.reviews import operations as rops

from . import schemas as s
from .auth import Principal
from .models import Scope
from .params import Id
from .read import ERRORS, application_row, principal, scoped_applications

router = Router(tags=["review actions"])
WRITE_ERRORS = frozenset({*ERRORS, 409})

AppId = Annotated[Id, Path()]


def writer(request: HttpRequest) -> Principal:
    p = principal(request, Scope.REVIEWS_WRITE)
    if p.user is None:
        raise NotPermitted("该令牌未指定经办人，不能办理审核事项。")
    return p


def dossier(p: Principal, pk: int) -> Application:
    app = scoped_applications(p).filter(pk=pk).first()
    if app is None:
        raise Http404("没有找到该申报（或不在您的管辖范围内）。")
    return app


OWN_ORG: dict[str, Callable[[Application], int | None]] = {
    "unit": lambda app: app.employer_id,
    "preliminary": lambda app: app.preliminary_reviewer_id,
    "committee": lambda app: app.plan.office_id,
}


def acting(request: HttpRequest, pk: int, side: str) -> tuple[Principal, Application]:
    p = writer(request)
    app = dossier(p, pk)
    if side == "city":
        if p.organisation.kind != OrgKind.CITY_OFFICE:
            raise NotPermitted("只有市职称办的令牌可以办理此事项。")
    elif OWN_ORG[side](app) != p.organisation.pk:
        raise NotPermitted("该事项不由本令牌所属机构办理。")
    return p, app


def done(app: Application) -> dict[str, Any]:
    app.refresh_from_db()
    return application_row(app)


OUT = {200: s.ApplicationOut, WRITE_ERRORS: s.ErrorOut}


@router.post("/applications/{id}/dossier-view",
             response={200: s.DossierViewOut, WRITE_ERRORS: s.ErrorOut},
             summary="确认已查阅申报材料（审核通过前必需）")
def dossier_view(request: HttpRequest, id: AppId) -> Any:
    p = writer(request)
    app = dossier(p, id)
    view = rops.record_dossier_view(app, p.user)
    if view is None:
        raise Http404("该申报没有提交快照。")
    return {"application_id": app.pk, "submission": view.submission.number}


# --- unit (用人单位, 四（二）) ----------------------------------------------------------------


@router.post("/applications/{id}/unit/start", response=OUT, summary="单位开始审核")
def unit_start(request: HttpRequest, id: AppId) -> Any:
    p, app = acting(request, id, "unit")
    return done(rops.unit_start_review(app, p.user))


@router.put("/applications/{id}/unit/check",
            response={200: s.UnitCheckOut, WRITE_ERRORS: s.ErrorOut},
            summary="核对原件与单位意见（可多次保存）")
def unit_check(request: HttpRequest, id: AppId, body: s.UnitCheckIn) -> Any:
    p, app = acting(request, id, "unit")
    check = rops.save_unit_check(app, p.user, checked_ids=body.checked_material_ids,
                                 opinion=body.opinion)
    return {"application_id": app.pk, "checked": check.checked, "opinion": check.opinion}


@router.post("/applications/{id}/unit/approve", response=OUT,
             summary="单位审核通过（进入单位公示）")
def unit_approve(request: HttpRequest, id: AppId) -> Any:
    p, app = acting(request, id, "unit")
    return done(rops.unit_approve(app, p.user))


@router.post("/applications/{id}/unit/return", response=OUT, summary="单位退回修改")
def unit_return(request: HttpRequest, id: AppId, body: s.ReasonsIn) -> Any:
    p, app = acting(request, id, "unit")
    return done(rops.unit_return(app, p.user, reasons=body.reasons))


@router.post("/applications/{id}/unit/recommend", response=OUT, summary="公示期满，单位推荐")
def unit_recommend(request: HttpRequest, id: AppId) -> Any:
    p, app = acting(request, id, "unit")
    return done(rops.unit_recommend(app, p.user))


# --- preliminary review (初审, 四（三）) -------------------------------------------------------


@router.post("/applications/{id}/preliminary/approve", response=OUT, summary="初审通过")
def preliminary_approve(request: HttpRequest, id: AppId) -> Any:
    p, app = acting(request, id, "preliminary")
    return done(rops.preliminary_approve(app, p.user))


@router.post("/applications/{id}/preliminary/reject", response=OUT, summary="初审不予通过")
def preliminary_reject(request: HttpRequest, id: AppId, body: s.ReasonsIn) -> Any:
    p, app = acting(request, id, "preliminary")
    return done(rops.preliminary_reject(app, p.user, reasons=body.reasons))


@router.post("/applications/{id}/preliminary/corrections", response=OUT,
             summary="一次性告知补正事项（退回补正）")
def preliminary_corrections(request: HttpRequest, id: AppId, body: s.CorrectionsIn) -> Any:
    p, app = acting(request, id, "preliminary")
    rops.request_corrections(app, p.user, items=[i.dict() for i in body.items],
                             due_date=body.due_date)
    return done(app)


# --- committee office re-check (复核, 四（四）) ------------------------------------------------


@router.post("/applications/{id}/committee/accept", response=OUT,
             summary="复核通过（进入评前公示）")
def committee_accept(request: HttpRequest, id: AppId) -> Any:
    p, app = acting(request, id, "committee")
    return done(rops.committee_accept(app, p.user))


@router.post("/applications/{id}/committee/return", response=OUT, summary="复核退回初审单位")
def committee_return(request: HttpRequest, id: AppId, body: s.ReasonsIn) -> Any:
    p, app = acting(request, id, "committee")
    return done(rops.committee_return(app, p.user, reasons=body.reasons))


@router.post("/applications/{id}/committee/refuse", response=OUT, summary="不予受理")
def committee_refuse(request: HttpRequest, id: AppId, body: s.ReasonsIn) -> Any:
    p, app = acting(request, id, "committee")
    return done(rops.committee_refuse(app, p.user, reasons=body.reasons))


# --- city title office (市职称办) -----------------------------------------------------------


@router.post("/applications/{id}/city-office/review", response=OUT,
             summary="市职称办审核高级申报材料（报省前）")
def city_office_review(request: HttpRequest, id: AppId, body: s.OpinionIn) -> Any:
    p, app = acting(request, id, "city")
    rops.city_office_review(app, p.user, opinion=body.opinion)
    return done(app)

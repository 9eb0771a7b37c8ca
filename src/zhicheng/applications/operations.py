"""Every write of the applications app (docs/architecture.md: the one door). Each function
locks the row, checks permission and state, changes, and writes one audit event in one
transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from zhicheng.accounts.identity import is_mobile
from zhicheng.core import clock
from zhicheng.core.actors import Actor, person
from zhicheng.core.operations import OperationError, StateConflict, operation
from zhicheng.core.prepared import first_of, prepared
from zhicheng.documents.uploads import check_application_quota, inspect_upload, store
from zhicheng.integrity.queries import HAS_RECORDS, has_records
from zhicheng.orgs.models import Membership, Organisation, OrgKind
from zhicheng.orgs.queries import preliminary_reviewer_for, talent_centre
from zhicheng.sanctions.checks import (
    WITHDRAWAL_FLAG,
    ensure_plan_accepting,
    plan_withdrawal_in_force,
)
from zhicheng.seasons.models import CommitteePlan, Season
from zhicheng.seasons.queries import engine_version

from . import guards  # noqa: F401  (registers the guards)
from .commitment import COMMITMENT_TEXT, commitment_sha256
from .models import (
    ApplicantProfile,
    Application,
    Channel,
    Delivery,
    DeliveryState,
    Material,
    Notification,
    Submission,
    snapshot_hash,
)
from .notifications import notify, send_after_commit
from .profiles import (
    LIST_SECTIONS,
    decide_application,
    default_facts,
    new_uid,
    section_meta,
    validate_facts,
)
from .queries import colleague_plan
from .snapshots import build_snapshot
from .states import GuardContext, State, fire


class VersionConflict(StateConflict):
    code = "version_conflict"


def _version_conflict(what: str) -> VersionConflict:
    return VersionConflict(
        f"{what}已在其他窗口或设备上被修改。为避免互相覆盖，本次保存未生效；"
        "您填写的内容保留在下方，请刷新核对后重新提交。"
    )


# --- profile ------------------------------------------------------------------------------


def create_profile(actor: Actor) -> ApplicantProfile:
    existing = ApplicantProfile.objects.filter(user=person(actor)).first()
    if existing is not None:
        return existing
    with operation(
        actor, "applicant_profile.create", permission="applications.add_applicantprofile"
    ) as op:
        facts = validate_facts(default_facts())
        profile = ApplicantProfile.objects.create(
            user=person(actor), facts=facts, schema_version=facts["schema_version"]
        )
        op.obj = profile
        op.summary = "创建申报人资料"
    return profile


def _save_facts(profile: ApplicantProfile, facts: dict[str, Any]) -> None:
    normalised = validate_facts(facts)  # raises ValidationError with Chinese messages
    profile.facts = normalised
    profile.schema_version = normalised["schema_version"]
    profile.version += 1
    profile.save()


def update_employment(
    profile: ApplicantProfile,
    actor: Actor,
    *,
    version: int,
    employer: Organisation | None,
    freelancer: bool,
    employment: dict[str, Any],
    residence: dict[str, Any],
    social_insurance: dict[str, Any],
) -> ApplicantProfile:
    if employer is not None and employer.kind != OrgKind.EMPLOYER:
        raise OperationError("请选择用人单位。")
    if freelancer and employer is not None:
        raise OperationError("自由职业者不选择工作单位。")
    with operation(
        actor, "applicant_profile.employment", target=profile,
        permission="applications.change_applicantprofile",
    ) as op:
        locked: ApplicantProfile = op.obj
        if locked.version != version:
            raise _version_conflict("个人资料")
        facts = dict(locked.facts)
        facts["employment"] = {**facts.get("employment", {}), **employment}
        if employer is not None:
            facts["employment"]["employer"] = employer.name
        facts["residence"] = residence
        locked.employer = employer
        locked.freelancer = freelancer
        meta = dict(locked.meta)
        meta["social_insurance"] = social_insurance
        locked.meta = meta
        _save_facts(locked, facts)
        op.summary = f"修改工作单位与就业信息：{employer or ('自由职业' if freelancer else '未填')}"
        op.data = {"version": locked.version}
    return locked


def save_fact(
    profile: ApplicantProfile,
    actor: Actor,
    section: str,
    index: int | None,
    row: dict[str, Any],
    *,
    version: int,
    meta: dict[str, Any] | None = None,
) -> ApplicantProfile:
    """Add (index None) or replace one row of a list section, validated by the engine's model."""
    if section not in LIST_SECTIONS:
        raise OperationError("未知的资料栏目。")
    with operation(
        actor, f"applicant_profile.{section}.{'add' if index is None else 'change'}",
        target=profile, permission="applications.change_applicantprofile",
    ) as op:
        locked: ApplicantProfile = op.obj
        if locked.version != version:
            raise _version_conflict("个人资料")
        facts = dict(locked.facts)
        rows = list(facts.get(section, []))
        metas = section_meta(locked, section)
        if index is None:
            uid = new_uid()
            if section == "achievements":
                row = {**row, "id": uid}
            rows.append(row)
            metas.append({"uid": uid, **(meta or {})})
        else:
            if not 0 <= index < len(rows):
                raise StateConflict("该条目已不存在（可能已在其他窗口删除），请刷新。")
            if section == "achievements":
                row = {**row, "id": rows[index].get("id") or metas[index]["uid"]}
            rows[index] = row
            metas[index] = {**metas[index], **(meta or {})}
        facts[section] = rows
        all_meta = dict(locked.meta)
        all_meta[section] = metas
        locked.meta = all_meta
        _save_facts(locked, facts)
        op.summary = f"{'新增' if index is None else '修改'}{LIST_SECTIONS[section][0]}"
        op.data = {"section": section, "index": index, "version": locked.version}
    return locked


def delete_fact(
    profile: ApplicantProfile, actor: Actor, section: str, index: int, *, version: int
) -> ApplicantProfile:
    if section not in LIST_SECTIONS:
        raise OperationError("未知的资料栏目。")
    with operation(
        actor, f"applicant_profile.{section}.delete", target=profile,
        permission="applications.change_applicantprofile",
    ) as op:
        locked: ApplicantProfile = op.obj
        if locked.version != version:
            raise _version_conflict("个人资料")
        facts = dict(locked.facts)
        rows = list(facts.get(section, []))
        metas = section_meta(locked, section)
        if not 0 <= index < len(rows):
            raise StateConflict("该条目已不存在（可能已在其他窗口删除），请刷新。")
        removed = rows.pop(index)
        metas.pop(index)
        facts[section] = rows
        locked.meta = {**locked.meta, section: metas}
        _save_facts(locked, facts)
        op.summary = f"删除{LIST_SECTIONS[section][0]}"
        op.data = {"section": section, "removed": removed, "version": locked.version}
    return locked


# --- the application ------------------------------------------------------------------------


def _month_name(month: int) -> str:
    return f"{month}月"


def check_plan_open(plan: CommitteePlan, today: dt.date | None = None) -> None:
    ensure_plan_accepting(plan)  # 五（三）: a plan whose committees lost the right is closed
    day = today or clock.today()
    if plan.is_open_on(day):
        return
    office = plan.office_name or "该评委会"
    window = plan.acceptance_text or "未公布"
    nxt = plan.opens_after(day)
    if nxt is not None:
        raise OperationError(
            f"“{plan.specialty}”（{office}）的申报材料受理时间为“{window}”，"
            f"今天（{day.isoformat()}）尚未开始受理，将于{_month_name(nxt)}开始受理。"
        )
    if not plan.acceptance_months:
        raise OperationError(
            f"“{plan.specialty}”（{office}）尚未公布受理时间，请关注评委会办事机构的通知。"
        )
    raise OperationError(
        f"“{plan.specialty}”（{office}）的申报材料受理时间为“{window}”，本年度受理已结束。"
    )


def _check_request(
    *,
    actor: Actor,
    season: Season,
    plan: CommitteePlan,
    series_id: int,
    level: str,
    specialty: str,
    employer_id: int | None,
    exclude_pk: int | None,
) -> None:
    if plan.season_id != season.pk:
        raise OperationError("所选评审计划不属于本年度。")
    check_plan_open(plan)
    plan_series = {s.pk for s in plan.series.all()}
    if plan_series and series_id not in plan_series:
        raise OperationError(f"“{plan.specialty}”评委会不受理该系列的申报，请选择对应的评委会。")
    if not specialty.strip():
        raise OperationError("请填写申报专业。")
    other = (
        Application.objects.filter(applicant=person(actor), season=season)
        .exclude(state=State.WITHDRAWN)
        .exclude(pk=exclude_pk or 0)
        .first()
    )
    if other is not None:
        raise OperationError(
            f"您本年度已有一份申报（{other.specialty}，{other.state_label}）。同一年度只能申报一个"
            "系列（专业）一个层级，只能向一个评委会提出申请（二（八）2、四）；如需更换请先撤回原申报。"
        )
    colleague = colleague_plan(employer_id, season, series_id, level, exclude_pk)
    if colleague is not None and colleague.plan_id != plan.pk:
        office = colleague.plan.office_name or colleague.plan.specialty
        raise OperationError(
            f"本单位申报相同系列、相同层级的人员已报送“{colleague.plan.row}. "
            f"{colleague.plan.specialty}”（{office}）评委会；同一单位申报相同职称系列（专业）"
            "相同层级的人员应统一报送同一评委会，不得多头报送（四）。请选择该评委会。"
        )


def start_application(
    actor: Actor,
    *,
    season: Season,
    plan: CommitteePlan,
    series_id: int,
    specialty: str,
    level: str,
    route: str,
) -> Application:
    if season.archived_on is not None:
        raise OperationError(f"{season.name}已结束归档，不再受理新的申报。")
    profile = create_profile(actor)
    with operation(actor, "application.create", permission="applications.add_application") as op:
        _check_request(
            actor=actor, season=season, plan=plan, series_id=series_id, level=level,
            specialty=specialty, employer_id=profile.employer_id, exclude_pk=None,
        )
        try:
            with transaction.atomic():
                app = Application.objects.create(
                    applicant=person(actor), season=season, plan=plan, series_id=series_id,
                    specialty=specialty.strip(), level=level, route=route,
                    employer=profile.employer, freelancer=profile.freelancer,
                )
        except IntegrityError as exc:
            raise OperationError(
                "您本年度已有一份申报；同一年度只能提交一份职称申报（二（八）2、四）。"
            ) from exc
        op.obj = app
        op.summary = f"创建申报草稿：{plan.specialty} {app.get_level_display()}"
        op.data = {"plan_row": plan.row, "level": level, "route": route}
    return app


def update_application(
    application: Application,
    actor: Actor,
    *,
    version: int,
    plan: CommitteePlan,
    series_id: int,
    specialty: str,
    level: str,
    route: str,
    explanation: str,
) -> Application:
    with operation(
        actor, "application.update", target=application,
        permission="applications.change_application", allowed_states=[State.DRAFT],
    ) as op:
        app: Application = op.obj
        if app.version != version:
            raise _version_conflict("该申报")
        profile = create_profile(actor)
        _check_request(
            actor=actor, season=app.season, plan=plan, series_id=series_id, level=level,
            specialty=specialty, employer_id=profile.employer_id, exclude_pk=app.pk,
        )
        app.plan, app.series_id, app.specialty = plan, series_id, specialty.strip()
        app.level, app.route, app.explanation = level, route, explanation
        app.employer, app.freelancer = profile.employer, profile.freelancer
        app.version += 1
        app.save()
        op.summary = "修改申报信息"
        op.data = {"plan_row": plan.row, "level": level, "route": route, "version": app.version}
    return app


def accept_commitment(application: Application, actor: Actor, *, ip: str | None) -> Application:
    with operation(
        actor, "application.commitment", target=application,
        permission="applications.change_application", allowed_states=[State.DRAFT],
    ) as op:
        app: Application = op.obj
        app.commitment_accepted_at = clock.now()
        app.commitment_ip = ip
        app.commitment_sha256 = commitment_sha256()
        app.save(update_fields=[
            "commitment_accepted_at", "commitment_ip", "commitment_sha256", "updated_at"
        ])
        op.summary = "签署申报承诺书（五（四））"
        op.data = {"ip": ip, "sha256": app.commitment_sha256}
    return app


# --- materials ------------------------------------------------------------------------------


def _upload_reads(rows: QuerySet[Any]) -> QuerySet[Any]:
    """What an upload reads of the application it locks: the owner and the state (the
    permission, the guard) and its season's city, which the audit event records
    (orgs.permissions.city_id_of), in one query; no other column (the whole row and its
    season's were most of the lock's CPU)."""
    return rows.select_related("season").only(
        "id", "applicant_id", "state", "season_id",
        "season__id", "season__owner_id", "season__published_version_id")


def _materials_total(application: Application) -> int:
    """The bytes of the application's materials (the quota), in plain SQL: the ORM's
    aggregate cost ~0.7 ms of CPU to build for a one-row answer."""
    db = connections[router.db_for_read(Material)]
    qn = db.ops.quote_name
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(SUM({qn('size')}), 0) FROM {qn(Material._meta.db_table)} "
            f"WHERE {qn('application_id')} = %s", [application.pk])
        return int(cursor.fetchone()[0])


def add_material(
    application: Application,
    actor: Actor,
    upload: Any,
    *,
    kind: str,
    title: str,
    document_date: dt.date,
    is_representative: bool = False,
    proves: str = "",
) -> Material:
    """Check the file by content, store it under a generated name, record it. Any failure
    leaves the application exactly as it was (and removes a file already stored)."""
    if application.state != State.DRAFT:
        raise StateConflict("申报已提交，不能再上传材料；提交后的修改通过补正进行。")
    if application.applicant_id != getattr(actor, "pk", None):
        raise OperationError("只能为本人的申报上传材料。")
    checked = inspect_upload(upload)  # raises UploadRefused (a ValidationError)
    # The quota is checked once, under the application's lock below (a concurrent upload
    # cannot slip past it); a refused file is removed again like any failed upload's.
    name = store(upload, checked)
    try:
        with operation(
            actor, "application.material.add", target=application,
            permission="applications.change_application", allowed_states=[State.DRAFT],
            read=_upload_reads,
        ) as op:
            app: Application = op.obj
            check_application_quota(_materials_total(app), checked.size)
            material = Material.objects.create(
                application=app, kind=kind, title=title.strip(), file=name,
                original_name=str(getattr(upload, "name", ""))[:255],
                content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                original_sha256=checked.original_sha256, removed_content=list(checked.removed),
                document_date=document_date, is_representative=is_representative,
                proves=proves, uploaded_by=person(actor),
            )
            op.summary = f"上传材料：{material.title}"
            op.data = {"material": material.pk, "sha256": checked.sha256, "size": checked.size}
            if checked.removed:  # active content taken out of the PDF (documents.pdfclean)
                op.summary += "（已清除文件中的活动内容）"
                op.data |= {"original_sha256": checked.original_sha256,
                            "removed_content": list(checked.removed)}
    except BaseException:
        default_storage.delete(name)
        raise
    return material


def delete_material(material: Material, actor: Actor) -> None:
    with operation(
        actor, "application.material.delete", target=material.application,
        permission="applications.change_application", allowed_states=[State.DRAFT],
    ) as op:
        name = str(material.file.name)
        op.summary = f"删除材料：{material.title}"
        op.data = {"material": material.pk, "sha256": material.sha256}
        Material.objects.filter(pk=material.pk, application=op.obj).delete()
        transaction.on_commit(lambda: default_storage.delete(name))


# --- submission -----------------------------------------------------------------------------


def route_for(application: Application) -> tuple[Organisation | None, bool, Organisation | None]:
    """(employer, freelancer, preliminary reviewer) for a submission (四, 四（三）)."""
    profile = application.applicant.applicant_profile
    if profile.freelancer:
        return None, True, talent_centre()
    employer = profile.employer
    reviewer = preliminary_reviewer_for(employer) if employer is not None else None
    return employer, False, reviewer


def submit_application(
    application: Application,
    actor: Actor,
    *,
    token: str,
    explanation: str | None = None,
) -> Submission:
    """Freeze a snapshot, route it and move draft → submitted. A repeated token (double click,
    retried request) returns the first submission instead of submitting twice."""
    if not token:
        raise OperationError("提交令牌缺失，请刷新页面后重新提交。")
    existing = _submission_of_token(token)
    if existing is not None:
        if existing.application_id != application.pk:
            raise OperationError("提交令牌无效，请刷新页面后重新提交。")
        return existing
    try:
        return _submit(application, actor, token=token, explanation=explanation)
    except StateConflict:
        existing = Submission.objects.filter(token=token, application=application).first()
        if existing is not None:
            return existing
        raise


def _submission_reads(rows: QuerySet[Any]) -> QuerySet[Any]:
    """What a submission reads of the application, read once with its lock: the applicant
    with the profile and the employer (routing, the decision, the snapshot), the season with
    its published version's hash (the rules; not its data), the plan, the series and the
    materials in upload order (the decision, the guards, the snapshot), whether the plan was
    withdrawn and whether the applicant has integrity records (most have none: no query)."""
    return (
        rows.select_related(
            "applicant", "applicant__applicant_profile",
            "applicant__applicant_profile__employer",
            "applicant__applicant_profile__employer__supervisor",
            "season", "season__published_version", "plan", "series",
        )
        .defer("season__published_version__data")
        .annotate(plan_withdrawal_in_force=plan_withdrawal_in_force("plan_id"),
                  **{HAS_RECORDS: has_records("applicant_id")})
        .prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("uploaded_at", "pk")))
    )


# The submission's small reads, compiled once (core.prepared): building and compiling them
# cost more CPU than running them, on every submission.


def _submission_of_token(token: str) -> Submission | None:
    """`Submission.objects.filter(token=token).first()`: a repeated click's submission."""
    found = prepared(
        ("applications.submit.token",),
        lambda marker: first_of(Submission.objects.filter(token=marker)),
        router.db_for_read(Submission), markers=("\x00submission-token",),
    ).instances(token)
    return found[0] if found else None


def _lock_employer(employer_id: int) -> None:
    """The employer's row locked FOR NO KEY UPDATE (its key read, as `.first()` orders)."""
    prepared(
        ("applications.submit.lock_employer",),
        lambda pk: first_of(Organisation.objects.select_for_update(no_key=True).filter(pk=pk))
        .values_list("pk"),
        router.db_for_write(Organisation),
    ).rows(employer_id)


def _submission_count(application_id: int) -> int:
    """How many submissions the application has (read under its row's lock)."""
    return len(prepared(
        ("applications.submit.submissions",),
        lambda pk: Submission.objects.filter(application_id=pk).order_by().values_list("pk"),
        router.db_for_read(Submission),
    ).rows(application_id))


def _office_members(organisation_id: int, role: str) -> list[Membership]:
    """The active members of this role of the office, with their users (to notify)."""
    return prepared(
        ("applications.submit.office_members", role),
        lambda pk: Membership.objects.filter(
            organisation_id=pk, role=role, active=True).select_related("user"),
        router.db_for_read(Membership),
    ).instances(organisation_id)


def _submit(
    application: Application, actor: Actor, *, token: str, explanation: str | None
) -> Submission:
    with operation(
        actor, "application.submit", target=application,
        permission="applications.submit_application", allowed_states=[State.DRAFT],
        read=_submission_reads,
    ) as op:
        app: Application = op.obj
        if app.plan.season_id == app.season_id:
            app.plan.season = app.season  # the same row (an application's plan is its season's)
        # check_plan_open reads it on the plan, the decision the records (annotated by
        # _submission_reads)
        setattr(app.plan, WITHDRAWAL_FLAG, getattr(app, "plan_withdrawal_in_force", None))
        setattr(app.applicant.applicant_profile, HAS_RECORDS, getattr(app, HAS_RECORDS, None))
        if explanation is not None:
            app.explanation = explanation.strip()
        employer, freelancer, reviewer = route_for(app)
        if employer is not None:
            # Serialise submissions of one employer so the same-committee rule (四) holds.
            _lock_employer(employer.pk)
            colleague = colleague_plan(employer.pk, app.season, app.series_id, app.level, app.pk)
            if colleague is not None and colleague.plan_id != app.plan_id:
                raise OperationError(
                    f"本单位申报相同系列、相同层级的人员已报送“{colleague.plan.row}. "
                    f"{colleague.plan.specialty}”评委会；同一单位应统一报送同一评委会（四）。"
                    "请修改评审计划后再提交。"
                )
        check_plan_open(app.plan)
        payload, decision = decide_application(app)
        # What the submission changes on the row besides its state, saved with the state by
        # fire() in one UPDATE of these columns (the row is locked: the others are as read).
        changed = ["employer", "freelancer", "preliminary_reviewer", "submitted_at", "version"]
        if explanation is not None:
            changed.append("explanation")
        if app.season_version_id is None:
            # The decision's data from now on, until an audited re-decision (seasons.operations).
            app.season_version = engine_version(app)
            changed.append("season_version")
        app.employer, app.freelancer, app.preliminary_reviewer = employer, freelancer, reviewer
        app.submitted_at = clock.now()
        app.version += 1
        fire(app, "submit", actor, GuardContext(decision=decision), fields=changed)
        if (employer is None and not freelancer) or reviewer is None:
            # After the guards, whose refusals come first; the UPDATE is rolled back.
            raise OperationError("无法确定初审单位（四（三）），请核对工作单位或联系市职称办。")
        number = _submission_count(app.pk) + 1
        materials = list(app.materials.all())  # in upload order (_submission_reads)
        snapshot = build_snapshot(
            app, number=number, payload=payload, decision=decision, materials=materials,
            commitment_text=COMMITMENT_TEXT,
        )
        submission = Submission.objects.create(
            application=app, number=number, snapshot=snapshot, sha256=snapshot_hash(snapshot),
            token=token, created_by=person(actor),
        )
        where = employer.name if employer is not None else "市人才服务中心（自由职业）"
        notify(
            app.applicant, "application.submitted", "申报已提交",
            f"您的职称申报（{app.specialty}，{app.get_level_display()}）已提交，"
            f"将由{where}审核，初审单位：{reviewer.name}。快照哈希：{submission.sha256[:16]}…",
            application=app, url=f"/apply/{app.pk}/",
        )
        # The next office hears of it too: the unit's HR, or for a freelancer the talent centre.
        next_office, next_role = (
            (employer, "unit_hr") if employer else (reviewer, "preliminary_reviewer")
        )
        for member in _office_members(next_office.pk, next_role):
            notify(
                member.user, "application.submitted_to_office", "收到新的职称申报",
                f"{app.applicant}申报{app.specialty}（{app.get_level_display()}），请审核。",
                application=app, url="/review/",
            )
        op.summary = f"提交申报，送{where}审核，初审单位{reviewer.name}"
        op.data = {
            "submission": submission.pk, "sha256": submission.sha256, "number": number,
            "employer": employer.pk if employer else None, "preliminary_reviewer": reviewer.pk,
            "verdict": decision.verdict,
            "season_version": app.season_version.number if app.season_version else None,
        }
    return submission


def withdraw_application(application: Application, actor: Actor, *, reason: str = "") -> None:
    with operation(
        actor, "application.withdraw", target=application,
        permission="applications.withdraw_application",
        allowed_states=[State.DRAFT, State.SUBMITTED],
    ) as op:
        app: Application = op.obj
        fire(app, "withdraw", actor)
        notify(
            app.applicant, "application.withdrawn", "申报已撤回",
            f"您的职称申报（{app.specialty}）已撤回。{reason}", application=app,
            url=f"/apply/{app.pk}/",
        )
        op.summary = "撤回申报"
        op.data = {"reason": reason}


def mark_read(actor: Actor, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=person(actor), read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    with operation(actor, "notification.read") as op:
        count = qs.update(read_at=clock.now())
        op.summary = f"标记{count}条消息已读"
    return count


__all__ = [
    "ValidationError",
    "VersionConflict",
    "accept_commitment",
    "add_material",
    "check_plan_open",
    "create_profile",
    "delete_fact",
    "delete_material",
    "save_fact",
    "start_application",
    "submit_application",
    "update_application",
    "update_employment",
    "withdraw_application",
]


def resend_delivery(delivery: Delivery, actor: Actor) -> Delivery:
    """重发: the city office sends a failed e-mail or SMS again (after fixing the address or
    once the provider is back); the attempts start again and the event keeps the reason."""
    with operation(actor, "notification.resend", target=delivery,
                   permission="applications.resend_delivery",
                   allowed_states=[DeliveryState.FAILED]) as op:
        d: Delivery = op.obj
        before, reason = d.attempts, d.last_error
        d.state, d.attempts, d.next_attempt_at = DeliveryState.QUEUED, 0, timezone.now()
        # To the address the person has now (they may have corrected it since the failure).
        person = d.notification.user
        if d.channel == Channel.EMAIL and person.email:
            d.address = person.email
        elif d.channel == Channel.SMS and is_mobile(person.phone):
            d.address = person.phone
        d.save(update_fields=["state", "attempts", "next_attempt_at", "address"])
        op.summary = f"重发{d.get_channel_display()}（此前尝试{before}次：{reason}）"
        op.data = {"notification": d.notification_id, "channel": d.channel,
                   "attempts": before, "last_error": reason}
        send_after_commit([d.pk])
    return d

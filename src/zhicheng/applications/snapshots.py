"""The frozen submission snapshot, and its mapping to the printable form's shape
(`zhicheng.documents.snapshot.ApplicationSnapshot`, docs/documents.md)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from zhicheng.core import clock

from .commitment import commitment_sha256
from .profiles import LABELS, online_verified, section_meta

if TYPE_CHECKING:
    from zhicheng.policy import Decision

    from .models import Application, Material

SNAPSHOT_FORMAT = "zhicheng.application-snapshot/1"


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _applicant(app: Application) -> dict[str, Any]:
    user = app.applicant
    id_type = getattr(user, "id_type", "") or ""
    id_label = ""
    if id_type:
        display = getattr(user, "get_id_type_display", None)
        id_label = str(display()) if display else id_type
    sex = getattr(user, "sex", "") or ""
    sex_label = {"M": "男", "F": "女"}.get(sex, "")
    masked = getattr(user, "masked_id_number", "") or ""
    phone = getattr(user, "phone", "") or ""
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": getattr(user, "full_name", "") or user.get_username(),
        "id_type": id_label,
        "id_masked": masked,
        "sex": sex_label,
        "birth_date": _iso(getattr(user, "birth_date", None)),
        "phone_masked": (phone[:3] + "****" + phone[-4:]) if len(phone) >= 7 else "",
    }


def _org(org: Any) -> dict[str, Any] | None:
    if org is None:
        return None
    return {"id": org.pk, "name": org.name, "kind": org.kind}


def build_snapshot(
    app: Application,
    *,
    number: int,
    payload: dict[str, Any],
    decision: Decision,
    materials: list[Material],
    commitment_text: str,
) -> dict[str, Any]:
    profile = app.applicant.applicant_profile
    today = clock.today()
    meta = {s: section_meta(profile, s) for s in ("education", "achievements")}
    return {
        "format": SNAPSHOT_FORMAT,
        "number": number,
        "submitted_at": _iso(app.submitted_at),
        "business_date": today.isoformat(),
        "application": {
            "id": app.pk,
            "season": {"code": app.season.code, "name": app.season.name, "year": app.season.year},
            "plan": {
                "id": app.plan_id,
                "row": app.plan.row,
                "specialty": app.plan.specialty,
                "office": app.plan.office_name,
            },
            "series": {"code": app.series.code, "name": app.series.name},
            "specialty": app.specialty,
            "level": app.level,
            "level_label": str(app.get_level_display()),
            "route": app.route,
            "route_label": str(app.get_route_display()),
            "explanation": app.explanation,
        },
        "applicant": _applicant(app),
        "routing": {
            "employer": _org(app.employer),
            "freelancer": app.freelancer,
            "preliminary_reviewer": _org(app.preliminary_reviewer),
        },
        "profile": payload,
        "verified_online": {
            "education": [
                online_verified(m, today) for m in meta["education"]
            ],
            "social_insurance": online_verified(profile.meta.get("social_insurance", {}), today),
        },
        "decision": decision.to_dict(),
        "materials": [
            {
                "id": m.pk,
                "kind": m.kind,
                "kind_label": str(m.get_kind_display()),
                "title": m.title,
                "stored_name": m.file.name,
                "content_type": m.content_type,
                "size": m.size,
                "sha256": m.sha256,
                "document_date": m.document_date.isoformat(),
                "is_representative": m.is_representative,
                "proves": m.proves,
                "uploaded_at": _iso(m.uploaded_at),
                # Only for a PDF cleaned on upload (documents.pdfclean): the uploaded file's
                # hash and what was removed; other materials' snapshots are as before.
                **({"original_sha256": m.original_sha256,
                    "removed_content": list(m.removed_content)} if m.removed_content else {}),
            }
            for m in materials
        ],
        "commitment": {
            "text": commitment_text,
            "sha256": commitment_sha256(),
            "accepted_at": _iso(app.commitment_accepted_at),
            "ip": app.commitment_ip,
        },
    }


# --- the printable form -----------------------------------------------------------------------

_MODE = {
    "full_time": "全日制",
    "part_time": "非全日制",
    "military_academy": "部队院校",
    "party_school": "党校",
    "technical_school": "技工院校",
    "training_certificate": "培训结业",
}
_VIA = {
    "evaluation": "评审",
    "exam": "考试",
    "initial_determination": "初定",
    "same_level_transfer": "转评",
    "assessment_recognition": "认定",
    "direct": "直接认定",
}
_KIND = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG"}
_CT_KIND = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def _years_between(start: str | None, end: str) -> float:
    if not start:
        return 0
    s = dt.date.fromisoformat(start)
    e = dt.date.fromisoformat(end)
    return max(0.0, round((e - s).days / 365.25, 1))


def _title_name(title: dict[str, Any]) -> str:
    return str(title.get("name") or LABELS["title_level"].get(title["level"], ""))


def form_snapshot(snapshot: dict[str, Any], sha256: str | None = None, *,
                  committee: str | None = None, identity: Any = None) -> dict[str, Any]:
    """Map a frozen snapshot to the shape `documents.pdf.render_application_form` prints.

    `committee` is the committee's real name (evaluation.queries.committee_name); `identity`
    the applicant's account, whose full identity number and phone the form prints for the
    people entitled to print it (the applicant and the offices handling the dossier)."""
    app = snapshot["application"]
    who = snapshot["applicant"]
    profile = snapshot["profile"]
    decision = snapshot["decision"]
    routing = snapshot["routing"]
    req = decision.get("request", {})
    titles = sorted(profile.get("titles", []), key=lambda t: t.get("date", ""))
    current = titles[-1] if titles else None
    work = sorted(profile.get("work_history", []), key=lambda w: w.get("start", ""))
    counted_to = profile["request"]["application_date"]
    unit = (
        routing["employer"]["name"]
        if routing.get("employer")
        else ("自由职业" if routing.get("freelancer") else "")
    )
    verified = snapshot.get("verified_online", {}).get("education", [])
    education = []
    for i, e in enumerate(profile.get("education", [])):
        row = {
            "start": None,
            "end": e.get("date"),
            "school": e.get("school", "") or "",
            "major": e.get("major") or "",
            "education": LABELS["level"].get(e.get("level", ""), e.get("level", "")),
            "degree": e.get("degree") or "",
            "mode": _MODE.get(e.get("kind", ""), ""),
        }
        if i < len(verified) and verified[i]:
            row["verified_online"] = True
        education.append(row)
    ip = snapshot["commitment"]["ip"]
    full_id = str(getattr(identity, "id_number", "") or "")
    full_phone = str(getattr(identity, "phone", "") or "")
    return {
        "application_no": f"{snapshot['application']['season']['year']}-{app['id']:06d}",
        "season": f"{app['season']['year']}年度",
        "committee": committee or app["plan"]["office"] or app["plan"]["specialty"],
        "plan": f"计划第{app['plan']['row']}行 · {app['plan']['specialty']}",
        "submitted_at": snapshot.get("submitted_at") or snapshot["commitment"]["accepted_at"],
        "applicant": {
            "name": who["name"],
            "gender": who.get("sex", ""),
            "birth_date": who.get("birth_date"),
            "id_type": who.get("id_type", ""),
            "id_masked": who.get("id_masked", "") or "",
            **({"id_number": full_id} if full_id else {}),
            "unit": unit,
            "phone": full_phone or who.get("phone_masked", ""),
        },
        "request": {
            "series": app["series"]["name"],
            "specialty": app["specialty"],
            "level": app["level_label"],
            "title_name": req.get("title_name", ""),
            "route": app["route_label"],
            "current_title": _title_name(current) if current else "无",
            "current_title_date": current.get("date") if current else None,
            "years_in_profession": _years_between(work[0]["start"] if work else None, counted_to),
        },
        "education": education,
        "titles": [
            {
                "name": t.get("name") or LABELS["title_level"].get(t["level"], t["level"]),
                "specialty": t.get("specialty") or "",
                "level": LABELS["title_level"].get(t["level"], t["level"]),
                "date": t.get("date"),
                "obtained_via": _VIA.get(t.get("obtained_via", ""), ""),
                "issuer": t.get("issuer") or "",
                "certificate_number": t.get("certificate_number") or "",
            }
            for t in titles
        ],
        "work": [
            {
                "start": w.get("start"),
                "end": w.get("end"),
                "employer": w.get("employer") or "",
                "position": w.get("position") or "",
                "duties": w.get("duties")
                or ("专业技术工作" if w.get("professional", True) else "非专业技术工作"),
            }
            for w in work
        ],
        "assessments": [
            {"year": a["year"], "grade": LABELS["grade"].get(a["grade"], a["grade"]),
             **({"unit": a["unit"]} if a.get("unit") else {})}
            for a in sorted(profile.get("annual_assessments", []), key=lambda a: a["year"])
        ],
        "continuing_education": [
            {
                "year": c["year"],
                "public_hours": c.get("public_hours", 0),
                "professional_hours": c.get("professional_hours", 0),
                "public_certificate": bool(c.get("public_certificate")),
            }
            for c in sorted(profile.get("continuing_education", []), key=lambda c: c["year"])
        ],
        "achievements": [
            {
                "kind": LABELS["achievement"].get(a.get("kind", ""), a.get("kind", "")),
                "title": a["title"],
                "date": a.get("date"),
                "source": a.get("source") or "",
                "role": a.get("role") or "",
                "representative": bool(a.get("representative")),
            }
            for a in profile.get("achievements", [])
        ],
        "materials": [
            {
                "title": m["title"],
                "category": m.get("kind_label", m["kind"]),
                "date": m["document_date"],
                "kind": _CT_KIND.get(m["content_type"], m["content_type"]),
                "size": m["size"],
                "sha256": m["sha256"],
            }
            for m in snapshot.get("materials", [])
        ],
        "commitment": {
            "text": snapshot["commitment"]["text"],
            "accepted_at": snapshot["commitment"]["accepted_at"],
            **({"accepted_ip": ip} if ip else {}),
        },
        **({"snapshot_sha256": sha256} if sha256 else {}),
    }

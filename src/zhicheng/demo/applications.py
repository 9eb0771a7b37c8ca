"""Demo data for `make run`: a plausible profile for the demo applicant 李明 (engineering,
本科, 助理工程师 since 2019, at 连云港海澜智能装备有限公司), ready to apply for 工程师."""

from __future__ import annotations

from typing import Any

from zhicheng.accounts.models import User
from zhicheng.applications.models import ApplicantProfile
from zhicheng.applications.profiles import new_uid, validate_facts
from zhicheng.core.actors import Actor
from zhicheng.core.operations import operation
from zhicheng.orgs.models import Organisation

DEMO_EMPLOYER = "连云港海澜智能装备有限公司"
DEMO_PLAN_ROW = 41  # 质量工程 (市场监督局), accepting 5–7月: open on 2024-07-15
DEMO_SPECIALTY = "质量工程"

DEMO_FACTS: dict[str, Any] = {
    "schema_version": "1.2",
    "residence": {"category": "mainland", "permit": "none"},
    "employment": {
        "status": "employed",
        "city": "连云港市",
        "employer": DEMO_EMPLOYER,
        "employer_kind": "enterprise",
        "contract": True,
        "professional_work": True,
        "sector": "other",
    },
    "education": [
        {
            "level": "bachelor",
            "kind": "full_time",
            "date": "2015-06-30",
            "school": "南京工程学院",
            "major": "机械设计制造及其自动化",
            "degree": "工学学士",
        }
    ],
    "titles": [
        {
            "series": "engineering",
            "specialty": "机械工程",
            "level": "assistant",
            "name": "助理工程师",
            "date": "2019-06-30",
            "obtained_via": "evaluation",
            "issuer": "连云港市人力资源和社会保障局",
            "certificate_number": "LYG2019-ZG-0457",
        }
    ],
    "work_history": [
        {
            "start": "2015-07-15",
            "employer": DEMO_EMPLOYER,
            "position": "质量工程师（技术员）",
            "duties": "焊接质量检验、质量体系运行与产品质量追溯",
            "series": "engineering",
            "professional": True,
        }
    ],
    "annual_assessments": [
        {"year": y, "grade": "excellent" if y == 2022 else "competent", "unit": DEMO_EMPLOYER}
        for y in range(2019, 2024)
    ],
    "continuing_education": [
        {"year": y, "public_hours": 30, "professional_hours": 64, "public_certificate": True}
        for y in range(2019, 2024)
    ],
    "achievements": [
        {
            "id": "demo-paper",
            "title": "基于机器视觉的焊缝缺陷在线检测方法研究",
            "kind": "paper",
            "date": "2023-05-20",
            "source": "《焊接技术》",
            "role": "第1作者",
            "representative": True,
        },
        {
            "id": "demo-project",
            "title": "智能装配线质量追溯系统建设项目",
            "kind": "project",
            "date": "2022-11-30",
            "source": "企业技术改造项目",
            "role": "主持",
        },
    ],
}


def seed_applicant_profile(actor: Actor, username: str = "applicant") -> ApplicantProfile | None:
    """Give the demo applicant the profile above (left as it is when one exists)."""
    user = User.objects.filter(username=username).first()
    employer = Organisation.objects.filter(name=DEMO_EMPLOYER).first()
    if user is None or employer is None:
        return None
    existing = ApplicantProfile.objects.filter(user=user).first()
    if existing is not None:
        return existing
    with operation(actor, "demo.applicant_profile") as op:
        facts = validate_facts(DEMO_FACTS)
        meta = {
            section: [
                {"uid": row.get("id") or new_uid()} for row in facts.get(section, [])
            ]
            for section in ("education", "titles", "work_history", "annual_assessments",
                            "continuing_education", "achievements")
        }
        profile = ApplicantProfile.objects.create(
            user=user, employer=employer, facts=facts, meta=meta,
            schema_version=facts["schema_version"],
        )
        op.obj = profile
        op.summary = f"演示数据：{user} 的申报资料"
    return profile

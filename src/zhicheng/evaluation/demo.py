"""Demo committee and expert pool for `make run` (`zhicheng evaluation_demo`): a 7-member
intermediate committee of 市工信局 over the 质量工程 plan, and a pool of 9 fictional experts
(the demo account `expert` 林教授 among them). Idempotent; every row is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from zhicheng.applications.demo import DEMO_SPECIALTY
from zhicheng.core.operations import operation

from .models import Committee, CommitteeMember, Expert, MemberRole

DEMO_COMMITTEE = "连云港市工程技术（质量工程）中级职称评审委员会（演示）"
DEMO_PLAN_ROW = 49
DEMO_EXPERT_NAMES = ["林教授", "秦高工", "尤高工", "许高工", "何高工", "吕高工", "施高工",
                     "张高工", "孔高工"]


def seed_demo_evaluation(actor: Any) -> Committee:
    from zhicheng.accounts.models import User
    from zhicheng.catalogue.models import Series
    from zhicheng.orgs.models import Organisation
    from zhicheng.seasons.models import CommitteePlan, Season

    with transaction.atomic(), operation(actor, "evaluation.demo.seed") as op:
        office = Organisation.objects.get(short_name="市工信局")
        season = Season.objects.filter(is_current=True).first() or Season.objects.latest("year")
        plan = CommitteePlan.objects.get(season=season, row=DEMO_PLAN_ROW)
        if plan.office_id is None:
            plan.office = office
            plan.save(update_fields=["office"])
        engineering = Series.objects.get(code="engineering")
        committee, _ = Committee.objects.get_or_create(
            name=DEMO_COMMITTEE,
            defaults={"office": office, "specialties": [DEMO_SPECIALTY],
                      "levels": ["intermediate"], "by_specialty": True,
                      "term_start": dt.date(2023, 1, 1), "term_end": dt.date(2025, 12, 31)},
        )
        committee.series.add(engineering)
        committee.plans.add(plan)
        unit = Organisation.objects.get(name="连云港港湾新材料科技有限公司")
        others = list(Organisation.objects.filter(kind="employer").exclude(pk=unit.pk)[:4])
        for i, name in enumerate(DEMO_EXPERT_NAMES):
            user = User.objects.filter(username="expert").first() if i == 0 else None
            if user is None:
                user, _ = User.objects.get_or_create(
                    username=f"demo_expert_{i}",
                    defaults={"full_name": name, "email": f"demo_expert_{i}@demo.invalid"},
                )
            expert, _ = Expert.objects.get_or_create(
                user=user, series=engineering, specialty=DEMO_SPECIALTY,
                defaults={"title_level": "associate_senior",
                          "unit": unit if i == 0 or not others else others[i % len(others)],
                          "term_start": dt.date(2023, 1, 1), "term_end": dt.date(2025, 12, 31)},
            )
            if i < 7:
                CommitteeMember.objects.get_or_create(
                    committee=committee, expert=expert,
                    defaults={"role": MemberRole.CHAIR if i == 0 else (
                        MemberRole.VICE_CHAIR if i == 1 else MemberRole.MEMBER)},
                )
        op.obj = committee
        op.summary = f"演示评委会与专家库：{committee}"
    return committee

"""Demo organisations and accounts for `make run` (fictional employers, valid credit codes)."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from zhicheng.accounts.identity import IdType, validate_resident_id
from zhicheng.accounts.models import User
from zhicheng.accounts.totp import activate_totp
from zhicheng.core.actors import Actor
from zhicheng.core.operations import operation
from zhicheng.demo.applications import seed_applicant_profile
from zhicheng.orgs.models import District, Membership, Organisation, OrgKind, Role

DEMO_PASSWORD = "zhicheng-demo-2024"
# DEMO ONLY. Every demo official (all accounts with a role) gets a TOTP authenticator with
# this fixed, published secret so `make run` works: add it once to an authenticator app
# (`seed_demo` prints it and its otpauth:// URL) or compute codes with
# `zhicheng.accounts.totp.totp_code(DEMO_TOTP_SECRET)`. Real officials set up their own.
DEMO_TOTP_SECRET = "ZHICHENGDEMOONLYZHICHENGDEMOONLY"

DEMO_EMPLOYERS = [
    # name, credit code, district code, supervisor short name, agency managed, type
    (
        "连云港海澜智能装备有限公司",
        "91320706MA1N000010",
        "haizhou",
        None,
        False,
        "private_enterprise",
    ),
    (
        "连云港港湾新材料科技有限公司",
        "91320700MA1X123453",
        "kaifaqu",
        "市工信局",
        False,
        "private_enterprise",
    ),
    (
        "连云港市云台山文化发展促进会",
        "52320700MJ1234567G",
        "haizhou",
        None,
        True,
        "social_organisation",
    ),
    (
        "连云港市第一人民医院（演示）",
        "123207004660001239",
        "haizhou",
        "市卫健委",
        False,
        "public_institution",
    ),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str | None
    organisation: str | None
    staff: bool = False
    identity: tuple[str, str] | None = None  # fictional resident ID number and phone

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else "申报人（无机构角色）"


DEMO_ACCOUNTS = [
    DemoAccount("city_office", "周主任", Role.CITY_OFFICE, "市职称办", staff=True),
    DemoAccount("haizhou_reviewer", "吴科长", Role.PRELIMINARY_REVIEWER, "海州区人社局"),
    DemoAccount("gongxin_reviewer", "郑科长", Role.PRELIMINARY_REVIEWER, "市工信局"),
    DemoAccount("gongxin_committee", "王秘书", Role.COMMITTEE_OFFICE, "市工信局"),
    # The demo applicant's plan (row 41, 质量工程) is run by 市场监督局's committee office.
    DemoAccount("scjg_committee", "孙秘书", Role.COMMITTEE_OFFICE, "市场监督局"),
    DemoAccount("talent_reviewer", "冯老师", Role.PRELIMINARY_REVIEWER, "市人才服务中心"),
    DemoAccount("unit_hr", "陈经理", Role.UNIT_HR, "连云港海澜智能装备有限公司"),
    DemoAccount("expert", "林教授", Role.EXPERT, "连云港港湾新材料科技有限公司"),
    DemoAccount("applicant", "李明", None, None, identity=("320706199003151237", "13800000001")),
]


def seed_demo(actor: Actor) -> list[DemoAccount]:
    """Create (or leave as they are) the demo employers and accounts; audited."""
    with transaction.atomic(), operation(actor, "demo.seed") as op:
        created: list[str] = []
        by_short = {o.short_name: o for o in Organisation.objects.exclude(short_name="")}
        for name, code, district, supervisor, agency, kind in DEMO_EMPLOYERS:
            home = District.objects.get(code=district)
            org, made = Organisation.objects.get_or_create(
                name=name,
                defaults={
                    "kind": OrgKind.EMPLOYER,
                    "credit_code": code,
                    "district": home,
                    "city": home.city,  # the employer belongs to its district's city
                    "supervisor": by_short.get(supervisor) if supervisor else None,
                    "agency_managed": agency,
                    "employer_type": kind,
                },
            )
            org.full_clean()
            if made:
                created.append(name)
            by_short.setdefault(name, org)
        for account in DEMO_ACCOUNTS:
            user, made = User.objects.get_or_create(
                username=account.username,
                defaults={
                    "full_name": account.full_name,
                    "is_staff": account.staff,
                    "email": f"{account.username}@demo.invalid",
                },
            )
            if made:
                user.set_password(DEMO_PASSWORD)
                user.save()
                created.append(account.username)
            if user.email:  # verified already, so `make run` needs no mail
                EmailAddress.objects.get_or_create(
                    user=user, email=user.email, defaults={"verified": True, "primary": True}
                )
            if account.identity and not user.id_number:
                user.id_type, user.id_number, user.phone = IdType.RESIDENT, *account.identity
                user.birth_date, user.sex = validate_resident_id(user.id_number)
                user.save(update_fields=["id_type", "id_number", "phone", "birth_date", "sex"])
            if account.role and account.organisation:
                Membership.objects.get_or_create(
                    user=user, organisation=by_short[account.organisation], role=account.role
                )
                activate_totp(user, DEMO_TOTP_SECRET)  # DEMO ONLY: a published secret
        op.summary = f"演示数据：新增{len(created)}项"
        op.data = {"created": created}
    seed_applicant_profile(actor)  # the demo applicant's profile (applications app)
    return DEMO_ACCOUNTS

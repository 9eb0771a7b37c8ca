"""The admin per city (docs/seasons.md, 多城市): an office of 云湖市 lists, opens and changes
only its own city's seasons, plans, organisations and memberships, and the choices of a new
row offer only its city's; the installation's superuser still sees every city."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories.cities import YUNHU_DEPARTMENT, YUNHU_SEASON, yunhu_official
from zhicheng.accounts.models import User
from zhicheng.accounts.totp import activate_totp
from zhicheng.demo.accounts import DEMO_TOTP_SECRET

pytestmark = pytest.mark.django_db

LYG_SEASON = "连云港市2024年度职称评审"


def staff_client(user: Any) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def test_a_city_office_reads_and_changes_only_its_citys_rows_in_the_admin(
    yunhu: Any, demo_users: Any
) -> None:
    from zhicheng.orgs.models import Organisation
    from zhicheng.seasons.models import Season

    lyg = Season.objects.get(code="lianyungang-2024")
    client = staff_client(yunhu_official())

    seasons = client.get("/admin/seasons/season/").content.decode()
    assert YUNHU_SEASON in seasons and LYG_SEASON not in seasons
    plans = client.get("/admin/seasons/committeeplan/").content.decode()
    assert "云湖工程技术（中级）" in plans and "统计（高级）" not in plans
    organisations = client.get("/admin/orgs/organisation/?q=工信").content.decode()
    assert YUNHU_DEPARTMENT in organisations and "连云港市工业和信息化局" not in organisations

    # another city's row answers as missing, on its change page and on a forged post
    other_plan = lyg.plans.order_by("row").first()
    page = client.get(f"/admin/seasons/committeeplan/{other_plan.pk}/change/", follow=True)
    assert page.redirect_chain and page.redirect_chain[-1][0] == "/admin/"
    gongxin = Organisation.objects.get(short_name="市工信局")
    client.post(f"/admin/orgs/organisation/{gongxin.pk}/change/",
                {"name": "改名", "kind": gongxin.kind})
    gongxin.refresh_from_db()
    assert gongxin.short_name == "市工信局" and gongxin.name != "改名"

    # a new plan row may only name its own city's seasons and offices
    add = client.get("/admin/seasons/committeeplan/add/").content.decode()
    assert YUNHU_SEASON in add and LYG_SEASON not in add
    assert YUNHU_DEPARTMENT in add and "连云港市工业和信息化局" not in add

    # the lianyungang office does not see 云湖市's rows; a superuser sees both cities
    lyg_client = staff_client(demo_users["city_office"])
    assert YUNHU_SEASON not in lyg_client.get("/admin/seasons/season/").content.decode()
    root = User.objects.create_superuser("root-admin", "root@example.invalid", "pw-zhicheng-2024")
    activate_totp(root, DEMO_TOTP_SECRET)
    every = Client()
    every.force_login(root)
    both = every.get("/admin/seasons/season/").content.decode()
    assert YUNHU_SEASON in both and LYG_SEASON in both


def test_a_city_office_lists_only_its_citys_people_in_the_admin(yunhu: Any,
                                                               demo_users: Any) -> None:
    """City offices get no user admin by default (403); where an installation grants it
    (`accounts.view_user`), officials are listed by their organisations' city, applicants by
    their employer's, somebody of no city yet (a new sign-up) for every office; the
    superuser lists everyone."""
    from django.contrib.auth.models import Permission

    assert staff_client(demo_users["city_office"]).get("/admin/accounts/user/").status_code == 403
    newcomer = User.objects.create_user(username="newcomer", password="pw-zhicheng-2024",
                                        full_name="新注册人", email="new@example.invalid")
    colleague = yunhu_official(name="云湖同事")
    office = yunhu_official()
    office.user_permissions.add(Permission.objects.get(codename="view_user"))
    client = staff_client(office)
    people = client.get("/admin/accounts/user/").content.decode()
    assert colleague.username in people and newcomer.username in people
    for username in ("city_office", "unit_hr", "applicant", "gongxin_committee"):
        assert f">{username}<" not in people, username
    other = client.get(f"/admin/accounts/user/{demo_users['applicant'].pk}/change/",
                       follow=True)
    assert demo_users["applicant"].username not in other.content.decode().split("<main", 1)[-1]

    root = User.objects.create_superuser(username="root", password="Root-Passw0rd-x!",
                                         email="root@example.invalid")
    activate_totp(root, DEMO_TOTP_SECRET)
    everyone = staff_client(root).get("/admin/accounts/user/?all=").content.decode()
    assert ">city_office<" in everyone and colleague.username in everyone

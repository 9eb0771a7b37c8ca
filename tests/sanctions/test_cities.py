"""Sanctions per city (docs/seasons.md, 多城市): a city office decides only on the committee
offices of its own city, lists only their sanctions, and the form offers only them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests.factories.cities import yunhu_committee, yunhu_official
from tests.factories.sanctions import decision
from zhicheng.core.operations import NotPermitted
from zhicheng.sanctions import operations as ops
from zhicheng.sanctions.models import Sanction

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_each_city_office_decides_and_sees_only_its_citys_sanctions(
    world: Any, yunhu: Any
) -> None:
    committee = yunhu_committee(yunhu)
    yunhu_office = yunhu_official()
    theirs = ops.order_correction(world.city, world.gongxin, due_on=dt.date(2024, 10, 31),
                                  **decision(1))
    mine = ops.order_correction(yunhu_office, committee.office, due_on=dt.date(2024, 10, 31),
                                **decision(2))

    # writes: neither office may decide on, close or lift the other city's office
    with pytest.raises(NotPermitted, match="只能处理本市"):
        ops.suspend_evaluation(yunhu_office, world.gongxin, **decision(3))
    with pytest.raises(NotPermitted):
        ops.withdraw_right(world.city, committee, **decision(4))
    with pytest.raises(NotPermitted):
        ops.close_correction(theirs, yunhu_office, "已整改")
    assert Sanction.objects.count() == 2

    # reads: the list, the detail page and the form's choices
    page = login(yunhu_office)
    listing = page.get("/supervision/sanctions/").content.decode()
    assert mine.decision_number in listing and theirs.decision_number not in listing
    assert page.get(f"/supervision/sanctions/{theirs.pk}/").status_code == 404
    assert page.get(f"/supervision/sanctions/{mine.pk}/").status_code == 200
    form = page.get("/supervision/sanctions/new/").content.decode()
    assert "云湖市工业和信息化局（示例）" in form and world.gongxin.name not in form
    lyg = login(world.city).get("/supervision/sanctions/").content.decode()
    assert theirs.decision_number in lyg and mine.decision_number not in lyg
    # a forged post naming the other city's office is refused by the form, nothing written
    r = page.post("/supervision/sanctions/new/", {
        "kind": "suspension", "office": world.gongxin.pk, "committee": "", **decision(5)})
    assert r.status_code == 200 and Sanction.objects.count() == 2

"""Material sampling (材料抽查) per city (docs/seasons.md, 多城市): an office of 云湖市 may not
draw from, record a finding on or read the draws of another city's plans."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories.cities import yunhu_official
from zhicheng.core.operations import NotPermitted
from zhicheng.reviews import operations as rops
from zhicheng.reviews.models import SamplingDraw

pytestmark = pytest.mark.django_db


def test_another_citys_office_neither_draws_nor_reads_the_sampling(
    chain: Any, demo_users: Any, yunhu: Any
) -> None:
    city = demo_users["city_office"]
    apps = [chain.accepted() for _ in range(2)]
    plan = apps[0].plan
    stranger = yunhu_official()
    with pytest.raises(NotPermitted):
        rops.commit_sampling(plan, stranger)
    record = rops.commit_sampling(plan, city)
    with pytest.raises(NotPermitted):
        rops.run_sampling(record, stranger)
    record = rops.run_sampling(record, city)
    sampled = next(a for a in apps if a.pk in record.sample)
    with pytest.raises(NotPermitted):
        rops.record_finding(record, sampled, stranger, outcome="ok", finding="材料齐全。")
    assert SamplingDraw.objects.count() == 1

    client = Client()
    client.force_login(stranger)
    page = client.get("/review/sampling/").content.decode()
    assert plan.specialty not in page
    assert client.get(f"/review/sampling/{record.pk}/").status_code == 404
    own = Client()
    own.force_login(city)
    assert plan.specialty in own.get("/review/sampling/").content.decode()

"""A season without its rule parameters (a row made by hand, not from a package) never makes
the supervision pages fail: the dashboard says which parameter is missing and counts no review
as overdue instead of guessing a limit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhicheng.seasons.models import Season

pytestmark = pytest.mark.django_db


def test_the_dashboard_of_a_season_without_the_review_limit_names_the_parameter(
    city_client, season
):
    Season.objects.create(
        code="bare-2025", name="2025年度（手工建立）", year=2025, city=season.city,
        notice_number="示例", notice_title="示例", notice_date=season.notice_date,
        seniority_cutoff=season.seniority_cutoff, materials_cutoff=season.materials_cutoff,
        evaluation_deadline=season.evaluation_deadline,
        committee_notice_due=season.committee_notice_due,
    )
    response = city_client.get(reverse("supervision:dashboard") + "?season=bare-2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert "年度参数中没有“supervision.review_overdue_workdays”" in html
    assert "审核超期（本年度未设定时限）" in html
    default = city_client.get(reverse("supervision:dashboard") + f"?season={season.code}")
    assert "审核超过10个工作日" in default.content.decode()

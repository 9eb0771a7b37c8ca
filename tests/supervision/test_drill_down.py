"""From a committee to its dossiers, and from a dossier to its hash-chained audit trail."""

from __future__ import annotations

import pytest

from zhicheng.core.models import AuditEvent

from .cells import row_cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommended(chain):
    """A real application driven by the operations to the preliminary review (plan 41)."""
    return chain.at_preliminary()


def test_the_plan_page_lists_its_dossiers_by_state(city_client, recommended, build):
    other = build.app(recommended.plan, "passed")
    html = city_client.get(f"/supervision/plan/{recommended.plan_id}/").content.decode()
    assert f'href="/supervision/dossier/{recommended.pk}/"' in html
    assert f'href="/supervision/dossier/{other.pk}/"' in html
    assert 'data-state="preliminary_review"' in html
    narrowed = city_client.get(
        f"/supervision/plan/{recommended.plan_id}/?state=passed").content.decode()
    assert f'/supervision/dossier/{other.pk}/' in narrowed
    assert f'/supervision/dossier/{recommended.pk}/' not in narrowed


def test_the_plan_page_shows_the_unit_publicities_the_dashboard_counts_overdue(
    city_client, build
):
    """The daily task closes a unit publicity after its last day; the dossier stays 单位公示中
    until the unit recommends. The dashboard counts it overdue, the plan page must show it."""
    import datetime as dt

    from django.utils import timezone

    from zhicheng.supervision.queries import dashboard

    plan = build.plan(1)
    stale = build.app(plan, "unit_publicity")
    publicity = build.unit_publicity(stale, dt.date(2024, 7, 1), dt.date(2024, 7, 5))
    publicity.closed_at = timezone.now()
    publicity.save()
    board = dashboard(build.season, dt.date(2024, 7, 15))
    assert {r.plan.row: r for r in board.rows}[1].publicity_overdue == 1
    html = city_client.get(f"/supervision/plan/{plan.pk}/").content.decode()
    cells = row_cells(html, "data-dossier", str(stale.pk))
    assert "公示至 2024-07-05" in cells[-1] and "公示期满，单位未推荐" in cells[-1]


def test_the_dossier_shows_its_audit_trail_in_chain_order(city_client, recommended):
    html = city_client.get(f"/supervision/dossier/{recommended.pk}/").content.decode()
    events = AuditEvent.objects.filter(
        target_type="applications.application", target_id=str(recommended.pk)
    ).order_by("seq")
    actions = [e.action for e in events]
    assert "review.unit_approve" in actions and "review.unit_recommend" in actions
    # Each action by its label, with the code kept as the cell's tooltip (core.labels).
    positions = [html.index(f'<td data-action="{a}">') for a in actions]
    assert positions == sorted(positions)
    # The unit publicity's own events belong to the dossier's trail too.
    assert '<td data-action="publicity.' in html and "单位审核通过并公示" in html
    assert "以下每条记录的内容与其哈希一致" in html
    last = events.last()
    assert row_cells(html, "class", "table-danger") == []
    assert last.hash[:12] in html


def test_a_tampered_event_is_flagged(city_client, recommended):
    event = AuditEvent.objects.filter(
        target_type="applications.application", target_id=str(recommended.pk),
        action="review.unit_approve",
    ).get()
    AuditEvent.objects.filter(pk=event.pk).update(summary="（被改过的摘要）")
    html = city_client.get(f"/supervision/dossier/{recommended.pk}/").content.decode()
    assert "审计链可能被篡改" in html
    cells = row_cells(html, "class", "table-danger")
    assert cells[0] == str(event.seq) and "不一致" in cells[-1]


def test_the_dossier_page_runs_a_constant_number_of_queries(
        city_client, recommended, chain, django_assert_max_num_queries):
    url = f"/supervision/dossier/{recommended.pk}/"
    city_client.get(url)
    with django_assert_max_num_queries(15 + 1) as before:  # + the site's city (constant)
        city_client.get(url)
    from zhicheng.reviews import operations as rops

    reviewer = chain.reviewer_for(recommended)
    rops.record_dossier_view(recommended, reviewer)
    rops.preliminary_approve(recommended, reviewer)  # more events
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert 'data-action="review.preliminary_approve"' in city_client.get(url).content.decode()

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


def test_the_dossier_shows_its_audit_trail_in_chain_order(city_client, recommended):
    html = city_client.get(f"/supervision/dossier/{recommended.pk}/").content.decode()
    events = AuditEvent.objects.filter(
        target_type="applications.application", target_id=str(recommended.pk)
    ).order_by("seq")
    actions = [e.action for e in events]
    assert "review.unit_approve" in actions and "review.unit_recommend" in actions
    positions = [html.index(f"<code>{a}</code>") for a in actions]
    assert positions == sorted(positions)
    # The unit publicity's own events belong to the dossier's trail too.
    assert "<code>publicity." in html
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
    with django_assert_max_num_queries(15) as before:
        city_client.get(url)
    from zhicheng.reviews import operations as rops

    reviewer = chain.reviewer_for(recommended)
    rops.record_dossier_view(recommended, reviewer)
    rops.preliminary_approve(recommended, reviewer)  # more events
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert "review.preliminary_approve" in city_client.get(url).content.decode()

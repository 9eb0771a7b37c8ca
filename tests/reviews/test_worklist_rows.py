"""The worklist page reads its rows, count and plan choices through compiled queries
(reviews.queries.WorklistRows): they are what `worklist(...)` gives through the ORM, for every
role and filter, and a compiled query kept for one person's inputs never answers another's."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.factories.reviews import OTHER_EMPLOYER
from zhicheng.core import compiled
from zhicheng.demo.applications import DEMO_EMPLOYER
from zhicheng.orgs.models import Membership
from zhicheng.reviews import operations as rops
from zhicheng.reviews import queries
from zhicheng.reviews.queries import WorklistRows, roles_of, worklist
from zhicheng.reviews.rows import ROW_FIELDS
from zhicheng.seasons.models import CommitteePlan

pytestmark = pytest.mark.django_db


def _orm(user, filters, bottom, top):
    """What the page showed before: the ORM's queryset, its count, its plans."""
    qs = worklist(user, roles=roles_of(user), **filters)
    plans = CommitteePlan.objects.filter(pk__in=qs.order_by().values("plan_id")).order_by(
        "row", "pk")
    return (list(qs.values(*ROW_FIELDS)[bottom:top]), qs.count(),
            [(p.pk, p.row, p.specialty) for p in plans])


def _compiled(user, filters, bottom, top):
    found = WorklistRows(user, roles_of(user), ROW_FIELDS, **filters)
    return (found[bottom:top], found.count(),
            [(p.pk, p.row, p.specialty) for p in found.plans])


@pytest.fixture
def waiting(chain, official, demo_users):
    """Dossiers at every stage a worklist holds, in two districts, one with a correction
    requested and one viewed, so that every role's list and every filter has rows."""
    official("unit_hr", OTHER_EMPLOYER)
    # Submitted first: moving a dossier on moves the business date past the plan's window.
    plain, other, a, b, c, d = (chain.submitted(e) for e in (
        DEMO_EMPLOYER, OTHER_EMPLOYER, DEMO_EMPLOYER, DEMO_EMPLOYER, OTHER_EMPLOYER,
        DEMO_EMPLOYER))
    a, b, c = (chain.at_preliminary(x) for x in (a, b, c))
    reviewer = chain.reviewer_for(b)
    rops.record_dossier_view(b, reviewer)
    rops.request_corrections(b, reviewer, items=[
        {"target": "section:titles", "problem": "证书编号有误"}])
    d = chain.at_committee(d)
    return [plain, other, a, b, c, d]


def test_the_compiled_worklist_is_the_orm_worklist_for_every_role_and_filter(
        waiting, demo_users, chain):
    people = [demo_users[n] for n in (
        "unit_hr", "haizhou_reviewer", "gongxin_reviewer", "scjg_committee", "city_office",
        "expert", "applicant")]
    people.append(chain.unit_hr_for(waiting[1]))
    name = waiting[3].applicant.full_name
    filter_sets = [
        {}, {"state": "preliminary_review"}, {"state": "correction_requested"},
        {"state": "submitted"}, {"state": "bogus"}, {"plan": str(waiting[2].plan_id)},
        {"plan": "999999"}, {"due": "overdue"}, {"due": "week"}, {"due": "none"},
        {"q": name}, {"q": str(waiting[3].pk)}, {"state": "preliminary_review", "due": "none"},
    ]
    seen_rows = 0
    for user in people:
        for filters in filter_sets:
            full = {"state": "", "plan": "", "due": "", "q": ""} | filters
            for bottom, top in ((0, 50), (0, 1), (1, 3), (2, 50)):
                for _ in range(2):  # compiled, then reused
                    assert _compiled(user, full, bottom, top) == _orm(user, full, bottom, top), (
                        user.username, filters, bottom, top)
                seen_rows += len(_orm(user, full, bottom, top)[0])
    assert seen_rows > 50  # the comparison compared rows, not only empty lists


def test_a_compiled_query_is_reused_for_the_same_inputs_only(waiting, demo_users,
                                                              monkeypatch):
    haizhou, gongxin = demo_users["haizhou_reviewer"], demo_users["gongxin_reviewer"]
    first = WorklistRows(haizhou, roles_of(haizhou), ROW_FIELDS)[0:50]
    built = []
    original = queries.worklist
    monkeypatch.setattr(queries, "worklist", lambda *a, **k: built.append(a) or original(*a,
                                                                                         **k))
    again = WorklistRows(haizhou, roles_of(haizhou), ROW_FIELDS)
    assert again[0:50] == first and not built  # nothing built again
    # Another district's reviewer (the same shape of query, another organisation) is
    # compiled for his own organisation and sees only his own rows.
    other = WorklistRows(gongxin, roles_of(gongxin), ROW_FIELDS)[0:50]
    assert built and {r["pk"] for r in other}.isdisjoint({r["pk"] for r in first})
    assert {r["pk"] for r in other} == {waiting[4].pk}
    # A membership given (a role changes the inputs): the new list, at once.
    Membership.objects.create(user=haizhou, role="preliminary_reviewer",
                              organisation=Membership.objects.get(user=gongxin).organisation)
    both = WorklistRows(haizhou, roles_of(haizhou), ROW_FIELDS)
    assert {r["pk"] for r in both[0:50]} == {r["pk"] for r in first} | {waiting[4].pk}
    assert both.count() == len(first) + 1


def test_worklist_pages_and_filters_run_a_constant_number_of_queries(
        chain, demo_users, client, season, django_assert_max_num_queries):
    from tests.reviews.test_views import _bulk_waiting

    chain.at_preliminary()
    client.force_login(demo_users["haizhou_reviewer"])
    urls = ["/review/?page=2", "/review/?state=preliminary_review&due=none",
            "/review/?q=bulk", "/review/?plan=999999"]
    for url in urls:
        client.get(url)  # warm caches
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(20) as one:
            assert client.get(url).status_code == 200
        counts[url] = len(one.captured_queries)
    _bulk_waiting(60, chain, season)
    for url in urls:
        with django_assert_max_num_queries(20) as many:
            html = client.get(url).content.decode()
        assert len(many.captured_queries) == counts[url], url
        if "page=2" in url or "state=" in url:
            assert html.count('class="worklist-row') > 1, url


def test_the_seasons_parameters_are_read_as_the_orm_reads_them(season):
    from zhicheng.reviews.queries import season_parameters
    from zhicheng.reviews.views import _review_limits
    from zhicheng.seasons.models import Season

    (found,) = season_parameters({season.pk})
    season = Season.objects.get(pk=season.pk)
    assert (found.pk, found.parameters, str(found)) == (season.pk, season.parameters, str(season))
    assert _review_limits({season.pk}) == {
        season.pk: season.parameters["supervision"]["review_overdue_workdays"]["value"]}
    # A season setting no review time limit: its rows show no review due date.
    Season.objects.filter(pk=season.pk).update(parameters={"periods": {}})
    assert season_parameters({season.pk})[0].parameters == {"periods": {}}
    assert _review_limits({season.pk}) == {season.pk: None}


def _prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [s for (s,) in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="server-side prepared statements exist on PostgreSQL only "
                           "(run by the PostgreSQL suite)")
def test_kept_worklist_queries_run_as_prepared_statements_on_postgresql(
        waiting, demo_users, settings, monkeypatch):
    haizhou = demo_users["haizhou_reviewer"]
    monkeypatch.setattr(compiled, "_KEPT", threading.local())
    plain = {"state": "", "plan": "", "due": "", "q": ""}
    expected = _orm(haizhou, plain, 0, 50)
    assert _compiled(haizhou, plain, 0, 50) == expected
    kept = [s for s in _prepared_statements() if "applications_application" in s]
    assert len(kept) == 2  # the count by plan and the page: planned once per connection
    assert _compiled(haizhou, plain, 0, 50) == expected  # run again: the same statements
    assert [s for s in _prepared_statements() if "applications_application" in s] == kept
    # The queries Django sends are still not prepared (prepared statements stay off for
    # them), and a search (a one-off query) is not kept.
    assert connection.connection.prepare_threshold is None
    _compiled(haizhou, plain | {"q": waiting[3].applicant.full_name}, 0, 50)
    assert len([s for s in _prepared_statements() if "applications_application" in s]) == 2
    # Off by the setting: the same rows, nothing prepared.
    settings.ZHICHENG_PREPARED_STATEMENTS = False
    monkeypatch.setattr(compiled, "_KEPT", threading.local())
    connection.connection._prepared.clear()  # psycopg deallocates them on its next query
    assert _compiled(haizhou, plain, 0, 50) == expected
    assert not [s for s in _prepared_statements() if "applications_application" in s]


def test_the_rows_shared_words_are_those_of_the_request_s_language():
    """State labels and the rows' words are made once per language (reviews.rows._shared):
    each language gets its own, and a caller changing its copy changes nobody else's."""
    from django.utils import translation

    from zhicheng.applications.states import State
    from zhicheng.reviews import rows

    words = {}
    for language in ("en", "zh-hans", "en"):
        with translation.override(language):
            labels = rows.state_labels()
            assert labels == {value: str(label) for value, label in State.choices}
            assert rows._shared()[1].freelancer == translation.gettext("自由职业")
            assert words.setdefault(language, rows._shared()[1]) is rows._shared()[1]
            labels[State.DRAFT] = "changed"
            assert rows.state_labels()[State.DRAFT] != "changed"
    assert words["en"] is not words["zh-hans"]

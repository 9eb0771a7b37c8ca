"""The city office's sampling draw in public (docs/trust.md §Sampling draw): the office
commits from its sampling page (seed hash, population fixed by pseudonymous codes), then
draws (seed revealed); a visitor without a login reaches the record from 公示 and the
downloaded JSON re-runs with tools/verify/sampling_draw.py. No applicant's name, unit or
application number is on the public page."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.trust.tools import run_tool
from zhicheng.reviews import operations as rops
from zhicheng.reviews.models import SamplingDraw

pytestmark = pytest.mark.django_db


def test_office_commits_and_draws_and_a_visitor_reruns_it(chain: Any, demo_users: Any,
                                                         client: Any, tmp_path: Path) -> None:
    city = demo_users["city_office"]
    apps = [chain.accepted() for _ in range(3)]  # (a fourth would run past July's window)
    plan = apps[0].plan
    rops.update_committee_setting(plan, city, sample_share=Decimal("0.5"))
    client.force_login(city)
    page = client.get(reverse("reviews:sampling")).content.decode()
    assert "公布种子哈希" in page and 'name="seed"' not in page  # nobody types the seed
    response = client.post(reverse("reviews:sampling"), {"plan": plan.pk})
    record = SamplingDraw.objects.get(plan=plan)
    assert response.status_code == 302 and not record.drawn
    office = client.get(reverse("reviews:sampling_draw", args=[record.pk])).content.decode()
    assert record.seed_sha256 in office and record.seed not in office

    visitor = Client()
    assert reverse("samplings:list") in visitor.get(reverse("draws:list")).content.decode()
    listing = visitor.get(reverse("samplings:list")).content.decode()
    assert reverse("samplings:sampling", args=[record.pk]) in listing
    before = visitor.get(reverse("samplings:sampling", args=[record.pk])).content.decode()
    assert record.seed_sha256 in before and record.seed not in before and "D-003" in before
    pre = tmp_path / "before.json"
    pre.write_bytes(visitor.get(reverse("samplings:sampling_json", args=[record.pk])).content)
    committed = run_tool("sampling_draw.py", str(pre))
    assert committed.returncode == 0 and "NOT DRAWN YET: 3 in the population" in committed.stdout
    assert "2 to sample" in committed.stdout  # ceil(3 × 0.5)

    client.post(reverse("reviews:sampling_draw", args=[record.pk]), {"action": "draw"})
    record.refresh_from_db()
    assert record.drawn and len(record.sample) == 2
    after = visitor.get(reverse("samplings:sampling", args=[record.pk])).content.decode()
    assert record.seed in after
    for app in apps:
        assert app.applicant.full_name not in after and f"/review/{app.pk}/" not in after
    response = visitor.get(reverse("samplings:sampling_json", args=[record.pk]))
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / "after.json"
    path.write_bytes(response.content)
    document = json.loads(response.content)
    assert document["sample"] == [record.codes[str(pk)] for pk in record.sample]
    ok = run_tool("sampling_draw.py", str(path))
    assert ok.returncode == 0 and "OK" in ok.stdout, ok.stdout + ok.stderr

    document["sample"].reverse()
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert run_tool("sampling_draw.py", str(path)).returncode == 1


def test_samplings_made_before_the_commit_reveal_have_no_public_record(
        chain: Any, demo_users: Any) -> None:
    city = demo_users["city_office"]
    app = chain.accepted()
    record = rops.run_sampling(rops.commit_sampling(app.plan, city), city)
    SamplingDraw.objects.filter(pk=record.pk).update(codes={})  # as the migration leaves them
    assert Client().get(reverse("samplings:sampling", args=[record.pk])).status_code == 404


def test_the_public_sampling_pages_cost_the_same_queries_for_one_or_three(
        chain: Any, demo_users: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(url).status_code == 200
        return len(ctx.captured_queries)

    city = demo_users["city_office"]
    app = chain.accepted()
    first = rops.run_sampling(rops.commit_sampling(app.plan, city), city)
    Client().get("/")  # the site's city list is cached after the first page (seasons.queries)
    one = cost(reverse("samplings:list")), cost(reverse("samplings:sampling", args=[first.pk]))
    for _ in range(2):
        rops.run_sampling(rops.commit_sampling(app.plan, city), city)
    assert (cost(reverse("samplings:list")),
            cost(reverse("samplings:sampling", args=[first.pk]))) == one

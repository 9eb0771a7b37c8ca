"""The second signer of a tally lands on a real page: their signature closes the tally, and
the seated experts keep the ballot page after it, which now shows the signed tally and the
counted receipt codes (not 页面不存在). The first signer stays on the ballot page too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhicheng.evaluation import operations as ops
from zhicheng.evaluation.models import MeetingState

pytestmark = pytest.mark.django_db


def test_second_signer_lands_on_the_signed_tally(client, world) -> None:
    world.pool(7)
    app = world.application("申报甲")
    m = world.opened(count=5, reserve=0)
    world.vote_all(m, {app.pk: ["agree"] * 5})
    seats = list(m.seats.all())
    ops.assign_tally_roles(m, world.office, seats[0], seats[1])

    client.force_login(seats[0].expert.user)
    r = client.post(reverse("evaluation:ballot", args=[m.pk]), {"sign": "1"}, follow=True)
    assert r.status_code == 200 and r.redirect_chain[-1][0] == reverse(
        "evaluation:ballot", args=[m.pk])

    client.force_login(seats[1].expert.user)
    r = client.post(reverse("evaluation:ballot", args=[m.pk]), {"sign": "1"}, follow=True)
    m.refresh_from_db()
    assert m.state == MeetingState.SIGNED
    assert r.status_code == 200
    assert r.redirect_chain[-1][0] == reverse("evaluation:ballot", args=[m.pk])
    html = r.content.decode()
    assert "已签字确认计票结果。" in html and "页面不存在" not in html
    assert "已签字" in html

"""The demo clock (demo mode only): the city office moves the business date forward from the
banner or with `zhicheng demo_clock`; each move is audited; time never goes backwards; the
publicities that ended close right after the move."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from zhicheng.core import clock
from zhicheng.core.models import AuditEvent


@pytest.fixture
def demo_clock(settings, tmp_path):
    settings.ZHICHENG_TODAY = "2024-07-15"
    settings.ZHICHENG_DEMO_CLOCK = True
    settings.ZHICHENG_DEMO_CLOCK_FILE = str(tmp_path / "demo-clock.txt")
    return settings


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_city_office_moves_the_date_from_the_banner(demo_clock, demo_users) -> None:
    city = _client(demo_users["city_office"])
    assert 'id="demo-clock"' in city.get("/evaluation/").content.decode()
    r = city.post("/demo-clock/", {"days": "10", "next": "/evaluation/"}, follow=True)
    assert clock.today() == dt.date(2024, 7, 25)
    assert "2024-07-25" in r.content.decode()
    event = AuditEvent.objects.filter(action="demo.clock.set").get()
    assert event.actor_id == demo_users["city_office"].pk
    assert event.data == {"from": "2024-07-15", "to": "2024-07-25"}

    # Others see the date but not the button, and cannot move it.
    office = _client(demo_users["scjg_committee"])
    assert 'id="demo-clock"' not in office.get("/evaluation/").content.decode()
    r = office.post("/demo-clock/", {"days": "5"}, follow=True)
    assert "只有市职称办可以调整演示日期" in r.content.decode()
    assert clock.today() == dt.date(2024, 7, 25)
    r = city.post("/demo-clock/", {"days": "abc"}, follow=True)
    assert r.status_code == 200 and "请填写要向后推进的天数" in r.content.decode()


def test_time_never_goes_backwards_and_a_later_pinned_date_wins(demo_clock, db) -> None:
    call_command("demo_clock", "set", "2024-08-01", stdout=io.StringIO())
    assert clock.today() == dt.date(2024, 8, 1)
    with pytest.raises(CommandError, match="只能向后调整"):
        call_command("demo_clock", "set", "2024-07-20", stdout=io.StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("demo_clock", "set", "1 August", stdout=io.StringIO())
    demo_clock.ZHICHENG_TODAY = "2024-07-15"  # `make run` restarted with the default date
    assert clock.today() == dt.date(2024, 8, 1)
    demo_clock.ZHICHENG_TODAY = "2024-09-02"  # `make run DEMO_TODAY=2024-09-02`
    assert clock.today() == dt.date(2024, 9, 2)


def test_off_outside_demo_mode(settings, tmp_path, demo_users) -> None:
    settings.ZHICHENG_TODAY = "2024-07-15"
    settings.ZHICHENG_DEMO_CLOCK = False
    settings.ZHICHENG_DEMO_CLOCK_FILE = str(tmp_path / "demo-clock.txt")
    (tmp_path / "demo-clock.txt").write_text("2024-12-01\n")
    assert clock.today() == dt.date(2024, 7, 15)  # the file is ignored
    city = _client(demo_users["city_office"])
    assert 'id="demo-clock"' not in city.get("/evaluation/").content.decode()
    assert city.post("/demo-clock/", {"days": "1"}).status_code == 404
    with pytest.raises(CommandError, match="未启用"):
        call_command("demo_clock", "advance", "1", stdout=io.StringIO())


def test_a_move_closes_the_publicities_that_ended(demo_clock, season, demo_users) -> None:
    from tests.factories.evaluation import World
    from zhicheng.applications.states import fire
    from zhicheng.publicity.models import Publicity
    from zhicheng.publicity.operations import open_publicity

    world = World(season, demo_users, demo_clock)
    app = world.application("公示甲")
    app.state = "passed"  # test setup only: the meeting that leads here is tested elsewhere
    app.save(update_fields=["state"])
    fire(app, "publish_result", world.office)
    p = open_publicity(app, "result", world.office)
    call_command("demo_clock", "set", (p.last_day + dt.timedelta(days=1)).isoformat(),
                 stdout=io.StringIO())
    assert Publicity.objects.get(pk=p.pk).closed_at is not None

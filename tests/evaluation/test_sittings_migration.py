"""The sittings migration on a database that already holds meetings (evaluation 0009/0010):
back to the flag (`CommitteeSeat.present`) and forward again, a meeting keeps one sitting
with its own date, place and presiding, the same experts present, and its cases voted there."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.factories.evaluation import world  # noqa: F401  (fixture)
from zhicheng.evaluation import operations as ops
from zhicheng.evaluation.models import Attendance, Case, Sitting

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_meeting_keeps_its_day_and_attendance_through_the_migration(world) -> None:  # noqa: F811
    world.pool(7)
    world.application("迁移甲")
    m = world.drawn()
    seats = [s for s in m.seats.all() if not s.reserve]
    ops.record_attendance(m, world.office, [s.pk for s in seats[:3]])
    present = set(Attendance.objects.filter(sitting__meeting=m).values_list("seat_id",
                                                                             flat=True))
    assert len(present) == 3 and Case.objects.filter(meeting=m).exists()

    call_command("migrate", "evaluation", "0008", verbosity=0)  # before sittings
    call_command("migrate", "evaluation", verbosity=0)  # and forward again

    sittings = list(Sitting.objects.filter(meeting=m))
    assert [(s.number, s.date, s.place, s.presiding_id) for s in sittings] == [
        (1, m.date, m.place, m.presiding_id)]
    assert set(Attendance.objects.filter(sitting=sittings[0]).values_list(
        "seat_id", flat=True)) == present
    assert set(Case.objects.filter(meeting=m).values_list("sitting_id", flat=True)) == {
        sittings[0].pk}

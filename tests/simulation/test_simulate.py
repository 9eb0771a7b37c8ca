"""The season simulator: a small season through the real operations, end to end."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from zhicheng.simulation import population
from zhicheng.simulation.driver import END_STATES, Simulation

N = 14
SEED = 11


def test_the_population_follows_the_seed() -> None:
    employers = ["甲公司", "乙公司", "丙学校"]
    offers = {0: [("engineering", "intermediate")], 1: [("engineering", "assistant")],
              2: [("primary_secondary_teacher", "intermediate")]}
    first = population.applicants(50, SEED, employers=employers, offers=offers)
    again = population.applicants(50, SEED, employers=employers, offers=offers)
    other = population.applicants(50, SEED + 1, employers=employers, offers=offers)
    assert [(a.name, a.fate, a.series, a.level, a.facts) for a in first] == \
        [(a.name, a.fate, a.series, a.level, a.facts) for a in again]
    assert [a.fate for a in first] != [a.fate for a in other] or \
        [a.name for a in first] != [a.name for a in other]
    # resident IDs are valid and unique
    ids = [a.id_number for a in first]
    assert len(set(ids)) == len(ids) and all(len(i) == 18 for i in ids)


def _outcome(sim: Simulation) -> list[tuple[int, str, int, str, str]]:
    from zhicheng.applications.models import Application

    states = dict(Application.objects.filter(
        pk__in=[d.app.pk for d in sim.dossiers if d.app]).values_list("pk", "state"))
    return [(d.person.index, d.person.fate, d.plan.row, d.person.level,
             states.get(d.app.pk, "") if d.app else "") for d in sim.dossiers]


@pytest.mark.django_db(transaction=True)
def test_a_small_season_runs_to_certificates_and_repeats_with_the_seed(
    season: Any, settings: Any, tmp_path: Any
) -> None:
    from zhicheng.certificates import keys
    from zhicheng.certificates.models import Certificate
    from zhicheng.certificates.signing import verify_text
    from zhicheng.core.audit import verify_chain

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ZHICHENG_KEY_DIR = str(tmp_path / "keys")
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.ZHICHENG_TODAY = "2024-01-02"  # restored after the test; the run moves it

    first = Simulation(season, applicants=N, seed=SEED, progress=False, label="t1")
    report = first.run()
    assert report.errors == []
    # every application ends in a documented end state
    assert set(report.states) <= {str(s) for s in END_STATES}, report.states
    assert sum(report.states.values()) == N
    assert report.states["certificate_issued"] > 0
    # the audit chain holds after the whole season
    assert verify_chain().ok
    # every applicant's sex and birth date are those their resident ID carries
    from zhicheng.accounts.identity import validate_resident_id
    from zhicheng.applications.models import Application
    from zhicheng.evaluation.models import Expert

    people = [d.user for d in first.dossiers if d.user is not None]
    assert people and all(validate_resident_id(p.id_number) == (p.birth_date, p.sex)
                          for p in people)
    # the experts work where no applicant of the season works: a draw is never short
    units = set(Expert.objects.filter(specialty__startswith="模拟t1-")
                .values_list("unit_id", flat=True))
    assert units and not units & set(Application.objects.values_list("employer_id", flat=True))
    # every certificate verifies offline with the published key
    public = keys.load_public_keys()
    certs = list(Certificate.objects.filter(
        application_id__in=[d.app.pk for d in first.dossiers if d.app]))
    assert len(certs) == report.certificates > 0
    assert all(verify_text(c.qr_text, public).valid for c in certs)

    # the same seed gives the same season (another label: its own employers and committees);
    # on PostgreSQL the second run shares the plans out among two forked worker processes
    from django.db import connection

    workers = 2 if connection.vendor == "postgresql" else 1
    second = Simulation(season, applicants=N, seed=SEED, progress=False, label="t2",
                        workers=workers)
    again = second.run()
    assert again.errors == []
    assert again.workers == workers
    assert sum(again.phase_events.values()) == sum(report.phase_events.values())
    assert again.states == report.states
    assert _outcome(second) == _outcome(first)
    assert verify_chain().ok


@pytest.mark.django_db
def test_the_command_refuses_bad_input(season: Any) -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("simulate", applicants=0)
    with pytest.raises(CommandError, match="unknown phase"):
        call_command("simulate", applicants=5, phases="apply,vote")
    with pytest.raises(CommandError, match="at least 1"):
        call_command("simulate", applicants=5, workers=0)
    from django.db import connection

    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            call_command("simulate", applicants=5, workers=2)


def test_people_are_realistic_and_their_ids_agree() -> None:
    """Sex and birth date are the ones the resident ID carries, births spread over every age
    band, both sexes, districts of the city; the IDs pass the sign-up's own check."""
    from zhicheng.accounts.identity import validate_resident_id
    from zhicheng.simulation.world import EMPLOYER_TYPES, pool_size

    employers = ["甲公司", "乙公司", "丙学校"]
    offers = {0: [("engineering", "intermediate")], 1: [("engineering", "assistant")],
              2: [("primary_secondary_teacher", "associate_senior")]}
    people = population.applicants(600, SEED, employers=employers, offers=offers, id_salt=3)
    assert len({p.id_number for p in people}) == len(people)
    assert all(validate_resident_id(p.id_number) == (p.birth_date, p.sex) for p in people)
    ages = Counter(_band(2024 - p.birth_date.year) for p in people if p.birth_date)
    assert set(ages) == {"le35", "36_45", "46_54", "ge55"} and min(ages.values()) >= 10, ages
    sexes = Counter(p.sex for p in people)
    assert 0.35 < sexes["F"] / len(people) < 0.6
    assert len({p.id_number[:6] for p in people}) == len(population.REGIONS)
    # a senior applicant is older than a first-title one, on average
    mean = {lv: sum(2024 - p.birth_date.year for p in people if p.level == lv)
            / max(1, sum(1 for p in people if p.level == lv))
            for lv in ("assistant", "associate_senior")}
    assert mean["associate_senior"] > mean["assistant"] + 8
    # employer types cover every kind; the pool holds the draw, its reserves and recusals
    assert sum(w for _t, w, _n in EMPLOYER_TYPES) == 100
    assert pool_size(7, 2) > 7 + 2


def _band(age: int) -> str:
    return "le35" if age <= 35 else "36_45" if age <= 45 else "46_54" if age <= 54 else "ge55"


def test_end_states_are_the_documented_ones() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs/simulation.md").read_text("utf-8")
    assert all(f"`{state}`" in doc for state in END_STATES)
    assert Counter(population.FATES).keys() <= {
        line.split("`")[1] for line in doc.splitlines() if line.startswith("| `")}

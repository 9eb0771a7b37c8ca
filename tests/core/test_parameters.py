"""The one parameter accessor (core.parameters): the season's value with its clause, source
and confidence, no fallback to settings, a clear refusal naming what is missing, and the
values an operation read kept in its event."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import SYSTEM, operation
from zhicheng.core.parameters import ParameterMissing, parameter, value
from zhicheng.evaluation import params as evaluation_params
from zhicheng.publicity.operations import period_parameter
from zhicheng.reviews.scope import correction_workdays
from zhicheng.supervision.params import supervision


def fake_season(**parameters):
    return SimpleNamespace(parameters=parameters)


def test_the_season_value_wins_with_its_clause():
    s = fake_season(periods={"unit_publicity_workdays": {"value": 5, "clause": "四（一）"}})
    found = parameter(s, "periods.unit_publicity_workdays")
    assert (found.value, found.clause, found.source) == (5, "四（一）", "season")


def test_settings_are_no_fallback_for_a_rule_of_the_season(settings):
    settings.ZHICHENG_SUPERVISION = {"review_overdue_workdays": 4}
    settings.ZHICHENG_CORRECTION_WORKDAYS = 7
    for name in ("supervision.review_overdue_workdays", "periods.correction_workdays",
                 "evaluation.committee_min_size", "periods.publicity_ended_visible_days"):
        with pytest.raises(ParameterMissing, match=name):
            value(fake_season(), name)
    assert value(fake_season(supervision={"review_overdue_workdays": {"value": 2}}),
                 "supervision.review_overdue_workdays") == 2


def test_the_settings_hold_no_rule_of_the_season():
    from django.conf import settings

    for name in ("ZHICHENG_CORRECTION_WORKDAYS", "ZHICHENG_PUBLICITY_ENDED_VISIBLE_DAYS",
                 "ZHICHENG_EVALUATION", "ZHICHENG_SUPERVISION"):
        assert not hasattr(settings, name), name


def test_every_rule_parameter_of_the_packages_names_its_source_and_confidence():
    import tomllib

    from zhicheng.policy.plans import season_dir

    for code in ("lianyungang-2024", "lianyungang-2025-example"):
        data = tomllib.loads((season_dir(code) / "season.toml").read_text(encoding="utf-8"))
        evaluation = {f"evaluation.{k}": v for k, v in data["evaluation"].items() if k != "panel"}
        evaluation |= {f"evaluation.panel.{k}": v for k, v in data["evaluation"]["panel"].items()}
        moved = {**evaluation,
                 **{f"supervision.{k}": v for k, v in data["supervision"].items()},
                 "periods.correction_workdays": data["periods"]["correction_workdays"],
                 "periods.publicity_ended_visible_days":
                     data["periods"]["publicity_ended_visible_days"]}
        for name, entry in moved.items():
            assert entry["source"] and entry["confidence"] and "value" in entry, (code, name)
        found = parameter(SimpleNamespace(parameters=data), "periods.correction_workdays")
        assert (found.value, found.clause, found.confidence) == (10, "四（三）", "L")


def test_a_missing_parameter_is_refused_by_name():
    with pytest.raises(ParameterMissing, match="periods.nothing"):
        value(fake_season(), "periods.nothing")


def test_every_app_reads_through_the_accessor():
    s = fake_season(
        periods={"opening_report_days_before_meeting": {"value": 3, "clause": "五（二）"},
                 "committee_publicity_workdays": {"value": 5, "clause": "三（二）", "text": "t"},
                 "correction_workdays": {"value": 4}},
        evaluation={"former_unit_avoid_years": {"value": 2}},
        supervision={"review_overdue_workdays": {"value": 6}},
    )
    assert evaluation_params.period(s, "opening_report_days_before_meeting") == 3
    assert evaluation_params.period_clause(s, "opening_report_days_before_meeting") == "五（二）"
    assert evaluation_params.evaluation(s, "former_unit_avoid_years") == 2
    assert supervision(s, "review_overdue_workdays") == 6
    assert correction_workdays(s) == 4
    with pytest.raises(ParameterMissing, match="periods.correction_workdays"):
        correction_workdays(fake_season(periods={"correction_workdays": {"value": 0}}))


@pytest.mark.django_db
def test_an_operation_keeps_the_parameters_it_read(season):
    with operation(SYSTEM, "test.parameters") as op:
        op.summary = "读取参数"
        evaluation_params.period(season, "opening_report_days_before_meeting")
    event = AuditEvent.objects.filter(action="test.parameters").get()
    used = event.data["parameters"]["periods.opening_report_days_before_meeting"]
    assert used == {"value": 10, "source": "season", "clause": "五（二）"}


def test_publicity_reads_its_period_through_the_accessor():
    s = fake_season(periods={"pre_evaluation_publicity_workdays": {"value": 5, "clause": "四（二）",
                                                              "text": "公示5个工作日"}})
    assert period_parameter(s, "pre_evaluation")[0] == 5


def test_a_package_without_a_rule_parameter_or_its_source_is_refused_by_name(tmp_path):
    from tests.factories.seasons import copy_package, edit
    from zhicheng.policy.package import read_package

    folder = copy_package(tmp_path, "lianyungang-2025", years=1)
    edit(folder, "season.toml", "[supervision.review_overdue_workdays]", "[supervision.other]")
    source = 'source = "《职称评审管理暂行规定》（人社部令第40号）；docs/domain.md §National rules"'
    edit(folder, "season.toml", f'{source}\nconfidence = "H"\n', "")
    _data, problems = read_package(folder)
    messages = [str(p) for p in problems]
    assert any("缺少年度参数 [supervision.review_overdue_workdays]" in m for m in messages)
    assert any("[evaluation.committee_max_term_years] 缺少 source" in m for m in messages)
    assert all(m.startswith("[错误] season.toml") for m in messages), messages

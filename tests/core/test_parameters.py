"""The one parameter accessor (core.parameters): season value, then the system setting, a
clear refusal naming what is missing, and the values an operation read kept in its event."""

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


def test_a_system_setting_is_the_default(settings):
    settings.ZHICHENG_SUPERVISION = {"review_overdue_workdays": 4}
    settings.ZHICHENG_CORRECTION_WORKDAYS = 7
    assert parameter(fake_season(), "supervision.review_overdue_workdays").source == "settings"
    assert value(fake_season(), "supervision.review_overdue_workdays") == 4
    assert value(fake_season(supervision={"review_overdue_workdays": {"value": 2}}),
                 "supervision.review_overdue_workdays") == 2
    assert value(fake_season(), "correction_workdays") == 7


def test_a_missing_parameter_is_refused_by_name():
    with pytest.raises(ParameterMissing, match="periods.nothing"):
        value(fake_season(), "periods.nothing")


def test_every_app_reads_through_the_accessor(settings):
    settings.ZHICHENG_CORRECTION_WORKDAYS = 9
    s = fake_season(
        periods={"opening_report_days_before_meeting": {"value": 3, "clause": "五（二）"},
                 "committee_publicity_workdays": {"value": 5, "clause": "三（二）", "text": "t"}},
        evaluation={"former_unit_avoid_years": {"value": 2}},
        correction_workdays={"value": 4},
    )
    assert evaluation_params.period(s, "opening_report_days_before_meeting") == 3
    assert evaluation_params.period_clause(s, "opening_report_days_before_meeting") == "五（二）"
    assert evaluation_params.evaluation(s, "former_unit_avoid_years") == 2
    assert supervision(fake_season(), "review_overdue_workdays") == 10
    assert correction_workdays(s) == 4
    assert correction_workdays(fake_season()) == 9


@pytest.mark.django_db
def test_an_operation_keeps_the_parameters_it_read(season):
    with operation(SYSTEM, "test.parameters") as op:
        op.summary = "读取参数"
        evaluation_params.period(season, "opening_report_days_before_meeting")
    event = AuditEvent.objects.filter(action="test.parameters").get()
    used = event.data["parameters"]["periods.opening_report_days_before_meeting"]
    assert used["source"] == "season" and isinstance(used["value"], int)


def test_publicity_reads_its_period_through_the_accessor():
    s = fake_season(periods={"pre_evaluation_publicity_workdays": {"value": 5, "clause": "四（二）",
                                                              "text": "公示5个工作日"}})
    assert period_parameter(s, "pre_evaluation")[0] == 5

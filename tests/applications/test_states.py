"""The state table is the only way an application changes state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from zhicheng.applications.states import (
    GUARDS,
    STATE_INFO,
    STATES,
    TRANSITIONS,
    State,
    TransitionRefused,
    fire,
    move_to,
    render_markdown,
    transition_between,
)
from zhicheng.core.operations import SYSTEM, NotPermitted, StateConflict

DOC = Path(__file__).resolve().parents[2] / "docs" / "state-machine.md"

DESIGN_STATES = {
    "draft", "submitted", "unit_review", "unit_publicity", "preliminary_review",
    "correction_requested", "committee_recheck", "pre_evaluation_publicity",
    "ready_for_meeting", "passed", "not_passed", "result_publicity", "approved",
    "certificate_issued", "forwarded_to_province", "withdrawn", "rejected", "abandoned",
    "revoked",
}


def test_every_state_of_the_design_is_declared_with_a_chinese_label() -> None:
    assert {s.state.value for s in STATES} == DESIGN_STATES == {s.value for s in State}
    for info in STATES:
        assert info.label and all(ord(ch) > 0x2E80 for ch in info.label)
        assert info.clause


def test_transitions_reference_declared_states_and_have_unique_names() -> None:
    names = [t.name for t in TRANSITIONS]
    assert len(names) == len(set(names))
    for t in TRANSITIONS:
        assert t.target.value in STATE_INFO
        assert t.sources and all(s.value in STATE_INFO for s in t.sources)
        assert t.role


def test_final_states_have_no_way_out_except_revocation() -> None:
    for info in STATES:
        if info.final:
            outs = [t for t in TRANSITIONS if t.allows_from(info.state)]
            assert all(t.name == "revoke" for t in outs), info.state


def test_docs_are_rendered_from_the_table() -> None:
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "docs/state-machine.md is stale: run `zhicheng state_machine --markdown`"
    )
    call_command("state_machine", "--markdown", "--check")


def _force_state(app: Any, state: str) -> None:
    type(app).objects.filter(pk=app.pk).update(state=state)
    app.refresh_from_db()


@pytest.mark.django_db
def test_every_move_not_in_the_table_is_refused_whoever_asks(
    make_applicant: Any, make_draft: Any, demo_users: Any
) -> None:
    user = make_applicant()
    app = make_draft(user)
    actors = [user, SYSTEM, demo_users["city_office"], demo_users["unit_hr"]]
    demo_users["city_office"].is_superuser = True  # even a superuser cannot
    for source in State:
        for target in State:
            if transition_between(source, target) is not None:
                continue
            _force_state(app, source)
            for actor in actors:
                with pytest.raises(StateConflict), transaction.atomic():
                    move_to(app, target, actor)
                app.refresh_from_db()
                assert app.state == source


@pytest.mark.django_db
def test_unknown_transition_and_unimplemented_guards_are_refused(
    make_applicant: Any, make_draft: Any, demo_users: Any, monkeypatch: Any
) -> None:
    user = make_applicant()
    app = make_draft(user)
    with pytest.raises(TransitionRefused, match="没有"), transaction.atomic():
        fire(app, "approve_everything", user)
    _force_state(app, State.SUBMITTED)
    # A transition whose guard is not registered cannot fire.
    monkeypatch.delitem(GUARDS, "in_unit_jurisdiction", raising=False)
    app.employer_id = demo_users["unit_hr"].memberships.first().organisation_id
    with pytest.raises(TransitionRefused, match="尚未"), transaction.atomic():
        fire(app, "unit_start_review", demo_users["unit_hr"])


@pytest.mark.django_db
def test_the_role_in_the_table_is_enforced(
    make_applicant: Any, make_draft: Any
) -> None:
    owner, other = make_applicant(), make_applicant()
    app = make_draft(owner)
    for actor in (other, SYSTEM):
        with pytest.raises(NotPermitted), transaction.atomic():
            fire(app, "withdraw", actor)
    with transaction.atomic():
        fire(app, "withdraw", owner)
    assert app.state == State.WITHDRAWN

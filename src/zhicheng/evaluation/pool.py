"""Compatibility shim: the pool writes now live in `evaluation.operations`.

Only the demo seeding (`evaluation/demo.py`) still imports this module; it goes away when the
demo moves to `zhicheng/demo/` and imports `evaluation.operations` instead."""

from .operations import (  # noqa: F401  (re-exported for the demo seeding)
    add_expert,
    create_committee,
    declare_conflict,
    seat_member,
    set_expert_active,
    set_member_role,
    unseat_member,
)

"""Who performs an operation: a signed-in person or the system (scheduled tasks, imports).

`Actor` is only a type; import it under TYPE_CHECKING where a runtime import would run up the
layers (core must not import the accounts app at runtime).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from zhicheng.accounts.models import User

class System:
    """The actor for scheduled tasks and data imports; recorded as 系统 in the audit."""

    pk = None
    is_authenticated = False

    def __str__(self) -> str:
        return "系统"


SYSTEM = System()

class Outsider:
    """An actor without an account who may still start an audited step (a member of the
    public filing an objection, a visitor whose login failed). Subclasses say how the audit
    names them; permissions never admit them (the door's check wants a person)."""

    pk = None
    is_authenticated = False
    is_active = False


# A view hands the door `request.user`, which may be an anonymous visitor: the door's
# permission check refuses them, so the type admits them.
# Evaluated lazily, so User and AnonymousUser are needed only by the type checker.
type Actor = User | AnonymousUser | System | Outsider


def person(actor: Actor) -> User:
    """The signed-in person behind `actor`, where an operation records who acted (a foreign
    key to the user). The door has already refused anonymous visitors; the system actor
    never reaches these places, so either is a programming error, not a refusal."""
    if actor is SYSTEM or not getattr(actor, "is_authenticated", False):
        raise TypeError(f"an operation that records a person was called by {actor}")
    return cast("User", actor)


def person_or_none(actor: Actor | None) -> User | None:
    """The signed-in person behind `actor`, or None for the system actor (recorded as 系统)."""
    if actor is None or actor is SYSTEM or not getattr(actor, "is_authenticated", False):
        return None
    return cast("User", actor)

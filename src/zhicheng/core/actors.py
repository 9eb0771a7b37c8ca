"""Who performs an operation: a signed-in person or the system (scheduled tasks, imports).

`Actor` is only a type; import it under TYPE_CHECKING where a runtime import would run up the
layers (core must not import the accounts app at runtime).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

# A view hands the door `request.user`, which may be an anonymous visitor: the door's
# permission check refuses them, so the type admits them.
# Evaluated lazily, so User and AnonymousUser are needed only by the type checker.
type Actor = User | AnonymousUser | System

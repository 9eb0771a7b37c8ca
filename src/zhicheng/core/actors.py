"""Who performs an operation: a signed-in person or the system (scheduled tasks, imports).

`Actor` is only a type; import it under TYPE_CHECKING where a runtime import would run up the
layers (core must not import the accounts app at runtime).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .operations import System

if TYPE_CHECKING:
    from zhicheng.accounts.models import User

type Actor = User | System  # evaluated lazily, so User is needed only by the type checker

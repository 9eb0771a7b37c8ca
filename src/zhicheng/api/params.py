"""Shared input types: bounded ids and text without NUL (PostgreSQL refuses NUL in text),
and the page parameters (limit with a maximum, offset)."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

MAX_ID = 2**63 - 1
MAX_OFFSET = 1_000_000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
# Reasons and opinions: something besides blanks (the operations need a written reason).
Written = Annotated[str, StringConstraints(pattern=r"^[^\x00]*[^\x00\s][^\x00]*$", max_length=2000)]


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=200, description="items per page (at most 200)")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

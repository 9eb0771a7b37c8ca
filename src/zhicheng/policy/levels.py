"""Title levels (层级). The codes are used everywhere: data files, profiles, decisions."""

from __future__ import annotations

from typing import Literal

LevelCode = Literal["entry", "assistant", "intermediate", "associate_senior", "full_senior"]

LEVELS: tuple[LevelCode, ...] = (
    "entry",
    "assistant",
    "intermediate",
    "associate_senior",
    "full_senior",
)
LEVEL_RANK: dict[str, int] = {code: rank for rank, code in enumerate(LEVELS)}
LEVEL_NAMES: dict[str, str] = {
    "entry": "员级",
    "assistant": "助理级",
    "intermediate": "中级",
    "associate_senior": "副高级",
    "full_senior": "正高级",
}
# 初级 = 员级 + 助理级; 高级 = 副高级 + 正高级 (the notice speaks of 初级/中级/高级).
JUNIOR: frozenset[str] = frozenset({"entry", "assistant"})
SENIOR: frozenset[str] = frozenset({"associate_senior", "full_senior"})


def level_name(code: str) -> str:
    return LEVEL_NAMES.get(code, code)


def band(code: str) -> str:
    """初级 / 中级 / 高级 as the notice groups levels."""
    if code in JUNIOR:
        return "初级"
    if code in SENIOR:
        return "高级"
    return "中级"

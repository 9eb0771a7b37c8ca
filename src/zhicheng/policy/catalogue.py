"""The title catalogue: series -> levels -> title names, and specialties.

Read from data/catalogue.toml.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

from zhicheng.policy.levels import LEVEL_RANK, LEVELS, level_name

CATALOGUE_PATH = Path(__file__).parent / "data" / "catalogue.toml"
CONFIDENCES = ("H", "M", "L")


class CatalogueError(ValueError):
    """The catalogue file is inconsistent (message names the series and field)."""


@dataclass(frozen=True)
class Series:
    code: str
    name: str
    name_en: str
    confidence: str
    source: str
    specialties: tuple[str, ...]
    titles: dict[str, tuple[str, ...]]

    @property
    def levels(self) -> tuple[str, ...]:
        """Levels the series has, lowest first (a level with no confirmed name still counts)."""
        return tuple(level for level in LEVELS if level in self.titles)

    @property
    def lowest_level(self) -> str | None:
        return self.levels[0] if self.levels else None

    def has_level(self, level: str) -> bool:
        # A series whose names are unconfirmed (empty titles) is assumed to have every level.
        return not self.titles or level in self.titles

    def previous_level(self, level: str) -> str | None:
        """The level below `level` in this series, or None when `level` is the lowest."""
        rank = LEVEL_RANK[level]
        levels = self.levels or LEVELS
        lower = [lv for lv in levels if LEVEL_RANK[lv] < rank]
        return lower[-1] if lower else None

    def title_name(self, level: str) -> str:
        names = self.titles.get(level)
        return "、".join(names) if names else f"{self.name}{_level_word(level)}"


def _level_word(level: str) -> str:
    return level_name(level)


@dataclass(frozen=True)
class Catalogue:
    series: dict[str, Series]
    _by_title: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    _by_specialty: dict[str, str] = field(default_factory=dict)

    def get(self, code: str) -> Series | None:
        return self.series.get(code)

    def __getitem__(self, code: str) -> Series:
        return self.series[code]

    def __contains__(self, code: object) -> bool:
        return code in self.series

    def lookup_title(self, name: str) -> list[tuple[str, str]]:
        """(series code, level code) pairs for a title name; several series may share a name."""
        return list(self._by_title.get(name.strip(), []))

    def series_of_specialty(self, specialty: str) -> str | None:
        return self._by_specialty.get(normalise_specialty(specialty))

    @property
    def specialties(self) -> dict[str, str]:
        return dict(self._by_specialty)

    @cached_property
    def _context_names(self) -> dict[tuple[str, str], str]:
        """Memo of Context.title_name per (series code, level): it reads only this catalogue."""
        return {}


@lru_cache(maxsize=4096)
def normalise_specialty(text: str) -> str:
    """Drop level qualifiers the attachment adds, e.g. 统计（高级） -> 统计."""
    out = text.strip().replace("(", "（").replace(")", "）")
    for suffix in ("（高级）", "（含高级）", "（实验师）"):
        out = out.replace(suffix, "")
    return out.strip()


def split_specialties(text: str) -> list[str]:
    """Split an attachment cell like “自然科学研究、实验技术” on 、 outside parentheses."""
    parts: list[str] = []
    depth = 0
    current = ""
    for char in text.replace("(", "（").replace(")", "）"):
        if char == "（":
            depth += 1
        elif char == "）":
            depth = max(depth - 1, 0)
        if char in "、，" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def parse_catalogue(data: dict[str, object]) -> Catalogue:
    raw = data.get("series")
    if not isinstance(raw, list) or not raw:
        raise CatalogueError("catalogue.toml: 缺少 [[series]]")
    series: dict[str, Series] = {}
    by_title: dict[str, list[tuple[str, str]]] = {}
    by_specialty: dict[str, str] = {}
    for index, item in enumerate(raw):
        where = f"series[{index}]"
        if not isinstance(item, dict):
            raise CatalogueError(f"{where}: 应为表")
        for key in ("code", "name", "name_en", "confidence", "source"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise CatalogueError(f"{where}.{key}: 必填文本")
        code = item["code"]
        if code in series:
            raise CatalogueError(f"{where}.code: 系列代码“{code}”重复")
        if item["confidence"] not in CONFIDENCES:
            raise CatalogueError(f"{where}.confidence: 应为 H/M/L")
        titles_raw = item.get("titles", {})
        if not isinstance(titles_raw, dict):
            raise CatalogueError(f"{where}.titles: 应为表")
        titles: dict[str, tuple[str, ...]] = {}
        for level, names in titles_raw.items():
            if level not in LEVEL_RANK:
                raise CatalogueError(f"{where}.titles.{level}: 未知层级代码")
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise CatalogueError(f"{where}.titles.{level}: 应为职称名称列表")
            titles[level] = tuple(names)
            for name in names:
                by_title.setdefault(name, []).append((code, level))
        specialties = item.get("specialties", [])
        if not isinstance(specialties, list):
            raise CatalogueError(f"{where}.specialties: 应为列表")
        for specialty in specialties:
            key = normalise_specialty(specialty)
            if key in by_specialty:
                raise CatalogueError(
                    f"{where}.specialties: 专业“{specialty}”已属于系列 {by_specialty[key]}"
                )
            by_specialty[key] = code
        series[code] = Series(
            code=code,
            name=item["name"],
            name_en=item["name_en"],
            confidence=item["confidence"],
            source=item["source"],
            specialties=tuple(specialties),
            titles=dict(sorted(titles.items(), key=lambda kv: LEVEL_RANK[kv[0]])),
        )
    return Catalogue(series=series, _by_title=by_title, _by_specialty=by_specialty)


@cache
def load_catalogue(path: Path | None = None) -> Catalogue:
    with (path or CATALOGUE_PATH).open("rb") as fh:
        return parse_catalogue(tomllib.load(fh))

"""A season's parameters, read from `seasons/<code>/*.toml`. Every value carries its source.

`season.toml` (lead-written) holds the dates and periods of the notice; the other files hold the
tables the eligibility rules read (requirements, exams, education, qualifications, initial
determination, continuing education, eligibility). Formulas live in code; numbers live here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from zhicheng.policy.levels import LEVEL_RANK

SEASONS_DIR = Path(__file__).parent / "seasons"


def default_season_code(directory: Path = SEASONS_DIR) -> str:
    """The installed package used when no season is named (a command without a database): the
    newest installed package that is not an example (`example = true` in its manifest).
    With a database, the default is the current published season (`seasons.queries`)."""

    found: list[tuple[int, str]] = []
    for manifest in sorted(directory.glob("*/manifest.toml")):
        try:
            head = tomllib.loads(manifest.read_text(encoding="utf-8")).get("package", {})
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if head.get("example"):
            continue
        code = str(head.get("code") or manifest.parent.name)
        year = code.rsplit("-", 1)[-1]
        found.append((int(year) if year.isdigit() else 0, code))
    return max(found)[1] if found else ""


DEFAULT_SEASON = default_season_code()
DATA_FILES = (
    "season.toml",
    "requirements.toml",
    "exams.toml",
    "education.toml",
    "qualifications.toml",
    "initial_determination.toml",
    "continuing_education.toml",
    "eligibility.toml",
)


class SeasonDataError(ValueError):
    """A season data file is missing a value or holds a wrong one (names file and key)."""


@dataclass(frozen=True, slots=True)
class DatedValue:
    value: dt.date
    clause: str
    text: str


@dataclass(frozen=True, slots=True)
class Requirement:
    """One cell of a series requirement table."""

    education: str
    allowed: bool = True
    direct: bool = False
    internship_years: int | None = None
    after: str | None = None
    years: int = 0
    confidence: str = "H"
    source: str = ""

    @property
    def needs_previous_title(self) -> bool:
        return self.allowed and self.after is not None

    @property
    def required_years(self) -> int:
        if self.internship_years is not None:
            return self.internship_years
        return self.years


@dataclass(frozen=True)
class RequirementTable:
    code: str
    series: tuple[str, ...]
    confidence: str
    source: str
    levels: dict[str, dict[str, Requirement]]


@dataclass(frozen=True, slots=True)
class HoursRule:
    from_year: int
    to_year: int
    total: float
    public: float
    professional: float
    confidence: str
    source: str


@dataclass(frozen=True, slots=True)
class QualificationMapping:
    qualification: str
    series: str
    level: str
    confidence: str


@dataclass(frozen=True, slots=True)
class InitialRow:
    item: str
    education: frozenset[str]
    level: str
    internship_years: int
    text: str


@dataclass(frozen=True)
class Season:
    code: str
    year: int
    city: str
    name: str
    notice_number: str
    directory: Path | None
    dates: dict[str, DatedValue]
    periods: dict[str, dict[str, Any]]
    initial_round_months: frozenset[int]
    education_order: tuple[str, ...]
    education_names: dict[str, str]
    tables: dict[str, RequirementTable]
    table_by_series: dict[str, str]
    default_table: str
    raw: dict[str, dict[str, Any]] = field(repr=False)
    hours: tuple[HoursRule, ...] = ()
    qualification_rows: dict[str, QualificationMapping] = field(default_factory=dict)
    initial_rows: tuple[InitialRow, ...] = ()
    initial_excluded: dict[str, dict[str, str]] = field(default_factory=dict)
    # The plan table (attachment) as the rules read it: row number -> PlanRow.
    plans: dict[int, Any] = field(default_factory=dict)

    # --- convenience -------------------------------------------------------------------
    @cached_property
    def seniority_cutoff(self) -> dt.date:
        return self.dates["seniority_cutoff"].value

    @cached_property
    def materials_cutoff(self) -> dt.date:
        return self.dates["materials_cutoff"].value

    @property
    def transition_end(self) -> dt.date:
        return self.dates["education_transition_end"].value

    def section(self, file: str, key: str | None = None) -> dict[str, Any]:
        """A table of one data file, e.g. section("eligibility", "barred")."""
        found = self._sections.get((file, key))
        if found is not None:
            return found
        found = self._section(file, key)
        self._sections[(file, key)] = found
        return found

    @cached_property
    def _sections(self) -> dict[tuple[str, str | None], dict[str, Any]]:
        return {}

    def _section(self, file: str, key: str | None) -> dict[str, Any]:
        data = self.raw[file]
        if key is None:
            return data
        try:
            value = data[key]
        except KeyError as exc:
            raise SeasonDataError(f"{self.code}/{file}.toml: 缺少 [{key}]") from exc
        if not isinstance(value, dict):
            raise SeasonDataError(f"{self.code}/{file}.toml: [{key}] 应为表")
        return value

    def period(self, name: str) -> int:
        return int(self.periods[name]["value"])

    @cached_property
    def notice(self) -> str:
        """The notice as decisions cite it: number and title."""
        return f"{self.notice_number}《{self.section('season', 'season')['notice_title']}》"

    # Lookups the rules make for every profile, computed once per Season object (the season is
    # immutable; dataclasses.replace() builds a new object with empty caches).
    @cached_property
    def city_names(self) -> frozenset[str]:
        """The season's city and its aliases (一（一）), as employment cities are compared."""
        aliases = self.section("eligibility", "employment")["city_aliases"]
        return frozenset({self.city, *aliases})

    @cached_property
    def _education_ranks(self) -> dict[str, int]:
        ranks: dict[str, int] = {}
        for rank, level in enumerate(self.education_order):
            ranks.setdefault(level, rank)
        return ranks

    @cached_property
    def _requirement_cache(self) -> dict[tuple[str, str, str], Requirement | None]:
        return {}

    @cached_property
    def _hours_cache(self) -> dict[int, HoursRule | None]:
        return {}

    @cached_property
    def _segments_cache(
        self,
    ) -> dict[tuple[int, int], tuple[tuple[range, HoursRule | None], ...]]:
        return {}

    @cached_property
    def _rule_memos(self) -> dict[int, tuple[object, dict[Hashable, Any]]]:
        return {}

    def rule_memo(self, catalogue: object) -> dict[Hashable, Any]:
        """Results of the rules that read only the request, for this season and catalogue.

        A rule may keep here what it computed from (series, level, specialty, route, plan row):
        those values are pure functions of the key, the season and the catalogue, and a batch
        repeats them thousands of times. Keyed by the catalogue object (identity, not value).
        """
        entry = self._rule_memos.get(id(catalogue))
        if entry is None or entry[0] is not catalogue:
            entry = self._rule_memos[id(catalogue)] = (catalogue, {})
        return entry[1]

    def education_rank(self, level: str) -> int:
        """-1 for anything below the lowest recognised level."""
        return self._education_ranks.get(level, -1)

    def education_name(self, level: str) -> str:
        return self.education_names.get(level, level)

    def requirement_table(self, series: str) -> RequirementTable:
        return self.tables[self.table_by_series.get(series, self.default_table)]

    def requirement(self, series: str, level: str, education: str) -> Requirement | None:
        """The cell for `education` (falling back to lower educations); None = no cell at all."""
        key = (series, level, education)
        cache = self._requirement_cache
        try:
            return cache[key]
        except KeyError:
            found = cache[key] = self._find_requirement(series, level, education)
            return found

    def _find_requirement(self, series: str, level: str, education: str) -> Requirement | None:
        table = self.requirement_table(series)
        cells = table.levels.get(level)
        if not cells:
            return None
        rank = self.education_rank(education)
        for candidate in reversed(self.education_order[: rank + 1]):
            if candidate in cells:
                cell = cells[candidate]
                if candidate != education and not cell.allowed and rank >= 0:
                    # "–" for a lower education does not bar a higher one that has no cell.
                    continue
                return cell
        return Requirement(
            education=education, allowed=False, confidence=table.confidence, source=table.source
        )

    def hours_segments(self, first: int, last: int) -> tuple[tuple[range, HoursRule | None], ...]:
        """Years first..last split into runs that share hours_for(year), in year order."""
        key = (first, last)
        cache = self._segments_cache
        found = cache.get(key)
        if found is None:
            runs: list[tuple[range, HoursRule | None]] = []
            start = first
            current = self.hours_for(first) if first <= last else None
            for year in range(first + 1, last + 1):
                rule = self.hours_for(year)
                if rule is not current:
                    runs.append((range(start, year), current))
                    start, current = year, rule
            if first <= last:
                runs.append((range(start, last + 1), current))
            found = tuple(runs)
            if len(cache) < 65536:
                cache[key] = found
        return found

    def hours_for(self, year: int) -> HoursRule | None:
        cache = self._hours_cache
        try:
            return cache[year]
        except KeyError:
            pass
        found = None
        for rule in self.hours:
            if rule.from_year <= year <= rule.to_year:
                found = rule
                break
        cache[year] = found
        return found


def _need(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise SeasonDataError(f"{where}: 缺少 {key}")
    return data[key]


def _parse_tables(
    data: dict[str, Any], code: str, education_order: tuple[str, ...]
) -> tuple[dict[str, RequirementTable], dict[str, str], str]:
    where = f"{code}/requirements.toml"
    tables: dict[str, RequirementTable] = {}
    by_series: dict[str, str] = {}
    for table_code, raw in _need(data, "tables", where).items():
        tw = f"{where} [tables.{table_code}]"
        confidence = _need(raw, "confidence", tw)
        source = _need(raw, "source", tw)
        levels: dict[str, dict[str, Requirement]] = {}
        for level, cells in raw.get("levels", {}).items():
            if level not in LEVEL_RANK:
                raise SeasonDataError(f"{tw}.levels.{level}: 未知层级代码")
            parsed: dict[str, Requirement] = {}
            for education, cell in cells.items():
                cw = f"{tw}.levels.{level}.{education}"
                if education not in education_order:
                    raise SeasonDataError(f"{cw}: 未知学历代码")
                after = cell.get("after")
                if after is not None and (
                    after not in LEVEL_RANK or LEVEL_RANK[after] >= LEVEL_RANK[level]
                ):
                    raise SeasonDataError(f"{cw}.after: 应为低于 {level} 的层级")
                kinds = sum(
                    (
                        bool(cell.get("direct")),
                        "internship_years" in cell,
                        after is not None,
                        cell.get("allowed") is False,
                    )
                )
                if kinds != 1:
                    raise SeasonDataError(
                        f"{cw}: 须且只能写 direct / internship_years / "
                        "after+years / allowed=false 之一"
                    )
                parsed[education] = Requirement(
                    education=education,
                    allowed=cell.get("allowed", True),
                    direct=bool(cell.get("direct", False)),
                    internship_years=cell.get("internship_years"),
                    after=after,
                    years=int(cell.get("years", 0)),
                    confidence=cell.get("confidence", confidence),
                    source=cell.get("source", source),
                )
            levels[level] = parsed
        tables[table_code] = RequirementTable(
            code=table_code,
            series=tuple(raw.get("series", [])),
            confidence=confidence,
            source=source,
            levels=levels,
        )
        for series in raw.get("series", []):
            if series in by_series:
                raise SeasonDataError(f"{tw}: 系列 {series} 已属于表 {by_series[series]}")
            by_series[series] = table_code
    default = _need(data, "default_table", where)
    if default not in tables:
        raise SeasonDataError(f"{where}: default_table “{default}” 不存在")
    return tables, by_series, default


def parse_season(code: str, directory: Path | None, raw: dict[str, dict[str, Any]]) -> Season:
    season_data = raw["season"]
    head = _need(season_data, "season", f"{code}/season.toml")
    dates: dict[str, DatedValue] = {}
    for key, item in _need(season_data, "dates", f"{code}/season.toml").items():
        w = f"{code}/season.toml [dates.{key}]"
        value = _need(item, "value", w)
        if not isinstance(value, dt.date):
            raise SeasonDataError(f"{w}.value: 应为日期")
        dates[key] = DatedValue(value, _need(item, "clause", w), _need(item, "text", w))
    for key in ("seniority_cutoff", "materials_cutoff", "education_transition_end"):
        if key not in dates:
            raise SeasonDataError(f"{code}/season.toml: 缺少 [dates.{key}]")
    education = raw["education"]
    order = tuple(_need(_need(education, "levels", "education.toml"), "order", "education.toml"))
    names = dict(education["levels"].get("names", {}))
    tables, by_series, default = _parse_tables(raw["requirements"], code, order)

    hours = tuple(
        HoursRule(
            from_year=int(h["from_year"]),
            to_year=int(h["to_year"]),
            total=float(h["total"]),
            public=float(h["public"]),
            professional=float(h["professional"]),
            confidence=h["confidence"],
            source=h["source"],
        )
        for h in raw["continuing_education"].get("hours", [])
    )
    rows = {
        r["qualification"]: QualificationMapping(
            r["qualification"], r["series"], r["level"], r.get("confidence", "L")
        )
        for r in raw["qualifications"].get("mapping", {}).get("rows", [])
    }
    initial = raw["initial_determination"]
    initial_rows = tuple(
        InitialRow(
            item=r["item"],
            education=frozenset(r["education"]),
            level=r["level"],
            internship_years=int(r["internship_years"]),
            text=r["text"],
        )
        for r in initial.get("table", [])
    )
    excluded = {e["series"]: e for e in initial.get("excluded_series", [])}
    return Season(
        code=code,
        year=int(head["year"]),
        city=head["city"],
        name=head["name"],
        notice_number=head["notice_number"],
        directory=directory,
        dates=dates,
        periods=dict(season_data.get("periods", {})),
        initial_round_months=frozenset(
            season_data.get("initial_determination", {}).get("round_months", [])
        ),
        education_order=order,
        education_names=names,
        tables=tables,
        table_by_series=by_series,
        default_table=default,
        raw=raw,
        hours=hours,
        qualification_rows=rows,
        initial_rows=initial_rows,
        initial_excluded=excluded,
    )


def read_season(code: str, directory: Path | None = None) -> Season:
    """The season of a package folder (docs/seasons.md); every problem named or none loaded."""
    # cycle: package.py imports this module
    from zhicheng.policy.package import PackageRefused, load_package

    base = directory or SEASONS_DIR / code
    try:
        _data, season = load_package(base)
    except PackageRefused as refused:
        raise SeasonDataError(f"{code}: " + "；".join(str(p) for p in refused.problems)) from None
    return dataclasses.replace(season, directory=base)


@cache
def load_season(code: str = DEFAULT_SEASON) -> Season:
    return read_season(code)

"""Facts the rules share, computed once per profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar, overload

from zhicheng.policy import dates
from zhicheng.policy.catalogue import Catalogue, Series
from zhicheng.policy.decision import ExcludedMaterial, ExcludedYear, Material, Seniority
from zhicheng.policy.education import Recognised, describe, recognise
from zhicheng.policy.levels import LEVEL_RANK, level_name
from zhicheng.policy.profile import Profile, TitleHeld
from zhicheng.policy.season import Requirement, Season

EXCLUDED_GRADES = {
    "basically_competent": "考核基本合格（基本称职）",
    "incompetent": "考核不合格（不称职）",
}
_EXCLUDED_REASONS = {
    grade: f"{name}，该考核年度不计算资历" for grade, name in EXCLUDED_GRADES.items()
}


@lru_cache(maxsize=1024)
def _material(name: str, clause: str) -> Material:
    """Material is an immutable value: the same (name, clause) can be one shared object."""
    return Material(name, clause)


@lru_cache(maxsize=512)
def _year_span(year: int) -> dates.Span:
    return dates.year_span(year)


# Entries kept per season and catalogue in Context.memo: request-keyed results are small, and a
# season has far fewer distinct requests than this; past the limit results are just not kept.
MEMO_LIMIT = 20_000
T = TypeVar("T")


class fact[V]:
    """functools.cached_property without its checks: a Context fact computed on first use.

    The engine reads about a dozen facts per profile; cached_property's Python-level __get__
    (attribute-name checks, sentinel lookup) cost more than some of the facts themselves. The
    value is stored in the instance __dict__, so later reads do not reach the descriptor.
    """

    __slots__ = ("func", "name")

    def __init__(self, func: Callable[[Any], V]) -> None:
        self.func = func
        self.name = func.__name__

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> fact[V]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> V: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> V | fact[V]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


ROUTE_LABELS = {
    "normal": "正常申报",
    "initial_determination": "职称初定",
    "same_level_transfer": "同级转评",
    "education_exception": "学历破格（持地方职称）",
    "assessment_recognition": "考核认定",
}


@dataclass(frozen=True, slots=True)
class TitleFact:
    """A title (or a qualification that stands for one) the applicant can build on."""

    series: str
    level: str
    date: dt.date
    kind: str  # national / local / out_of_town / qualification
    via: str
    label: str
    record: TitleHeld | None = None
    confidence: str = "H"


class Context:
    def __init__(self, profile: Profile, season: Season, catalogue: Catalogue) -> None:
        self.profile = profile
        self.season = season
        self.catalogue = catalogue
        req = profile.request
        self.request = req
        self.series: Series = catalogue[req.series]
        self.level: str = req.level
        self.route: str = req.route
        self.date: dt.date = req.application_date
        self.cutoff: dt.date = season.seniority_cutoff
        self.materials: list[Material] = []
        self._material_names: set[str] = set()
        self.excluded: list[ExcludedMaterial] = []
        self.flags: list[str] = []
        self.seniority: Seniority | None = None
        # Request-keyed rule results shared across profiles (Season.rule_memo); bounded.
        self.memo = season.rule_memo(catalogue)

    def remember(self, key: Hashable, value: T) -> T:
        """Keep `value` under `key` in the shared memo (until it holds MEMO_LIMIT entries)."""
        if len(self.memo) < MEMO_LIMIT:
            self.memo[key] = value
        return value

    # --- materials -------------------------------------------------------------------
    def need(self, name: str, clause: str) -> None:
        if name not in self._material_names:
            self._material_names.add(name)
            self.materials.append(_material(name, clause))

    def exclude(self, kind: str, ident: str, title: str, reason: str, clause: str) -> None:
        self.excluded.append(ExcludedMaterial(kind, ident, title, reason, clause))

    # --- names -------------------------------------------------------------------------
    def title_name(self, series_code: str, level: str) -> str:
        names = self.catalogue._context_names
        key = (series_code, level)
        name = names.get(key)
        if name is None:
            name = self._title_name(series_code, level)
            if len(names) < 4096:
                names[key] = name
        return name

    def _title_name(self, series_code: str, level: str) -> str:
        series = self.catalogue.get(series_code)
        if series is None:
            return f"{series_code}{level_name(level)}"
        if series.titles.get(level):
            return f"{series.title_name(level)}（{series.name}{level_name(level)}）"
        return f"{series.name}{level_name(level)}职称"

    @fact
    def target_name(self) -> str:
        return self.title_name(self.series.code, self.level)

    # --- education ---------------------------------------------------------------------
    @fact
    def education(self) -> list[Recognised]:
        return [recognise(i, ed, self.season) for i, ed in enumerate(self.profile.education)]

    @fact
    def best_education(self) -> Recognised | None:
        best: Recognised | None = None
        best_rank = -2
        for item in self.education:
            if item.level is None:
                continue
            rank = self.season.education_rank(item.level)
            if rank > best_rank or (
                best is not None and rank == best_rank and item.record.date < best.record.date
            ):
                best, best_rank = item, rank
        return best

    @fact
    def no_education_reason(self) -> str:
        """Why no education counts, naming each record's kind (二（三）), for the messages."""
        if not self.education:
            return "未填写学历"
        parts = []
        for item in self.education:
            record = item.record
            what = f"{describe(record, self.season)}（{record.date.isoformat()}）"
            if record.kind == "training_certificate":
                parts.append(f"{what}不能作为学历依据（{item.clause}）")
            elif record.date > self.season.materials_cutoff:
                parts.append(f"{what}晚于学历（学位）截止时间{self.season.materials_cutoff}")
            else:
                parts.append(f"{what}未予认定（{item.clause}）")
        return "；".join(parts)

    @fact
    def education_level(self) -> str:
        best = self.best_education
        return best.level if best and best.level else "below_secondary"

    @fact
    def education_phrase(self) -> str:
        """最高认可学历为…, or why none counts (the records and the clauses setting them aside)."""
        if self.best_education is None:
            return f"没有可认定的学历（{self.no_education_reason}）"
        return f"最高认可学历为{self.education_label}"

    @fact
    def education_label(self) -> str:
        return self.season.education_name(self.education_level)

    # --- titles -------------------------------------------------------------------------
    @fact
    def titles(self) -> list[TitleFact]:
        """National and out-of-town titles, plus qualifications mapped to titles (二（四）)."""
        facts: list[TitleFact] = []
        for t in self.profile.titles:
            if t.kind == "local":
                continue
            facts.append(
                TitleFact(
                    t.series,
                    t.level,
                    t.date,
                    t.kind,
                    t.obtained_via,
                    f"{'外地' if t.kind == 'out_of_town' else ''}"
                    f"{self.title_name(t.series, t.level)}（{t.date.isoformat()}取得）",
                    t,
                )
            )
        rows = self.season.qualification_rows
        for q in self.profile.qualifications:
            if q.kind != "vocational" or q.name not in rows:
                continue
            row = rows[q.name]
            facts.append(
                TitleFact(
                    row.series,
                    row.level,
                    q.obtained_on,
                    "qualification",
                    "qualification",
                    f"职业资格“{q.name}”（{q.obtained_on.isoformat()}取得，对应"
                    f"{self.title_name(row.series, row.level)}）",
                    None,
                    row.confidence,
                )
            )
        return facts

    @fact
    def local_titles(self) -> list[TitleHeld]:
        return [t for t in self.profile.titles if t.kind == "local"]

    def titles_at(self, level: str, series: str | None = None) -> list[TitleFact]:
        return sorted(
            (t for t in self.titles if t.level == level and (series is None or t.series == series)),
            key=lambda t: (t.kind == "qualification", t.date),
        )

    def holds_at_least(self, level: str, series: str) -> list[TitleFact]:
        rank = LEVEL_RANK[level]
        return [
            t
            for t in self.titles
            if t.series == series and LEVEL_RANK[t.level] >= rank and t.kind != "qualification"
        ]

    # --- special routes -------------------------------------------------------------------
    @fact
    def special_route_names(self) -> list[str]:
        sr = self.profile.special_routes
        names = []
        if sr.overseas_returnee:
            names.append("海外归国人员")
        if sr.party_government_exchange:
            names.append("党政机关交流人员")
        if sr.military_transfer:
            names.append("部队转业安置人员")
        return names

    @fact
    def first_application(self) -> bool:
        explicit = self.profile.special_routes.first_application
        if explicit is not None:
            return explicit and not self.profile.titles
        return not self.profile.titles

    @fact
    def special_exception(self) -> bool:
        """二（一）: returnees, exchanged officials, transferred officers on a first application."""
        return bool(self.special_route_names) and self.first_application

    # --- 以考代评 -------------------------------------------------------------------------
    @fact
    def exam_instead_of_evaluation(self) -> str | None:
        """二（七）: the name of the 以考代评 specialty the request falls in, else None."""
        section = self.season.section("exams", "exam_instead_of_evaluation")
        if self.level not in section["levels"]:
            return None
        for item in section["specialties"]:
            if item["series"] != self.series.code:
                continue
            if item["specialties"] and self.request.specialty not in item["specialties"]:
                continue
            return str(item["name"])
        return None

    # --- requirements -------------------------------------------------------------------
    @fact
    def requirement(self) -> Requirement | None:
        return self.season.requirement(self.series.code, self.level, self.education_level)

    @fact
    def grassroots_valid(self) -> bool:
        emp = self.profile.employment
        sectors = self.season.section("eligibility", "grassroots")["sectors"]
        return (
            self.profile.special_routes.grassroots_directional
            and emp.sector in sectors
            and emp.grassroots
            and emp.employer_kind == "public_institution"
        )

    def basis_title(self) -> TitleFact | None:
        """The title at the requirement's previous level in the target series (earliest)."""
        return self._basis_title

    @fact
    def _basis_title(self) -> TitleFact | None:
        req = self.requirement
        if req is None or req.after is None:
            return None
        found = self.titles_at(req.after, self.series.code)
        return found[0] if found else None

    def transfer_origin(self, title: TitleFact) -> TitleFact:
        """For a title obtained by same-level transfer, the original title (二（八）1)."""
        if title.via != "same_level_transfer":
            return title
        same = [
            t
            for t in self.titles
            if t.level == title.level
            and t.series != title.series
            and t.kind != "qualification"
            and t.date <= title.date
        ]
        return min(same, key=lambda t: t.date) if same else title

    # --- the title an application builds on, per route -------------------------------------
    @fact
    def transfer_source(self) -> TitleFact | None:
        """同级转评: the same-level title in another series being transferred (earliest)."""
        sources = [
            t
            for t in self.titles_at(self.level)
            if t.series != self.series.code and t.kind in ("national", "out_of_town")
        ]
        return sources[0] if sources else None

    @fact
    def local_exception_basis(self) -> tuple[TitleHeld, Seniority] | None:
        """学历破格 (二（十）): the local title used as the basis, with its years counted.

        The best candidate: a title in the series applied for first, then one whose years are
        met, then the highest level. Computed here so the rules that run before
        `title.local_exception` (二（九） continuing education) use the same basis.
        """
        if not self.local_titles:
            return None
        years_by_level = self.season.section("eligibility", "local_titles")["years"]
        candidates = []
        for t in self.local_titles:
            required = int(years_by_level[t.level]) * 12
            sen = self.count_seniority(t.date, f"取得地方{level_name(t.level)}职称", required)
            candidates.append((t, sen))
        candidates.sort(
            key=lambda c: (c[0].series != self.series.code, not c[1].met, -LEVEL_RANK[c[0].level])
        )
        return candidates[0]

    @fact
    def continuing_anchor(self) -> tuple[dt.date, str] | None:
        """Where the continuing-education years start (二（九）), and "after what" in words.

        The years checked are those after the title this application builds on: the previous
        level in the series (for a title obtained by transfer, the original title, since the
        years count continuously, 二（八）1), the title being transferred (同级转评), the local
        title used for 学历破格 (二（十）). With no such title, the last title held, else the
        education (a first title).
        """
        route = self.route
        if route == "education_exception":
            found = self.local_exception_basis
            if found is not None:
                title = found[0]
                name = self.title_name(title.series, title.level)
                return title.date, f"地方{name}（{title.date.isoformat()}取得）后"
        elif route == "same_level_transfer":
            source = self.transfer_source
            if source is not None:
                return source.date, f"{source.label}后"
        else:
            req = self.requirement
            if req is not None and req.allowed and req.after is not None:
                basis = self.basis_title()
                if basis is not None:
                    origin = self.transfer_origin(basis)
                    if origin is not basis:
                        return origin.date, f"{origin.label}后（转评为{basis.label}，年限连续计算）"
                    return basis.date, f"{basis.label}后"
        held = [t for t in self.titles if t.kind != "qualification"]
        latest_local = max(self.local_titles, key=lambda t: t.date, default=None)
        latest = max(held, key=lambda t: t.date, default=None)
        if latest_local is not None and (latest is None or latest_local.date > latest.date):
            return latest_local.date, (
                f"地方{self.title_name(latest_local.series, latest_local.level)}"
                f"（{latest_local.date.isoformat()}取得）后"
            )
        if latest is not None:
            return latest.date, f"{latest.label}后"
        best = self.best_education
        if best is not None:
            return best.record.date, (
                f"{self.education_label}学历（{best.record.date.isoformat()}取得）后（首次申报职称）"
            )
        return None

    # --- seniority ----------------------------------------------------------------------
    @fact
    def professional_spans(self) -> list[dates.Span] | None:
        """Professional work as (anchor, end] spans, None when no work history was given."""
        if not self.profile.work_history:
            return None
        spans = []
        for period in self.profile.work_history:
            if not period.professional:
                continue
            end = period.end or dt.date.max
            spans.append((period.start - dates.ONE_DAY, end))
        return dates.merge(spans)

    @fact
    def excluded_assessment_years(self) -> dict[int, str]:
        out: dict[int, str] = {}
        for a in self.profile.annual_assessments:
            if a.grade in EXCLUDED_GRADES and (a.year not in out or a.grade == "incompetent"):
                out[a.year] = a.grade
        return out

    @fact
    def _excluded_years_sorted(self) -> list[tuple[int, str]]:
        return sorted(self.excluded_assessment_years.items())

    def count_seniority(
        self,
        anchor: dt.date,
        basis: str,
        required_months: int | None,
        counted_to: dt.date | None = None,
    ) -> Seniority:
        """Months of professional work after `anchor` up to the cut-off (二（二）)."""
        end = counted_to or self.cutoff
        notes: list[str] = []
        spans = self.professional_spans
        base: list[dates.Span]
        if spans is None:
            base = [(anchor, end)] if anchor < end else []
            notes.append("未填写工作经历，按起算日至截止日连续计算")
        else:
            # dates.intersect(span, (anchor, end)) for each span, inlined.
            base = []
            for first, last in spans:
                start = first if first >= anchor else anchor
                stop = last if last <= end else end
                if start < stop:
                    base.append((start, stop))
        excluded: list[ExcludedYear] = []
        holes = []
        if base:
            for year, grade in self._excluded_years_sorted:
                ys = _year_span(year)
                y0, y1 = ys
                # dates.intersect(ys, b) for each base span, inlined.
                inside = []
                for b0, b1 in base:
                    start = y0 if y0 >= b0 else b0
                    stop = y1 if y1 <= b1 else b1
                    if start < stop:
                        inside.append((start, stop))
                if not inside:
                    continue
                holes.append(ys)
                excluded.append(
                    ExcludedYear(year, grade, dates.months_in(inside), _EXCLUDED_REASONS[grade])
                )
        base_months = dates.months_in(base)
        months = dates.months_in(dates.subtract(base, holes)) if holes else base_months
        total = dates.full_months(anchor, end)
        outside = max(total - base_months, 0)
        return Seniority(
            basis=basis,
            anchor=anchor,
            counted_to=end,
            months_counted=months,
            months_required=required_months,
            excluded_years=excluded,
            months_outside_professional_work=outside,
            notes=notes,
        )

    @fact
    def normal_seniority(self) -> Seniority | None:
        """Seniority under the requirement table, or None when no years are required."""
        req = self.requirement
        if req is None or not req.allowed:
            return None
        if req.after is not None:
            title = self.basis_title()
            if title is None:
                return None
            origin = self.transfer_origin(title)
            basis = f"取得{self.title_name(origin.series, origin.level)}"
            if origin is not title:
                basis += "，转评后原工作年限连续计算"
            return self.count_seniority(origin.date, basis, req.years * 12)
        if req.internship_years:
            best = self.best_education
            if best is None:
                return None
            return self.count_seniority(
                best.record.date,
                f"取得{self.education_label}学历（{best.record.date.isoformat()}）后见习",
                req.internship_years * 12,
            )
        return None

    def meets_normal_conditions(self) -> bool:
        """Would the applicant qualify by the normal route (二（六）)?"""
        req = self.requirement
        if req is None or not req.allowed:
            return False
        if req.after is not None and self.basis_title() is None:
            return False
        sen = self.normal_seniority
        return sen is None or bool(sen.met)

"""evaluate(profile) -> Decision: run every registered rule and combine the findings."""

from __future__ import annotations

from zhicheng.policy import rules as _rules  # noqa: F401  (registers the rules)
from zhicheng.policy.catalogue import load_catalogue
from zhicheng.policy.context import ROUTE_LABELS, Context
from zhicheng.policy.decision import Decision, Finding, Verdict
from zhicheng.policy.levels import level_name
from zhicheng.policy.profile import Profile
from zhicheng.policy.registry import RULES, Rule, RuleFunc
from zhicheng.policy.season import Season, load_season

_BY_ROUTE: dict[str, tuple[Rule, ...]] = {}
# Per route: (function, id, primary clause) of each rule, unpacked once for the hot loop.
_CALLS: dict[str, tuple[tuple[RuleFunc, str, str], ...]] = {}


def rules_for(route: str) -> tuple[Rule, ...]:
    """The registered rules that apply to a route, in registry order."""
    found = _BY_ROUTE.get(route)
    if found is None:
        found = tuple(r for r in RULES if r.routes is None or route in r.routes)
        _BY_ROUTE[route] = found
    return found


def _calls_for(route: str) -> tuple[tuple[RuleFunc, str, str], ...]:
    found = _CALLS.get(route)
    if found is None:
        found = _CALLS[route] = tuple((r.func, r.id, r.clauses[0]) for r in rules_for(route))
    return found


def evaluate(profile: Profile, season: Season | None = None) -> Decision:
    season = season or load_season()
    ctx = Context(profile, season, load_catalogue())
    findings: list[Finding] = []
    append = findings.append
    new_finding = tuple.__new__  # Finding(...) without the NamedTuple's Python-level __new__
    route = ctx.route
    failed = review = False
    for func, rule_id, primary in _calls_for(route):
        result = func(ctx)
        if not result:
            continue
        for outcome, message, clause in result:
            if outcome == "fail":
                failed = True
            elif outcome == "needs_review":
                review = True
            append(new_finding(Finding, (rule_id, outcome, clause or primary, message)))
    verdict: Verdict = "ineligible" if failed else "needs_review" if review else "eligible"
    req = profile.request
    label = ROUTE_LABELS[route]
    if ctx.special_exception:
        label += f"（{'、'.join(ctx.special_route_names)}首次申报）"
    if "grassroots_directional" in ctx.flags:
        label += "（基层“三定向”）"
    level = req.level
    return Decision(
        season=season.code,
        applicant_id=profile.applicant_id,
        applicant_name=profile.name,
        request={
            "series": req.series,
            "series_name": ctx.series.name,
            "specialty": req.specialty,
            "level": level,
            "level_name": level_name(level),
            "title_name": ctx.series.title_name(level),
            "route": route,
            "plan_row": req.plan_row,
            "application_date": req.application_date.isoformat(),
            "notice": season.notice,
        },
        verdict=verdict,
        route=route,
        route_label=label,
        seniority=ctx.seniority,
        required_materials=ctx.materials,
        excluded_materials=ctx.excluded,
        findings=findings,
        flags=ctx.flags,
    )

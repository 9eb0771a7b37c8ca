"""Differences between two submission snapshots: field by field for the profile, by hash for
the materials. Each change names the correction target it belongs to, so the reviewer sees
what changed and `only_listed_items_changed` can tell whether only listed items changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhicheng.applications.profiles import LIST_SECTIONS
from zhicheng.core import labels

# Profile keys that are derived or stamped at submission, never corrected by the applicant.
IGNORED_PROFILE_KEYS = frozenset({"request", "name", "applicant_id", "schema_version"})
SECTION_LABELS: dict[str, str] = {
    **{k: v[0] for k, v in LIST_SECTIONS.items()},
    "employment": "工作单位与就业信息",
    "residence": "户籍与居住",
}


def section_target(section: str) -> str:
    return f"section:{section}"


def material_target(material_id: int | str) -> str:
    return f"material:{material_id}"


NEW_MATERIAL = "material:new"


@dataclass(frozen=True)
class Change:
    target: str
    where: str
    kind: str  # "added" | "removed" | "changed"
    before: str = ""
    after: str = ""

    @property
    def kind_label(self) -> str:
        return {"added": "新增", "removed": "删除", "changed": "修改"}[self.kind]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return "；".join(f"{k}={_text(v)}" for k, v in sorted(value.items()))
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    return str(value)


def _section_rows(profile: dict[str, Any], section: str) -> list[Any]:
    rows = profile.get(section) or []
    if section == "achievements":
        # Achievements derived from materials ("M<pk>") follow the materials, not the profile.
        rows = [r for r in rows if not str(r.get("id", "")).startswith("M")]
    return list(rows)


def _diff_profile(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    keys = (set(old) | set(new)) - IGNORED_PROFILE_KEYS
    for key in sorted(keys):
        label = SECTION_LABELS.get(key, key)
        target = section_target(key)
        a, b = old.get(key), new.get(key)
        if isinstance(a, list) or isinstance(b, list):
            ra, rb = _section_rows(old, key), _section_rows(new, key)
            for i in range(max(len(ra), len(rb))):
                x = ra[i] if i < len(ra) else None
                y = rb[i] if i < len(rb) else None
                if x == y:
                    continue
                where = f"{label}第{i + 1}条"
                if x is None:
                    changes.append(Change(target, where, "added", after=_text(y)))
                elif y is None:
                    changes.append(Change(target, where, "removed", before=_text(x)))
                elif isinstance(x, dict) and isinstance(y, dict):
                    for field in sorted(set(x) | set(y)):
                        if x.get(field) != y.get(field):
                            changes.append(Change(
                                target, f"{where}·{labels.label(field, 'field')}", "changed",
                                _text(x.get(field)), _text(y.get(field)),
                            ))
                else:
                    changes.append(Change(target, where, "changed", _text(x), _text(y)))
        elif isinstance(a, dict) or isinstance(b, dict):
            da, db = a or {}, b or {}
            for field in sorted(set(da) | set(db)):
                if da.get(field) != db.get(field):
                    changes.append(Change(
                        target, f"{label}·{labels.label(field, 'field')}", "changed",
                        _text(da.get(field)), _text(db.get(field)),
                    ))
        elif a != b:
            changes.append(Change(target, label, "changed", _text(a), _text(b)))
    return changes


def _diff_materials(
    old: list[dict[str, Any]], new: list[dict[str, Any]], replacements: dict[str, str]
) -> list[Change]:
    changes: list[Change] = []
    by_id_old = {str(m["id"]): m for m in old}
    by_id_new = {str(m["id"]): m for m in new}
    replaced_old = set(replacements.values())
    for mid, m in by_id_old.items():
        n = by_id_new.get(mid)
        if n is None:
            if mid in replaced_old:
                continue  # reported with its replacement below
            changes.append(Change(
                material_target(mid), f"材料“{m['title']}”", "removed",
                before=f"SHA-256 {m['sha256'][:16]}…",
            ))
        elif n["sha256"] != m["sha256"] or n["title"] != m["title"]:
            changes.append(Change(
                material_target(mid), f"材料“{m['title']}”", "changed",
                f"SHA-256 {m['sha256'][:16]}…", f"SHA-256 {n['sha256'][:16]}…",
            ))
    for mid, n in by_id_new.items():
        if mid in by_id_old:
            continue
        old_id = replacements.get(mid)
        if old_id is not None and old_id in by_id_old:
            o = by_id_old[old_id]
            changes.append(Change(
                material_target(old_id), f"材料“{o['title']}”替换为“{n['title']}”", "changed",
                f"SHA-256 {o['sha256'][:16]}…", f"SHA-256 {n['sha256'][:16]}…",
            ))
        else:
            changes.append(Change(
                NEW_MATERIAL, f"新增材料“{n['title']}”", "added",
                after=f"SHA-256 {n['sha256'][:16]}…",
            ))
    return changes


def diff_snapshots(
    old: dict[str, Any], new: dict[str, Any], replacements: dict[str, str] | None = None
) -> list[Change]:
    changes = _diff_profile(old.get("profile", {}), new.get("profile", {}))
    oa, na = old.get("application", {}), new.get("application", {})
    if oa.get("explanation", "") != na.get("explanation", ""):
        changes.append(Change(
            "field:explanation", "情况说明", "changed",
            oa.get("explanation", ""), na.get("explanation", ""),
        ))
    changes += _diff_materials(
        old.get("materials", []), new.get("materials", []), replacements or {}
    )
    return changes


def unlisted_changes(changes: list[Change], targets: set[str]) -> list[Change]:
    return [c for c in changes if c.target not in targets]

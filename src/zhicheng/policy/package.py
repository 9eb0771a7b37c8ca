"""A season package: one folder (or zip) holding everything a season is (docs/seasons.md).

`read_package(path)` reads a folder or a zip into plain, JSON-safe data (`PackageData`) and
names every problem it finds by file, row and field, in Chinese. `validate(data)` checks the
data the way the engine will use it (the season's tables, the plan table, the offices it
names); a package with any error is refused as a whole by its callers. `season_from_data`
builds the engine's `Season` from that data: the package reader and the database snapshot
(`seasons.SeasonVersion.data`) use the same constructor, so the engine never reads files.

Django-free like the rest of `zhicheng.policy`.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import re
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhicheng.policy.plans import COLUMN_TITLES, PlanTable, parse_plan_table
from zhicheng.policy.season import DATA_FILES, Season, SeasonDataError, parse_season

FORMAT = 1
MANIFEST = "manifest.toml"
# The package's parts: TOML tables (parsed), CSV and Markdown (kept as text).
TOML_PARTS = tuple(name.removesuffix(".toml") for name in DATA_FILES)
TEXT_PARTS = {"plans": "plans.csv", "merges": "merges.csv", "scope": "scope.csv"}
REQUIRED_TEXT = ("plans",)
DEFAULT_NOTICE = "notice.md"
# The rules of the season the apps read through the parameter accessor (docs/seasons.md
# §Season parameters): each must be in season.toml with a value, a source and a confidence.
RULE_PARAMETERS = (
    "periods.correction_workdays", "periods.publicity_ended_visible_days",
    "evaluation.committee_min_size", "evaluation.committee_max_term_years",
    "evaluation.expert_max_term_years", "evaluation.former_unit_avoid_years",
    "supervision.review_overdue_workdays",
)
DEFAULT_ORGANISATIONS = "organisations.toml"
DATE_TAG = "$date"
# tomllib's messages the office is most likely to meet, in Chinese.
TOML_MESSAGES = {
    "Invalid date or datetime": "日期无效或不存在",
    "Invalid value": "值无效",
    "Expected '=' after a key in a key/value pair": "键后缺少“=”",
    "Cannot overwrite a value": "同一个键写了两次",
    "Unterminated string": "字符串缺少结束引号",
}


@dataclass(frozen=True)
class PackageProblem:
    """One problem of a package, as the office reads it: file, row (or line), field, message."""

    file: str
    message: str
    row: int | None = None
    field: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.field:
            # A CSV column is named by its printed title; a TOML value by its key, which is
            # what the person editing the file finds there.
            title = COLUMN_TITLES.get(self.field, ())
            where.append(f"“{title[0]}”列" if title and self.file.endswith(".csv")
                         else f"字段 {self.field}")
        label = "错误" if self.severity == "error" else "提示"
        return f"[{label}] {'，'.join(where)}：{self.message}"


class PackageRefused(ValueError):
    """A package with errors: nothing of it may be loaded."""

    def __init__(self, problems: list[PackageProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


PackageData = dict[str, Any]


# --- JSON-safe data ------------------------------------------------------------------------
def to_json(value: Any) -> Any:
    """TOML values as JSON: dates become {"$date": "YYYY-MM-DD"} (lossless, see from_json)."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dt.datetime):
        raise SeasonDataError("包内不支持日期时间值，请只写日期")
    if isinstance(value, dt.date):
        return {DATE_TAG: value.isoformat()}
    return value


def from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {DATE_TAG}:
            return dt.date.fromisoformat(value[DATE_TAG])
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value


def canonical(data: PackageData) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def package_hash(data: PackageData) -> str:
    """SHA-256 of the canonical JSON of the package data (the same from a folder or the DB)."""
    return hashlib.sha256(canonical(data).encode("utf-8")).hexdigest()


# --- reading -------------------------------------------------------------------------------
class _Source:
    """A folder or a zip, read by relative name (a zip may hold one top folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.prefix = ""
        if path.is_file():
            self.zip = zipfile.ZipFile(path)
            names = self.zip.namelist()
            if MANIFEST not in names:
                tops = [n for n in names if n.endswith("/" + MANIFEST) and n.count("/") == 1]
                if tops:
                    self.prefix = tops[0].removesuffix(MANIFEST)

    def read(self, name: str) -> bytes | None:
        if self.zip is not None:
            try:
                return self.zip.read(self.prefix + name)
            except KeyError:
                return None
        target = self.path / name
        return target.read_bytes() if target.is_file() else None


def _text(raw: bytes, file: str, problems: list[PackageProblem]) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if file.endswith(".csv"):
            # Excel saves CSV in the Chinese ANSI code page (GBK, a subset of GB18030).
            try:
                return raw.decode("gb18030")
            except UnicodeDecodeError:
                pass
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(PackageProblem(file, "不是UTF-8编码的文本，请另存为UTF-8", line))
        return None


def _toml(raw: bytes, file: str, problems: list[PackageProblem]) -> dict[str, Any] | None:
    text = _text(raw, file, problems)
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line .*\)$", "", str(exc))
        what = TOML_MESSAGES.get(message, message)
        where = f"第{found[2]}列：" if found else ""
        line = int(found[1]) if found else None
        problems.append(PackageProblem(file, f"{where}TOML格式错误（{what}）", line))
        return None


def read_package(path: Path) -> tuple[PackageData, list[PackageProblem]]:
    """Read a package folder or zip: (data, problems). The data is JSON-safe."""
    problems: list[PackageProblem] = []
    if not path.exists():
        return {}, [PackageProblem(str(path), "找不到季度数据包（文件夹或zip文件）")]
    try:
        source = _Source(path)
    except zipfile.BadZipFile:
        return {}, [PackageProblem(path.name, "不是有效的zip文件")]
    raw_manifest = source.read(MANIFEST)
    if raw_manifest is None:
        return {}, [PackageProblem(MANIFEST, "缺少清单文件 manifest.toml")]
    manifest = _toml(raw_manifest, MANIFEST, problems) or {}
    head = manifest.get("package", {})
    files = manifest.get("files", {})
    data: PackageData = {"manifest": {}, "tables": {}, "texts": {}}
    for key in ("code", "format"):
        if key not in head:
            problems.append(PackageProblem(MANIFEST, f"缺少 [package] {key}", field=key))
    if head.get("format", FORMAT) != FORMAT:
        problems.append(
            PackageProblem(MANIFEST, f"不支持的格式版本 {head.get('format')}（应为{FORMAT}）",
                           field="format")
        )
    try:
        data["manifest"] = to_json({"package": head, "files": files})
    except SeasonDataError as exc:
        problems.append(PackageProblem(MANIFEST, str(exc)))
    names = {part: files.get(part, f"{part}.toml") for part in TOML_PARTS}
    names["organisations"] = files.get("organisations", DEFAULT_ORGANISATIONS)
    for part, name in names.items():
        raw = source.read(name)
        if raw is None:
            problems.append(PackageProblem(name, "缺少数据文件"))
            continue
        parsed = _toml(raw, name, problems)
        if parsed is not None:
            try:
                data["tables"][part] = to_json(parsed)
            except SeasonDataError as exc:
                problems.append(PackageProblem(name, str(exc)))
    texts = {**TEXT_PARTS, "notice": DEFAULT_NOTICE}
    for part, default in texts.items():
        name = files.get(part, default)
        raw = source.read(name)
        if raw is None:
            if part in REQUIRED_TEXT or part == "notice":
                problems.append(PackageProblem(name, "缺少数据文件"))
            continue
        text = _text(raw, name, problems)
        if text is not None:
            data["texts"][part] = text
    problems.extend(validate(data))
    return data, problems


# --- validating and building ---------------------------------------------------------------
def code_of(data: PackageData) -> str:
    return str(data.get("manifest", {}).get("package", {}).get("code", ""))


def file_name(data: PackageData, part: str) -> str:
    files = data.get("manifest", {}).get("files", {})
    defaults = {**{p: f"{p}.toml" for p in TOML_PARTS}, **TEXT_PARTS,
                "notice": DEFAULT_NOTICE, "organisations": DEFAULT_ORGANISATIONS}
    return str(files.get(part, defaults[part]))


def plan_table_from_data(data: PackageData) -> PlanTable:
    texts = data["texts"]
    return parse_plan_table(code_of(data), texts.get("plans", ""), texts.get("merges", ""))


def season_from_data(data: PackageData) -> Season:
    """The engine's Season from package data (a read package or a stored snapshot)."""
    code = code_of(data)
    raw = {part: from_json(data["tables"][part]) for part in TOML_PARTS}
    season = parse_season(code, None, raw)
    table = plan_table_from_data(data)
    if table.errors:
        raise SeasonDataError("；".join(str(p) for p in table.errors))
    return dataclasses.replace(season, plans=table.rows)


def office_names(data: PackageData) -> set[str]:
    """Short names of the committee offices and bureaus the package's organisations file names."""
    orgs = from_json(data["tables"].get("organisations", {}))
    names: set[str] = set()
    for key in ("city_office", "talent_centre", "provincial"):
        if key in orgs:
            names.add(orgs[key].get("short_name", ""))
    for group in ("districts",):
        for item in orgs.get(group, []):
            names.add(item.get("bureau", ""))
    for item in orgs.get("departments", []):
        names.add(item.get("short_name", ""))
    names.discard("")
    return names


def validate(data: PackageData) -> list[PackageProblem]:
    """Every problem of package data, each naming its file, row and field."""
    problems: list[PackageProblem] = []
    manifest_code = code_of(data)
    season_file = file_name(data, "season")
    head = data["tables"].get("season", {}).get("season", {})
    if head.get("code") and head.get("code") != manifest_code:
        problems.append(
            PackageProblem(
                season_file,
                f"年度代码“{head.get('code')}”与清单“{manifest_code}”不一致",
                field="season.code",
            )
        )
    try:
        if all(part in data["tables"] for part in TOML_PARTS):
            parse_season(manifest_code, None,
                         {part: from_json(data["tables"][part]) for part in TOML_PARTS})
    except SeasonDataError as exc:
        named = re.search(r"(\w+\.toml)", str(exc))
        problems.append(PackageProblem(named[1] if named else season_file, str(exc)))
    except (KeyError, TypeError, ValueError) as exc:
        problems.append(PackageProblem(season_file, f"数据不完整或类型错误：{exc!s}"))
    problems.extend(_rule_parameter_problems(data, season_file))
    if "plans" in data["texts"]:
        problems.extend(_plan_problems(data))
    return problems


def _rule_parameter_problems(data: PackageData, season_file: str) -> list[PackageProblem]:
    """Every rule parameter the apps need, present with value, source and confidence."""
    table = data["tables"].get("season")
    if not isinstance(table, dict):
        return []
    problems: list[PackageProblem] = []
    for name in RULE_PARAMETERS:
        group, _dot, key = name.partition(".")
        entry = table.get(group, {}).get(key) if isinstance(table.get(group), dict) else None
        if not isinstance(entry, dict) or "value" not in entry:
            problems.append(PackageProblem(
                season_file, f"缺少年度参数 [{group}.{key}]（value、source、confidence）",
                field=name))
            continue
        for part in ("source", "confidence"):
            if not str(entry.get(part, "")).strip():
                problems.append(PackageProblem(
                    season_file, f"年度参数 [{group}.{key}] 缺少 {part}（来源或可信度）",
                    field=f"{name}.{part}"))
    return problems


def _plan_problems(data: PackageData) -> list[PackageProblem]:
    problems: list[PackageProblem] = []
    table = plan_table_from_data(data)
    plans_file = file_name(data, "plans")
    for p in table.errors:
        file = file_name(data, "merges") if "merges" in p.message else plans_file
        problems.append(PackageProblem(file, p.message, p.line, p.field))
    known = office_names(data)
    tables = data["tables"].get("organisations", {})
    known |= set(tables.get("plan_table", {}).get("not_offices", []))
    org_file = file_name(data, "organisations")
    for number, row in sorted(table.rows.items()):
        if "organisations" in data["tables"] and row.office and row.office not in known:
            problems.append(
                PackageProblem(
                    plans_file,
                    f"序号{number}的评委会办事机构“{row.office}”不在{org_file}中，"
                    "请在机构文件中添加或改正名称",
                    _line_of(data, number),
                    "office",
                )
            )
    return problems


def _line_of(data: PackageData, number: int) -> int | None:
    for line, text in enumerate(data["texts"].get("plans", "").splitlines(), start=1):
        if text.split(",", 1)[0].strip() == str(number):
            return line
    return None


def load_package(path: Path) -> tuple[PackageData, Season]:
    """Read, validate and build: the data and its Season, or PackageRefused naming every problem."""
    data, problems = read_package(path)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise PackageRefused(errors)
    return data, season_from_data(data)


def _shift(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _shift_dates(value: Any, years: int) -> Any:
    if isinstance(value, dict):
        if set(value) == {DATE_TAG}:
            return {DATE_TAG: _shift(dt.date.fromisoformat(value[DATE_TAG]), years).isoformat()}
        return {k: _shift_dates(v, years) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_dates(v, years) for v in value]
    return value


def derive(data: PackageData, code: str, *, years: int = 1, name: str | None = None,
           example: bool = False) -> PackageData:
    """A new season's package from an earlier one: a copy with every date of its tables moved
    by `years` (the season's year too), under a new code. Texts (the notice, the plan table's
    month windows) are copied as they are: the office edits them in the draft."""
    new = json.loads(canonical(data))
    new["tables"] = _shift_dates(new["tables"], years)
    head = new["tables"]["season"]["season"]
    old_year = int(head["year"])
    head["year"] = old_year + years
    head["code"] = code
    head["name"] = name or str(head["name"]).replace(str(old_year), str(old_year + years))
    package = new["manifest"].setdefault("package", {})
    package.update({"code": code, "name": head["name"], "example": example,
                    "derived_from": code_of(data)})
    return new


def set_value(data: PackageData, part: str, dotted: str, value: Any) -> PackageData:
    """A copy of the data with one value of a table replaced (`dates.seniority_cutoff.value`)."""
    new = json.loads(canonical(data))
    node = new["tables"][part]
    *path, last = dotted.split(".")
    for key in path:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = to_json(value)
    else:
        node[last] = to_json(value)
    return new


# --- editing a draft's data (the city office's pages call these; plain data in, copy out) ---
PLAN_FIELDS = ("row", "specialty", "office", "phone", "address", "acceptance", "evaluation",
               "remarks")


def plan_records(data: PackageData) -> list[dict[str, str]]:
    """The rows of the package's plans.csv as printed (merged cells blank), in file order."""

    text = data.get("texts", {}).get("plans", "")
    reader = csv.DictReader(io.StringIO(text))
    return [{k: (row.get(k) or "").strip() for k in PLAN_FIELDS} for row in reader]


def _csv(fields: tuple[str, ...], records: list[dict[str, str]]) -> str:

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: record.get(k, "") for k in fields})
    return out.getvalue()


def with_plan_row(data: PackageData, values: dict[str, str]) -> PackageData:
    """A copy with one plan row replaced (same 序号) or added, the rows kept in 序号 order.
    A merge note for a cell that now holds a printed value is dropped (the value is typed)."""

    new = json.loads(canonical(data))
    number = str(int(values["row"]))
    record = {k: str(values.get(k, "")).strip() for k in PLAN_FIELDS} | {"row": number}
    records = [r for r in plan_records(new) if r["row"] != number] + [record]
    records.sort(key=lambda r: int(r["row"]) if r["row"].isdigit() else 0)
    new["texts"]["plans"] = _csv(PLAN_FIELDS, records)
    merges = new["texts"].get("merges", "")
    if merges:
        rows = list(csv.DictReader(io.StringIO(merges)))
        kept = [m for m in rows if not (m.get("row", "").strip() == number
                                        and record.get(m.get("field", "").strip()))]
        new["texts"]["merges"] = _csv(("row", "field", "from_row", "reason"), kept)
    return new


def with_plan_texts(data: PackageData, plans: str, merges: str) -> PackageData:
    """A copy with the whole plan table replaced (an uploaded workbook or CSV)."""
    new = json.loads(canonical(data))
    new["texts"]["plans"] = plans
    if merges:
        new["texts"]["merges"] = merges
    else:
        new["texts"].pop("merges", None)
    return new


def with_department(data: PackageData, name: str, short_name: str, source: str) -> PackageData:
    """A copy whose organisations.toml names one more city department (a committee office)."""
    new = json.loads(canonical(data))
    orgs = new["tables"].setdefault("organisations", {})
    orgs.setdefault("departments", []).append(
        {"name": name, "short_name": short_name, "source": source}
    )
    return new


def with_not_office(data: PackageData, text: str) -> PackageData:
    """A copy where `text` in the office column is declared not an office (kept as printed)."""
    new = json.loads(canonical(data))
    orgs = new["tables"].setdefault("organisations", {})
    table = orgs.setdefault("plan_table", {})
    names = table.setdefault("not_offices", [])
    if text not in names:
        names.append(text)
    return new


@dataclass(frozen=True)
class Parameter:
    """One value of a table that cites a clause: what the office may change in a draft."""

    part: str  # the TOML part ("season", "initial_determination", …)
    path: str  # dotted path inside the part, for set_value
    value: Any
    clause: str
    text: str
    source: str
    confidence: str = ""  # H / M / L as the tables write it

    @property
    def key(self) -> str:
        return f"{self.part}:{self.path}"

    @property
    def shown(self) -> str:
        """The value as the office reads it (a date as YYYY-MM-DD)."""
        return str(self.value[DATE_TAG]) if self.kind == "date" else str(self.value)

    @property
    def kind(self) -> str:
        value = self.value
        if isinstance(value, dict) and set(value) == {DATE_TAG}:
            return "date"
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, int):
            return "int"
        if isinstance(value, float):
            return "float"
        return "text"


EDITABLE_KINDS = ("date", "int", "float")


def parameters(data: PackageData) -> list[Parameter]:
    """Every dated or numeric value beside a clause in the package's TOML tables: the key
    dates and periods of season.toml, the 初定 thresholds, the eligibility values …"""
    found: list[Parameter] = []

    def walk(part: str, node: Any, path: list[str]) -> None:
        if isinstance(node, dict):
            if DATE_TAG in node:
                return
            clause = node.get("clause")
            if isinstance(clause, str):
                keys = ["value"] if "value" in node else sorted(node)
                for key in keys:
                    item = Parameter(part, ".".join([*path, key]), node.get(key), clause,
                                     str(node.get("text", "")), str(node.get("source", "")),
                                     str(node.get("confidence", "")))
                    if item.kind in EDITABLE_KINDS:
                        found.append(item)
            for key, value in node.items():
                if isinstance(value, dict | list):
                    walk(part, value, [*path, key])
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(part, value, [*path, str(index)])

    for part in TOML_PARTS:
        walk(part, data.get("tables", {}).get(part, {}), [])
    return found


def get_value(data: PackageData, part: str, dotted: str) -> Any:
    node: Any = data["tables"][part]
    for key in dotted.split("."):
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node

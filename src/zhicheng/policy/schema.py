"""The profile's JSON Schema, generated from the pydantic models.

python -m zhicheng.policy.schema            # write docs/schema/profile.schema.json
python -m zhicheng.policy.schema --check    # exit 1 if the committed file is stale
python -m zhicheng.policy.schema -          # print to stdout
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from zhicheng.policy.profile import SCHEMA_VERSION, Profile

SCHEMA_ID = "https://zhicheng.example/schema/profile.schema.json"
DEFAULT_PATH = Path(__file__).resolve().parents[3] / "docs" / "schema" / "profile.schema.json"


def profile_schema() -> dict[str, Any]:
    schema = Profile.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "zhicheng applicant profile",
        "description": (
            f"Applicant profile read by zhicheng.policy.evaluate, schema_version {SCHEMA_VERSION}. "
            "Dates are ISO 8601 (YYYY-MM-DD). See docs/policy.md."
        ),
        "x-schema-version": SCHEMA_VERSION,
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def render() -> str:
    return json.dumps(profile_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if args == ["-"]:
        sys.stdout.write(text)
        return 0
    if args and args[0] == "--check":
        path = Path(args[1]) if len(args) > 1 else DEFAULT_PATH
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            sys.stderr.write(
                f"{path} 与代码生成的 schema 不一致：运行 python -m zhicheng.policy.schema\n"
            )
            return 1
        return 0
    path = Path(args[0]) if args else DEFAULT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

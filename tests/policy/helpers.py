"""Profiles for policy tests: a known-eligible base and small edits of it."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from zhicheng.policy import Decision, Profile, evaluate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "profiles"
BASE_FILE = EXAMPLES / "engineering-intermediate-eligible.json"


def base() -> dict[str, Any]:
    return copy.deepcopy(json.loads(BASE_FILE.read_text(encoding="utf-8")))


def decide(data: dict[str, Any], **kwargs: Any) -> Decision:
    return evaluate(Profile.model_validate(data), **kwargs)


def outcome(decision: Decision, rule: str) -> str | None:
    return decision.outcomes().get(rule)


def messages(decision: Decision, rule: str) -> str:
    return " / ".join(f.message for f in decision.findings if f.rule == rule)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)

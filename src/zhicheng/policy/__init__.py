"""Rules as code. This package must never import Django (tests/policy enforces it)."""

from zhicheng.policy.catalogue import Catalogue, load_catalogue
from zhicheng.policy.decision import Decision, Finding
from zhicheng.policy.engine import evaluate
from zhicheng.policy.profile import SCHEMA_VERSION, Profile
from zhicheng.policy.season import Season, load_season

__all__ = [
    "SCHEMA_VERSION",
    "Catalogue",
    "Decision",
    "Finding",
    "Profile",
    "Season",
    "evaluate",
    "load_catalogue",
    "load_season",
]

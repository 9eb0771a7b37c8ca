"""Imports sit at module level unless a comment says why (docs/architecture.md, "Where imports
sit"): a cycle, the app registry, an optional dependency, start-up time. An import inside a
function without a comment on its line or the two lines above it fails this test."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "zhicheng"


def unexplained_local_imports() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for function in ast.walk(ast.parse(text)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    around = lines[max(0, node.lineno - 3):node.end_lineno or node.lineno]
                    if not any("#" in line for line in around):
                        where = path.relative_to(SRC.parent)
                        found.append(f"{where}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return sorted(set(found))


def test_every_function_level_import_says_why() -> None:
    assert unexplained_local_imports() == []

"""The layers of docs/architecture.md, checked on the source: no module imports from a higher
layer except the exceptions listed (with their reasons) in docs/architecture.md.

Every import counts, at module level or inside a function; imports under `if TYPE_CHECKING:`
do not (they never run)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "zhicheng"
ARCHITECTURE = SRC.parent / "docs" / "architecture.md"

# zhicheng's own top-level modules that any layer may use (configuration, the Celery app).
TOP_LEVEL = {"zhicheng", "zhicheng.settings", "zhicheng.celery"}

# (importer, imported) pairs that run up the layers on purpose; each is explained in the
# section "Imports that run up the layers" of docs/architecture.md.
ALLOWED = {
    # product code → demo code
    ("zhicheng.simulation.population", "zhicheng.demo.applications"),
}

# The top floor: URL routing and settings wire every app, the demo included.
TOP_FLOOR = {"zhicheng.urls", "zhicheng.settings"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield module_name(path), path


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for child in node.body:
                    skipped.update(id(n) for n in ast.walk(child))
    return skipped


def imports_of(name: str, path: Path) -> set[str]:
    """The absolute names a module imports (`from a import b` yields a and a.b)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


def _is_module(name: str) -> bool:
    path = SRC.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def own_imports(name: str, path: Path) -> set[str]:
    """zhicheng modules imported (names that are attributes, not modules, are dropped)."""
    return {
        m for m in imports_of(name, path)
        if (m == "zhicheng" or m.startswith("zhicheng.")) and _is_module(m)
    }


def app_of(name: str) -> str:
    return ".".join(name.split(".")[:2])


def is_demo(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return (
        name.startswith("zhicheng.demo")
        or last.startswith(("demo", "seed_demo"))
        or last.endswith("_demo")
    )


def violations() -> set[tuple[str, str, str]]:
    found: set[tuple[str, str, str]] = set()
    for name, path in modules():
        own = own_imports(name, path)
        if name.startswith("zhicheng.policy"):
            for m in imports_of(name, path):
                if m == "django" or m.startswith("django."):
                    found.add((name, m, "policy imports Django"))
            for m in own:
                if not m.startswith("zhicheng.policy") and m != "zhicheng":
                    found.add((name, m, "policy imports the rest of zhicheng"))
        if name.startswith("zhicheng.core"):
            for m in own:
                # policy is the bottom layer: everything may use it.
                if m not in TOP_LEVEL and app_of(m) not in {"zhicheng.core", "zhicheng.policy"}:
                    found.add((name, m, "core imports a feature app"))
        if not is_demo(name) and name not in TOP_FLOOR:
            for m in own:
                if is_demo(m):
                    found.add((name, m, "product code imports demo code"))
        last = name.rsplit(".", 1)[-1]
        if last in {"models", "permissions", "guards", "queries", "states", "arithmetic"}:
            for m in own:
                if m.rsplit(".", 1)[-1] == "views":
                    found.add((name, m, f"{last} imports views"))
    return found


def test_no_import_runs_up_the_layers() -> None:
    unexpected = sorted(v for v in violations() if (v[0], v[1]) not in ALLOWED)
    assert not unexpected, "\n".join(f"{a} → {b}: {why}" for a, b, why in unexpected)


def test_every_allowed_exception_is_still_needed_and_documented() -> None:
    present = {(a, b) for a, b, _why in violations()}
    stale = sorted(ALLOWED - present)
    assert not stale, f"allowed but no longer imported (remove from ALLOWED and the doc): {stale}"
    doc = ARCHITECTURE.read_text(encoding="utf-8")
    section = doc.split("## Imports that run up the layers", 1)[1]
    for importer, imported in ALLOWED:
        assert f"`{importer}`" in section and f"`{imported}`" in section, (importer, imported)


@pytest.mark.parametrize(
    ("importer", "source", "expected"),
    [
        ("zhicheng.core.x", "from zhicheng.orgs.models import Membership", True),
        ("zhicheng.core.x", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                            "    from zhicheng.orgs.models import Membership\n", False),
        ("zhicheng.policy.x", "import django.db", True),
        ("zhicheng.reviews.queries", "def f():\n    from .views import page\n", True),
    ],
)
def test_the_checker_sees_what_it_should(tmp_path, importer, source, expected) -> None:
    path = tmp_path / "x.py"
    path.write_text(source, encoding="utf-8")
    names = imports_of(importer, path)
    if importer.endswith("queries"):
        assert ("zhicheng.reviews.views" in names) is expected
    elif importer.startswith("zhicheng.policy"):
        assert ("django.db" in names) is expected
    else:
        assert ("zhicheng.orgs.models" in names) is expected

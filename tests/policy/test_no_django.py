"""zhicheng.policy and every submodule import without Django."""

import pkgutil
import subprocess
import sys

import zhicheng.policy

SCRIPT = """
import importlib, pkgutil, sys
import zhicheng.policy
names = [m.name for m in pkgutil.walk_packages(zhicheng.policy.__path__, "zhicheng.policy.")]
for name in names:
    importlib.import_module(name)
from zhicheng.policy import cli
assert cli.main(["--help"]) == 0
bad = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(len(names), bad)
sys.exit(1 if bad else 0)
"""


def test_policy_imports_no_django():
    modules = [m.name for m in pkgutil.walk_packages(zhicheng.policy.__path__, "zhicheng.policy.")]
    assert "zhicheng.policy.rules.plan" in modules
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "", "PYTHONPATH": ":".join(sys.path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("[]")

"""Run a standalone verifier of tools/verify/ as a separate program, without zhicheng on its
path (no PYTHONPATH, no user site), the way an outside checker would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "verify"


def run_tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run([sys.executable, "-E", "-s", str(TOOLS / name), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=60)

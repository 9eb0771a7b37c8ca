"""The `zhicheng` console script on a fresh embedded database, as an operator runs it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def fresh_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHICHENG_")}
    env.pop("DATABASE_URL", None)
    env["ZHICHENG_VAR_DIR"] = str(tmp_path / "var")
    return env


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = shutil.which("zhicheng", path=str(Path(sys.executable).parent))
    assert script, "the zhicheng console script is installed next to the interpreter"
    return subprocess.run([script, *args], env=env, capture_output=True, text=True, timeout=300)


def test_fresh_database_loads_the_season_and_verifies_the_chain(fresh_env):
    assert _run("migrate", "--noinput", "-v0", env=fresh_env).returncode == 0
    first = _run("load_season", "--quiet-warnings", env=fresh_env)
    assert first.returncode == 0, first.stderr
    second = _run("load_season", "--quiet-warnings", env=fresh_env)
    assert "新增0项，修改0项" in second.stdout
    verify = _run("audit", "verify", env=fresh_env)
    assert verify.returncode == 0
    assert verify.stdout.startswith("OK: ") and "chain intact" in verify.stdout
    assert (Path(fresh_env["ZHICHENG_VAR_DIR"]) / "zhicheng.sqlite3").exists()

"""Season packages for tests: the installed 2024 package copied to a folder outside the
installation, with a new code and its dates moved by whole years."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from zhicheng.policy.plans import season_dir

SOURCE = "lianyungang-2024"


def copy_package(target: Path, code: str = SOURCE, *, years: int = 0) -> Path:
    """A copy of the 2024 package under `target/code`, code changed and season.toml's dates
    (and year) moved by `years`; returns the folder."""
    folder = target / code
    shutil.copytree(season_dir(SOURCE), folder)
    manifest = folder / "manifest.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(f'"{SOURCE}"', f'"{code}"'), encoding="utf-8"
    )
    season = folder / "season.toml"
    text = season.read_text(encoding="utf-8").replace(f'"{SOURCE}"', f'"{code}"')
    if years:
        text = re.sub(
            r"(?m)^(\w+ = )(\d{4})(-\d\d-\d\d)$",
            lambda m: f"{m[1]}{int(m[2]) + years}{m[3]}",
            text,
        )
        text = re.sub(r"(?m)^year = (\d{4})$", lambda m: f"year = {int(m[1]) + years}", text)
        text = text.replace("2024年度", f"{2024 + years}年度")
    season.write_text(text, encoding="utf-8")
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

"""Every file the repository cites is in the repository.

Code, season data, tests and docs cite the domain notes as `docs/domain.md §<heading>`, other
docs by path, and source files by path. A citation of a file that is not in the repository
(notes kept elsewhere, a renamed module, a heading that was rewritten) leads nowhere for anyone
who clones it, so this test names each one with the file and line that makes it.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ["src", "tests", "docs", "deploy", "bench", "README.md", "Makefile"]
TEXT_SUFFIXES = {
    ".py", ".md", ".toml", ".csv", ".html", ".txt", ".sh", ".yml", ".yaml", ".cfg", ".ini",
    ".conf", ".json", ".j2", ".service", ".env", ".example",
}
TEXT_NAMES = {"Makefile", "Dockerfile", "Procfile"}
SKIPPED_DIRS = {"__pycache__", "node_modules", ".venv", "var", "results", "static"}
THIS_FILE = Path(__file__).resolve()

# A path that starts at a top-level folder of the repository (or at a folder that only exists
# outside it): not preceded by a word character, a slash or a dot, so URLs and absolute paths
# on a server are left alone.
PATH_RE = re.compile(
    r"(?<![\w/.-])((?:src|tests|docs|bench|deploy|scripts|examples|shared|sources)/[\w./<>{}*-]*)"
)
# A bare Markdown file name in capitals: DOMAIN.md, README.md.
BARE_MD_RE = re.compile(r"(?<![\w/.-])([A-Z][A-Z0-9_-]*\.md)\b")
DOMAIN_SECTION_RE = re.compile(r"docs/domain\.md\s*§\s*(.+)")
PLACEHOLDER = re.compile(r"[<{*]")


def scanned_files() -> list[Path]:
    files: list[Path] = []
    for name in SCANNED:
        top = ROOT / name
        if top.is_file():
            files.append(top)
            continue
        for path in sorted(top.rglob("*")):
            parts = path.relative_to(ROOT).parts
            if not path.is_file() or SKIPPED_DIRS.intersection(parts):
                continue
            # Build output (`pip install -e` writes src/zhicheng.egg-info/SOURCES.txt, which
            # lists files of earlier builds): not the repository's own text.
            if any(part.endswith(".egg-info") for part in parts):
                continue
            if path.resolve() == THIS_FILE:
                continue
            if path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES:
                files.append(path)
    return files


def read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return []


def domain_headings() -> list[str]:
    text = (ROOT / "docs" / "domain.md").read_text(encoding="utf-8")
    headings = [m.group(1).strip() for m in re.finditer(r"^#{2,6}\s+(.+)$", text, re.M)]
    return sorted(headings, key=len, reverse=True)


def cited_path_exists(cited: str) -> bool:
    cited = PLACEHOLDER.split(cited, maxsplit=1)[0]
    cited = cited.rstrip(".,;:)」）。'\"`")
    return (ROOT / cited).exists()


def dangling_citations() -> list[str]:
    headings = domain_headings() if (ROOT / "docs" / "domain.md").exists() else []
    found: list[str] = []
    for path in scanned_files():
        lines = read_lines(path)
        where = path.relative_to(ROOT)
        for number, line in enumerate(lines, start=1):
            for match in PATH_RE.finditer(line):
                if not cited_path_exists(match.group(1)):
                    found.append(f"{where}:{number}: {match.group(1)}")
            for match in BARE_MD_RE.finditer(line):
                name = match.group(1)
                if not ((ROOT / name).exists() or (path.parent / name).exists()):
                    found.append(f"{where}:{number}: {name}")
            for match in DOMAIN_SECTION_RE.finditer(line):
                section = match.group(1)
                if section.startswith("<"):  # the pattern itself, explained in the docs
                    continue
                if not any(section.startswith(heading) for heading in headings):
                    found.append(f"{where}:{number}: docs/domain.md §{section.strip()}")
    return found


def test_every_cited_file_and_section_is_in_the_repository():
    dangling = dangling_citations()
    assert not dangling, "citations that lead outside the repository:\n" + "\n".join(dangling)


TRACKER_NUMBER_RE = re.compile(r"\b[Ii]ssues? #?\d+|\(#\d+\)")


def test_no_tracker_issue_numbers():
    # The tracker is not part of the repository: say what a change is, not which ticket asked.
    found = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for path in scanned_files()
        for number, line in enumerate(read_lines(path), start=1)
        for match in TRACKER_NUMBER_RE.finditer(line)
    ]
    assert not found, "tracker numbers:\n" + "\n".join(found)


def test_the_scan_sees_the_files_that_cite():
    # The scan must not pass by reading nothing: the season data and the domain notes are read.
    names = {p.relative_to(ROOT).as_posix() for p in scanned_files()}
    assert "src/zhicheng/policy/seasons/lianyungang-2024/requirements.toml" in names
    assert "src/zhicheng/policy/data/catalogue.toml" in names
    assert "README.md" in names


def test_a_missing_heading_is_caught():
    headings = domain_headings()
    assert "Years of work" in headings
    line = "source = \"docs/domain.md §No such heading\""
    section = DOMAIN_SECTION_RE.search(line).group(1)  # type: ignore[union-attr]
    assert not any(section.startswith(h) for h in headings)

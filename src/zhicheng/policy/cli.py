"""`zhicheng eligibility`: decide a profile (or a batch of them) from the command line.

    eligibility PROFILE.json [--text] [--season CODE[@VERSION]]
    eligibility --batch IN.jsonl [-o OUT.jsonl] [--workers N] [--season CODE[@VERSION]]

`--season` names the season (default: the current published season of the database, else the
newest installed package, `policy.season.default_season_code`): a code, a code
with a stored version number (`zhicheng eligibility` resolves it in the database), or the path
of a season package folder or zip (docs/seasons.md).

A decision is printed whatever the verdict (exit 0). Invalid input exits 2 and names the JSON
path and problem of every bad field (and, in batch mode, the line).
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Protocol

from pydantic import ValidationError

from zhicheng.policy.engine import evaluate
from zhicheng.policy.profile import Profile
from zhicheng.policy.season import Season, SeasonDataError, load_season, read_season

# Resolves --season: (code or path, version number or None) -> the engine's Season.
SeasonResolver = Callable[[str, int | None], Season]

EXIT_OK = 0
EXIT_INVALID = 2
IO_BUFFER = 1 << 20  # batch files are read and written in 1 MiB blocks
CHUNK_LINES = 256  # lines per task with --workers
DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不允许的字段（拼写错误或本版本不支持）",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "应为日期文本 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期（不含时间）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_short": "不能为空",
    "string_too_long": "文本过长",
    "list_type": "应为数组",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "dict_type": "应为对象",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "json_invalid": "不是合法的 JSON",
    "json_type": "应为 JSON 文本",
}


def json_path(loc: Iterable[Any]) -> str:
    out = "$"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def describe_errors(exc: ValidationError) -> list[dict[str, str]]:
    """Every bad field: JSON path and problem (Chinese, with the original detail)."""
    problems = []
    for err in exc.errors(include_url=False):
        kind = err["type"]
        detail = err["msg"]
        if kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            text = f"取值无效（{err.get('input')!r}），应为 {expected}"
        elif kind == "value_error":
            text = detail.removeprefix("Value error, ")
        elif kind == "date_parsing" and _looks_like_a_date(err.get("input")):
            text = _missing_day(str(err["input"]))
        else:
            text = MESSAGES.get(kind, detail)
            if kind in ("json_invalid",):
                text += f"：{err.get('ctx', {}).get('error', detail)}"
        problems.append({"path": json_path(err["loc"]), "problem": text, "type": kind})
    return problems


def _looks_like_a_date(value: object) -> bool:
    return isinstance(value, str) and DATE_SHAPE.fullmatch(value) is not None


def _missing_day(text: str) -> str:
    """The format is right but the calendar has no such day: say which part does not exist."""
    year, month, day = (int(part) for part in text.split("-"))
    if year < 1:
        return f"该日期不存在：没有{year}年（{text}）"
    if not 1 <= month <= 12:
        return f"该日期不存在：没有{month}月（{text}）"
    return f"该日期不存在：{year}年{month}月没有{day}日（{text}）"


def _print_problems(problems: list[dict[str, str]], stream: IO[str], prefix: str = "") -> None:
    for p in problems:
        stream.write(f"{prefix}{p['path']}: {p['problem']}\n")


def parse_profile(data: str | bytes) -> Profile:
    """A profile from JSON text, parsed strictly: what docs/schema/profile.schema.json accepts
    (no 1 for true, no "2019" for 2019, no timestamps or times for dates)."""
    return Profile.model_validate_json(data, strict=True)


def installed_season(code: str, version: int | None) -> Season:
    """The resolver without a database: an installed package by code, or a package path."""
    if version is not None:
        raise SeasonDataError(
            f"{code}@{version}：按版本号选择年度数据需要数据库（zhicheng eligibility）"
        )
    path = Path(code)
    if path.exists():
        return read_season(path.name.removesuffix(".zip"), path)
    return load_season(code)


def parse_season_option(text: str) -> tuple[str, int | None]:
    code, at, number = text.partition("@")
    if not at:
        return code, None
    if not number.isdigit() or int(number) < 1:
        raise SeasonDataError(f"“{text}”：@后应为版本号（正整数），如 {code or '年度代码'}@2")
    return code, int(number)


def _single(
    path: str, as_text: bool, out: IO[str], err: IO[str], season: Season | None = None
) -> int:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        err.write(f"无法读取 {path}：{exc.strerror}\n")
        return EXIT_INVALID
    if not raw.strip():
        err.write(f"{path}: 文件为空，没有申报资料\n")
        return EXIT_INVALID
    try:
        profile = parse_profile(raw)
    except ValidationError as exc:
        problems = describe_errors(exc)
        err.write(f"{path}: 申报资料不符合格式（{len(problems)}处）\n")
        _print_problems(problems, err)
        return EXIT_INVALID
    decision = evaluate(profile, season)
    out.write(decision.to_text() if as_text else decision.to_json() + "\n")
    return EXIT_OK


def decide_lines(
    lines: Iterable[bytes], season: Season | None = None
) -> Iterator[tuple[int, bytes | None, list[dict[str, str]]]]:
    """(line number, decision as one line of UTF-8 JSON or None, problems) per non-blank line."""
    season = season or load_season()
    for number, line in enumerate(lines, start=1):
        if not line or line.isspace():  # blank (same test as not line.strip(), no copy)
            continue
        try:
            profile = parse_profile(line)
        except ValidationError as exc:
            yield number, None, describe_errors(exc)
            continue
        yield number, evaluate(profile, season).to_json_bytes(), []


Result = tuple[int, bytes | None, list[dict[str, str]]]


_WORKER_SEASON: list[Season] = []


def _init_worker(season: Season | None) -> None:
    _WORKER_SEASON[:] = [season] if season is not None else []


def _decide_chunk(chunk: list[tuple[int, bytes]]) -> list[Result]:
    """decide_lines over (line number, line) pairs, in a worker process."""
    return decide_chunk(chunk, _WORKER_SEASON[0] if _WORKER_SEASON else load_season())


def decide_chunk(chunk: list[tuple[int, bytes]], season: Season) -> list[Result]:
    """One decision (or the profile's problems) per (line number, line) pair."""
    results: list[Result] = []
    for number, line in chunk:
        try:
            profile = parse_profile(line)
        except ValidationError as exc:
            results.append((number, None, describe_errors(exc)))
            continue
        results.append((number, evaluate(profile, season).to_json_bytes(), []))
    return results


def line_chunks(lines: Iterable[bytes]) -> Iterator[list[tuple[int, bytes]]]:
    """The non-blank lines as (line number, line) pairs, CHUNK_LINES at a time."""
    chunk: list[tuple[int, bytes]] = []
    for number, line in enumerate(lines, start=1):
        if not line or line.isspace():  # blank (same test as not line.strip(), no copy)
            continue
        chunk.append((number, line))
        if len(chunk) >= CHUNK_LINES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def decide_lines_parallel(
    lines: Iterable[bytes], workers: int, season: Season | None = None
) -> Iterator[Result]:
    """decide_lines in `workers` processes: same results, same order, still streaming.

    Lines go out in chunks of CHUNK_LINES; at most 4 chunks per worker are in flight, so memory
    stays flat however long the input is.
    """
    season = season or load_season()  # a bad season fails here, before any worker starts
    with multiprocessing.get_context().Pool(
        workers, initializer=_init_worker, initargs=(season,)
    ) as pool:
        pending: deque[Any] = deque()
        for chunk in line_chunks(lines):
            pending.append(pool.apply_async(_decide_chunk, (chunk,)))
            if len(pending) >= 4 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _batch(
    path: str, output: str | None, out: IO[str], err: IO[str], workers: int = 1,
    season: Season | None = None,
) -> int:
    try:
        source: IO[bytes] = (
            # closed in the `finally` below (standard input is left open)
            sys.stdin.buffer if path == "-"
            else open(path, "rb", buffering=IO_BUFFER)  # noqa: SIM115, PTH123
        )
    except OSError as exc:
        err.write(f"无法读取 {path}：{exc.strerror}\n")
        return EXIT_INVALID
    to_file = output not in (None, "-")
    sink: BinarySink = (  # closed in the `finally` below
        open(str(output), "wb", buffering=IO_BUFFER) if to_file  # noqa: SIM115, PTH123
        else _binary(out)
    )
    bad = 0
    seen = 0
    results = (
        decide_lines(source, season) if workers <= 1
        else decide_lines_parallel(source, workers, season)
    )
    try:
        for number, data, problems in results:
            seen += 1
            if data is None:
                bad += 1
                err.write(f"第{number}行（line {number}）：申报资料不符合格式\n")
                _print_problems(problems, err, prefix=f"  line {number}: ")
                continue
            sink.write(data)
            sink.write(b"\n")
    finally:
        if source is not sys.stdin.buffer:
            source.close()
        if to_file:
            sink.close()
        else:
            sink.flush()
    if not seen:
        err.write(f"{path}: 文件为空，没有申报资料\n")
        return EXIT_INVALID
    if bad:
        err.write(f"共{bad}行无效，未生成结论\n")
        return EXIT_INVALID
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhicheng eligibility",
        description="职称申报资格审核：按申报季政策判断申报资料是否符合条件并说明依据。",
    )
    parser.add_argument("profile", nargs="?", help="申报资料 JSON 文件 (profile)")
    parser.add_argument("--text", action="store_true", help="以审核意见文字输出")
    parser.add_argument(
        "--batch", metavar="IN.jsonl", help="批量：每行一份申报资料（- 为标准输入）"
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT.jsonl", help="批量结果输出文件（默认标准输出）"
    )
    parser.add_argument(
        "--workers",
        metavar="N",
        type=int,
        default=1,
        help="批量：并行进程数（默认 1；输出内容和顺序不变）",
    )
    parser.add_argument(
        "--season",
        metavar="CODE[@VERSION]",
        help="评审年度代码（可加 @版本号）或年度数据包路径；默认为当前已发布的评审年度",
    )
    return parser


def main(
    argv: list[str] | None = None,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
    resolve: SeasonResolver = installed_season,
) -> int:
    out = out or _utf8(sys.stdout)
    err = err or _utf8(sys.stderr)
    parser = build_parser()
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        return EXIT_INVALID if exc.code else EXIT_OK
    try:
        season = resolve(*parse_season_option(args.season)) if args.season else None
        if args.batch:
            if args.profile:
                err.write("--batch 与单个 PROFILE 不能同时使用\n")
                return EXIT_INVALID
            if args.workers < 1:
                err.write("--workers 应为正整数\n")
                return EXIT_INVALID
            return _batch(args.batch, args.output, out, err, args.workers, season)
        if not args.profile:
            parser.print_usage(err)
            err.write("缺少 PROFILE.json（或使用 --batch IN.jsonl）\n")
            return EXIT_INVALID
        return _single(args.profile, args.text, out, err, season)
    except SeasonDataError as exc:
        err.write(f"申报季数据错误：{exc}\n")
        return 1
    finally:
        out.flush()


class BinarySink(Protocol):
    def write(self, data: bytes, /) -> int: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...


class _TextSink:
    """Bytes written to a text stream that has no binary buffer (e.g. io.StringIO in tests)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, data: bytes, /) -> int:
        return self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        self.flush()


def _binary(stream: IO[str]) -> BinarySink:
    buffer = getattr(stream, "buffer", None)
    if isinstance(buffer, io.BufferedIOBase):
        stream.flush()
        return buffer
    return _TextSink(stream)


def _utf8(stream: IO[str]) -> IO[str]:
    if isinstance(stream, io.TextIOWrapper) and (stream.encoding or "").lower() != "utf-8":
        stream.reconfigure(encoding="utf-8")
    return stream


if __name__ == "__main__":
    raise SystemExit(main())

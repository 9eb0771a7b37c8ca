"""Reading a large uploaded sheet: openpyxl's read-only mode against python-calamine, the reader
`core.tabular.read_rows(streaming=True)` uses for the imports (expert roster, provincial
results). A roster-shaped workbook of ROWS rows (default 20,000; 9 columns with text and
dates) is read three times by each; the best CPU time (`time.process_time`) of each is shown
with the load average.

    python bench/bench_tabular.py [ROWS]

Not collected by `make bench` (no test_* function); figures in bench/README.md.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook


def roster(rows: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("评审专家花名册")
    ws.append(["姓名", "证件号码", "账户名", "系列", "专业", "职称层级", "工作单位", "入库日期",
               "任期届满"])
    for n in range(rows):
        ws.append([f"专家{n}", f"32070619800101{n % 10000:04d}", f"u{n}", "工程系列", "质量工程",
                   "副高级", "连云港市某某有限公司", dt.date(2024, 1, 1), dt.date(2026, 12, 31)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_openpyxl(data: bytes) -> list[Any]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


def with_calamine(data: bytes) -> list[Any]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return list(sheet.to_python(skip_empty_area=False))


def best(read: Callable[[bytes], list[Any]], data: bytes) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(3):
        start = time.process_time()
        count = len(read(data))
        times.append(time.process_time() - start)
    return min(times), count


def main(rows: int) -> None:
    data = roster(rows)
    print(f"roster of {rows} rows, {len(data) // 1024} KB; load average {os.getloadavg()}")
    slow, n = best(with_openpyxl, data)
    fast, m = best(with_calamine, data)
    assert n == m == rows + 1
    print(f"openpyxl read-only: {slow:.3f} s CPU; python-calamine: {fast:.3f} s CPU "
          f"({slow / fast:.1f}x less)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)

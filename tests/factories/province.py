"""Builders for the provincial exchange tests: senior dossiers forwarded to the province
through the real operations, and the results form filled in as the province returns it."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook


def resident_id(serial: int) -> str:
    body = f"3207061985{1 + serial % 12:02d}{1 + serial % 28:02d}{serial % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def forwarded(chain: Any, city_office: Any, serial: int) -> Any:
    """A senior dossier forwarded to the province, its applicant with a resident ID."""
    from zhicheng.accounts.models import User
    from zhicheng.reviews import operations as rops

    app = chain.at_committee(level="associate_senior")
    User.objects.filter(pk=app.applicant_id).update(id_type="resident",
                                                     id_number=resident_id(serial))
    rops.city_office_review(app, city_office, opinion="材料齐全，同意报省。")
    rops.record_dossier_view(app, chain.committee)
    rops.forward_to_province(app, chain.committee)
    app.refresh_from_db()
    return app


def fill_form(data: bytes, results: dict[int, tuple[str, str]]) -> bytes:
    """The downloaded form with 评审结果/省级文号 filled per 申报编号 (as the province does)."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    col_id = header.index("申报编号（系统用）") + 1
    col_result = header.index("评审结果") + 1
    col_number = header.index("省级文号") + 1
    for row in range(2, ws.max_row + 1):
        pk = ws.cell(row=row, column=col_id).value
        if pk in results:
            ws.cell(row=row, column=col_result).value = results[pk][0]
            ws.cell(row=row, column=col_number).value = results[pk][1]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def workbook(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

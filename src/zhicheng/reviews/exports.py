"""Exports: each worklist to Excel (openpyxl write-only, streamed), and the package a senior
dossier is forwarded to the province with (snapshot, materials verified against their hashes,
the review trail from the audit events)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.utils import timezone
from openpyxl import Workbook

from zhicheng.applications.models import Application, Submission
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import OperationError
from zhicheng.core.xlsx import stream_workbook

WORKLIST_COLUMNS = [
    "申报编号", "申报人", "用人单位", "初审单位", "评审计划", "系列", "专业", "层级", "状态",
    "提交时间", "期限（补正或公示截止）", "退回次数",
]


def worklist_rows(apps: Iterable[Application]) -> Iterator[list[Any]]:
    for app in apps:
        yield [
            app.pk,
            getattr(app.applicant, "full_name", "") or str(app.applicant),
            app.employer.name if app.employer else ("自由职业" if app.freelancer else ""),
            app.preliminary_reviewer.name if app.preliminary_reviewer else "",
            str(app.plan),
            app.series.name,
            app.specialty,
            str(app.get_level_display()),
            app.state_label,
            # Beijing time, as every page shows it (Excel cells carry no time zone).
            timezone.localtime(app.submitted_at).replace(tzinfo=None) if app.submitted_at
            else None,
            getattr(app, "due_date", None) or getattr(app, "publicity_end", None),
            getattr(app, "returns", 0),
        ]


def worklist_xlsx(apps: Iterable[Application], chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    """Write the rows in openpyxl's write-only mode (constant memory), then stream the file."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("待办")
    ws.append(WORKLIST_COLUMNS)
    for row in worklist_rows(apps):
        ws.append(row)
    return stream_workbook(wb, chunk_size)


# --- the provincial package -----------------------------------------------------------------


def _json(data: Any) -> bytes:
    return json.dumps(
        data, ensure_ascii=False, sort_keys=True, indent=2, cls=DjangoJSONEncoder
    ).encode("utf-8")


def review_trail(app: Application) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(
        target_type="applications.application", target_id=str(app.pk)
    ).order_by(F("seq").asc(nulls_last=True), "id")  # an event not chained yet comes last
    return [
        {
            "seq": e.seq, "created_at": e.created_at.isoformat(), "actor": e.actor_label,
            "action": e.action, "summary": e.summary, "data": e.data, "hash": e.hash,
            "prev_hash": e.prev_hash,
        }
        for e in events
    ]


def build_package(
    app: Application, submission: Submission | None, *, forwarded_at: dt.datetime
) -> tuple[bytes, str]:
    """The zip sent to the province, and its SHA-256. Refuses a material whose stored file
    no longer has the hash recorded at upload."""
    if submission is None:
        raise OperationError("该申报没有提交快照，不能报送。")
    stamp = forwarded_at.astimezone(dt.UTC).timetuple()[:6]
    buf = io.BytesIO()
    manifest: dict[str, Any] = {
        "format": "zhicheng.provincial-package/1",
        "application": app.pk,
        "submission": {"number": submission.number, "sha256": submission.sha256},
        "forwarded_at": forwarded_at.isoformat(),
        "materials": [],
    }
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:

        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)

        add("snapshot.json", _json(submission.snapshot))
        for i, m in enumerate(submission.snapshot.get("materials", []), 1):
            try:
                with default_storage.open(m["stored_name"], "rb") as fh:
                    data = fh.read()
            except FileNotFoundError:
                raise OperationError(f"材料“{m['title']}”的文件缺失，不能报送。") from None
            digest = hashlib.sha256(data).hexdigest()
            if digest != m["sha256"]:
                raise OperationError(f"材料“{m['title']}”与上传时的哈希不一致，不能报送。")
            ext = m["stored_name"].rsplit(".", 1)[-1] if "." in m["stored_name"] else "bin"
            name = f"materials/{i:02d}-{m['sha256'][:16]}.{ext}"
            add(name, data)
            manifest["materials"].append(
                {"file": name, "title": m["title"], "kind": m["kind"], "sha256": digest,
                 "verified": True}
            )
        steps = [
            {"step": s.step, "organisation": s.organisation.name if s.organisation else "",
             "actor": s.actor_label, "reasons": s.reasons, "is_return": s.is_return,
             "created_at": s.created_at.isoformat()}
            for s in app.review_steps.select_related("organisation").order_by("created_at", "pk")
        ]
        add("review_steps.json", _json(steps))
        add("audit_trail.json", _json(review_trail(app)))
        add("manifest.json", _json(manifest))
    data = buf.getvalue()
    return data, hashlib.sha256(data).hexdigest()

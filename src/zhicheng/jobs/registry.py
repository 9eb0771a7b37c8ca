"""The kinds of job: what each one is called, who may start and follow it, and its runner.

A kind is registered once (`jobs/kinds.py`). Its runner gets the job and a `Progress` and
returns an `Outcome`: a file written to a temporary file (stored only once the runner has
finished, so a failure keeps nothing half-written) and a sentence for the status page. It
refuses in Chinese by raising `OperationError`; anything else is logged and shown as a
generic Chinese reason (never a traceback)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.db import OperationalError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from .models import Job

LOCK_RETRIES = 100
LOCK_PAUSE = 0.02  # seconds


def update_job(rows: QuerySet[Job], **fields: Any) -> int:
    """A job's own state write (progress, claim, result), retried while the embedded SQLite
    database reports the table locked: a worker thread of the server writes the row while a
    request thread is reading it (the status page polls every 2 s), and SQLite's shared cache
    refuses at once instead of waiting. Any other error, or a lock that lasts about 2 s, is
    raised. PostgreSQL never reports this: it waits on the row lock."""
    for attempt in range(LOCK_RETRIES):
        try:
            return rows.update(**fields)
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == LOCK_RETRIES - 1:
                raise
            time.sleep(LOCK_PAUSE)
    raise AssertionError("unreachable")


@dataclass
class Outcome:
    summary: str = ""
    file: IO[bytes] | None = None  # a temporary file, read from the start and closed by the runner
    filename: str = ""
    # An import's preview or result for its status page (jobs/imports.py), stored on the job.
    report: dict[str, Any] | None = None


class Progress:
    """done/total of a job, written to its row without an audit event. The row is written at
    most about a hundred times, whatever the total (each whole percent)."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.done = 0
        self._written = -1
        self.total: int | None = None

    def start(self, total: int) -> None:
        """Count `total` items from zero (an import counts the rows it read first, unbounded,
        then starts again for the rows it checks)."""
        self.total = total
        self.done = 0
        self._write(force=True)

    def step(self, n: int = 1) -> None:
        self.done += n
        self._write()

    def _write(self, *, force: bool = False) -> None:
        # Without a total yet (rows still being read) the count is written every 500 items.
        grain = max(1, self.total // 100) if self.total is not None else 500
        if force or self.done - self._written >= grain or self.done == self.total:
            update_job(Job.objects.filter(pk=self.job.pk), done=self.done, total=self.total,
                       heartbeat_at=timezone.now())
            self._written = self.done


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    # May this person start (and, unless owner_only, follow and download) a job on this scope?
    allowed: Callable[[Any, dict[str, Any]], bool]
    run: Callable[[Job, Progress], Outcome]
    describe: Callable[[dict[str, Any]], str]  # the scope in words, for the pages
    owner_only: bool = False  # its result holds what only the owner may read (their worklist)
    # A check in the transaction that starts the job (e.g. an import confirmed only once),
    # refusing in Chinese with OperationError.
    before_start: Callable[[Any, dict[str, Any]], None] | None = None
    needs_upload: bool = False  # an import: started with the uploaded file (jobs/imports.py)
    # An import's preview: the kind that applies it, offered on the finished preview's page.
    confirmed_by: str = ""
    # The page the job was started from, for the status page's link back (None: none).
    back: Callable[[dict[str, Any]], str | None] | None = None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


def kind_of(code: str) -> Kind | None:
    return KINDS.get(code)

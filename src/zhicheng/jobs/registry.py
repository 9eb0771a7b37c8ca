"""The kinds of job: what each one is called, who may start and follow it, and its runner.

A kind is registered once (`jobs/kinds.py`). Its runner gets the job and a `Progress` and
returns an `Outcome`: a file written to a temporary file (stored only once the runner has
finished, so a failure keeps nothing half-written) and a sentence for the status page. It
refuses in Chinese by raising `OperationError`; anything else is logged and shown as a
generic Chinese reason (never a traceback)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.utils import timezone
from django.utils.functional import Promise

from .models import Job


@dataclass
class Outcome:
    summary: str = ""
    file: IO[bytes] | None = None  # a temporary file, read from the start and closed by the runner
    filename: str = ""


class Progress:
    """done/total of a job, written to its row without an audit event. The row is written at
    most about a hundred times, whatever the total (each whole percent)."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.done = 0
        self._written = -1
        self.total: int | None = None

    def start(self, total: int) -> None:
        self.total = total
        self._write(force=True)

    def step(self, n: int = 1) -> None:
        self.done += n
        self._write()

    def _write(self, *, force: bool = False) -> None:
        grain = max(1, (self.total or 0) // 100)
        if force or self.done - self._written >= grain or self.done == self.total:
            Job.objects.filter(pk=self.job.pk).update(done=self.done, total=self.total,
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


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


def kind_of(code: str) -> Kind | None:
    return KINDS.get(code)

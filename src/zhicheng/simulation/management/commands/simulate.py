"""zhicheng simulate [--applicants N] [--seed S] [--batch-size B] [--phases a,b,...]"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import override_settings

from zhicheng.core.audit import verify_chain
from zhicheng.core.operations import OperationError
from zhicheng.seasons.models import Season
from zhicheng.simulation.driver import PHASES, Report, Simulation

# Synthetic people get no mail: the inbox rows are written, the mail goes nowhere.
QUIET_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend",
                          "OPTIONS": {}}}


def format_report(report: Report) -> str:
    lines = [
        f"simulated season: {report.applicants} applicants, seed {report.seed}, "
        f"{report.plans} plans, {report.employers} employers, {report.meetings} meetings, "
        f"database {report.database}, {report.workers} "
        f"{'worker' if report.workers == 1 else 'workers side by side'}",
        "",
        "end state                      count",
    ]
    for state, count in sorted(report.states.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {state:<28} {count:>6}")
    lines.append(f"  {'(applicants without a draft)':<28} "
                 f"{report.applicants - sum(report.states.values()):>6}")
    lines += ["", f"certificates issued {report.certificates}, revoked "
                  f"{report.revoked_certificates}; integrity records {report.integrity_records}",
              "", "phase            wall s    CPU s   audit events"]
    for phase, seconds in report.phase_seconds.items():
        cpu = report.phase_cpu_seconds.get(phase, 0.0)
        events = report.phase_events.get(phase, 0)
        lines.append(f"  {phase:<14} {seconds:8.1f} {cpu:8.1f} {events:>12}")
    events = sum(report.phase_events.values())
    cpu = sum(report.phase_cpu_seconds.values())
    lines.append(f"  {'total':<14} {report.total_seconds:8.1f} {cpu:8.1f} {events:>12}")
    if report.workers > 1:
        lines.append("  (wall s per phase: the slowest worker; CPU s: all workers together)")
    if report.errors:
        lines += ["", f"refusals ({len(report.errors)}):"] + [f"  {e}" for e in report.errors[:20]]
    return "\n".join(lines)


class Command(BaseCommand):
    help = ("Simulate a whole evaluation season: synthetic applicants driven through the real "
            "operations to results and certificates (docs/simulation.md).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--season", default="")
        parser.add_argument("--applicants", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--batch-size", type=int, default=200,
                            help="applications per transaction (default 200)")
        parser.add_argument("--phases", default="",
                            help=f"stop after these phases (in order): {','.join(PHASES)}")
        parser.add_argument("--workers", type=int, default=1,
                            help="processes side by side, plans shared out (PostgreSQL only)")
        parser.add_argument("--label", default="",
                            help="names this run's synthetic data (default: s<seed>)")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")
        parser.add_argument("--verify", action="store_true",
                            help="verify the audit chain at the end")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["applicants"] < 1:
            raise CommandError("--applicants must be at least 1")
        phases = [p.strip() for p in options["phases"].split(",") if p.strip()]
        unknown = [p for p in phases if p not in PHASES]
        if unknown:
            raise CommandError(
                f"unknown phase(s) {', '.join(unknown)}; phases: {', '.join(PHASES)}")
        season = (Season.objects.filter(code=options["season"]).first() if options["season"]
                  else Season.objects.filter(is_current=True).first()
                  or Season.objects.order_by("-year").first())
        if season is None:
            raise CommandError("no season loaded: run `zhicheng load_season` first")
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        if options["workers"] > 1 and connection.vendor != "postgresql":
            raise CommandError("--workers needs PostgreSQL (SQLite has one writer at a time)")
        if connection.vendor == "sqlite":
            # A season is hundreds of thousands of small transactions: WAL without an fsync
            # per commit (durable across a crash of the process, not of the machine).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
        pinned = getattr(settings, "ZHICHENG_TODAY", "")
        sim = Simulation(season, applicants=options["applicants"], seed=options["seed"],
                         batch_size=options["batch_size"], progress=not options["no_progress"],
                         label=options["label"], workers=options["workers"])
        try:
            with override_settings(MAILERS=QUIET_MAIL,
                                   EMAIL_BACKEND=QUIET_MAIL["default"]["BACKEND"]):
                report = sim.run(phases or None)
        except OperationError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            settings.ZHICHENG_TODAY = pinned
        if options["json"]:
            self.stdout.write(json.dumps({
                "states": dict(report.states), "fates": dict(report.fates),
                "phase_seconds": report.phase_seconds,
                "phase_cpu_seconds": report.phase_cpu_seconds, "phase_events": report.phase_events,
                "wall_seconds": report.wall_seconds, "workers": report.workers,
                "certificates": report.certificates, "errors": report.errors,
            }, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(format_report(report))
        if options["verify"]:
            self.stdout.write(str(verify_chain()))

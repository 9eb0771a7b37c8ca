"""Every certificate of a season as PDFs through the real Celery task.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhicheng_sim20k ZHICHENG_VAR_DIR=... \
        .venv/bin/python bench/bench_certificates_celery.py [--season CODE]

Against a database that already holds the certificates (e.g. after `zhicheng simulate`), it
starts a Celery worker as its own process (Redis broker, a queue of its own, `--pool solo`
so the task runs in the worker's main process), sends `bulk.certificates_zip` for the
season, waits for the worker to log the task's success, stops the worker and reports: the
number of PDFs, the task's own duration (from the worker's log), the worker's CPU time and
peak RSS (`/usr/bin/time -v` around it), its RSS just before the task, and the zip's size.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def worker_pid(wrapper: int) -> int:
    children = Path(f"/proc/{wrapper}/task/{wrapper}/children").read_text().split()
    return int(children[0]) if children else wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--season", default="", help="season code (default: the current one)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--timeout", type=int, default=7200)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("DATABASE_URL must name the database that holds the certificates")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")
    queue = f"bench-certificates-{os.getpid()}"
    os.environ.update(REDIS_URL=args.redis, ZHICHENG_CELERY_QUEUE=queue)  # the worker's too
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.storage import default_storage

    from zhicheng.certificates.models import Certificate
    from zhicheng.seasons.models import Season

    season = (Season.objects.get(code=args.season) if args.season
              else Season.objects.filter(is_current=True).first()
              or Season.objects.order_by("-year").first())
    assert season is not None, "no season"
    valid = Certificate.objects.filter(application__season=season, status="valid").count()
    name = f"certificates/bulk/season-{season.pk}.zip"
    if default_storage.exists(name):
        default_storage.delete(name)

    with tempfile.TemporaryDirectory() as tmp:
        log, timing = Path(tmp) / "worker.log", Path(tmp) / "time.txt"
        wrapper = subprocess.Popen(
            ["/usr/bin/time", "-v", "-o", str(timing), str(BIN / "celery"), "-A",
             "zhicheng.celery", "worker", "--pool", "solo", "--queues", queue,
             "--loglevel", "INFO", "--logfile", str(log), "--without-heartbeat",
             "--without-gossip", "--without-mingle"], cwd=ROOT)
        pid = 0
        try:
            for _ in range(120):
                if log.exists() and "ready." in log.read_text():
                    break
                time.sleep(0.5)
            else:
                sys.exit("the worker did not start; see its log")
            pid = worker_pid(wrapper.pid)
            before = rss_kib(pid)
            from zhicheng.celery import app

            sent = time.perf_counter()
            app.send_task("bulk.certificates_zip", args=[season.pk], queue=queue)
            pattern = re.compile(r"bulk\.certificates_zip\[[^\]]+\] succeeded in ([0-9.]+)s")
            while True:
                text = log.read_text()
                found = pattern.search(text)
                if found or "raised unexpected" in text:
                    break
                if time.perf_counter() - sent > args.timeout:
                    sys.exit("timed out")
                time.sleep(1)
            elapsed = time.perf_counter() - sent
            if not found:
                sys.exit("the task failed:\n" + text[-3000:])
        finally:  # stop the worker itself: /usr/bin/time would die and leave it running
            os.kill(pid or worker_pid(wrapper.pid), signal.SIGTERM)
            wrapper.wait(60)
        report = timing.read_text()

    def field(label: str) -> str:
        m = re.search(rf"{re.escape(label)}: (.+)", report)
        return m.group(1).strip() if m else ""

    import zipfile

    size = default_storage.size(name)
    with default_storage.open(name, "rb") as fh, zipfile.ZipFile(fh) as zf:
        pdfs = [i for i in zf.infolist() if i.filename.endswith(".pdf")]
        first_pdf = zf.read(pdfs[0]) if pdfs else b""
    result = {
        "season": season.code, "certificates_valid": valid,
        "task_seconds": float(found.group(1)), "wall_seconds_from_send": round(elapsed, 1),
        "worker_cpu_seconds": round(float(field("User time (seconds)"))
                                    + float(field("System time (seconds)")), 1),
        "worker_rss_before_task_mib": round(before / 1024, 1),
        "worker_peak_rss_mib": round(int(field("Maximum resident set size (kbytes)")) / 1024, 1),
        "pdfs_in_zip": len(pdfs), "first_pdf_starts_with": first_pdf[:8].decode("latin-1"),
        "zip_mib": round(size / 1024 / 1024, 1),
        "zip": str(Path(settings.MEDIA_ROOT) / name),
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

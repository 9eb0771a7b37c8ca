"""`/readyz`: can this installation do its work? Each check answers a machine-readable status
(`ok`, `fail`, `skipped`) and a Chinese one, and the page is 503 when one fails
(docs/monitoring.md). `/healthz` (core.health) stays the trivial liveness answer.

Checks: every configured database (primary and replicas), the cache, the Celery broker, the
age of a worker's heartbeat, free disk where uploads are stored, and the age and result of the
last audit-chain verification. `scope=web` keeps only what an app server needs to serve pages
(databases, cache, disk): a load balancer polls that, so a stopped worker does not take every
app server out of rotation while the full answer still reports it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections
from django.utils import timezone

from zhicheng.auditlog.operations import latest
from zhicheng.celery import app
from zhicheng.core.links import site_url_problem

from .tasks import HEARTBEAT_KEY

OK, FAIL, SKIPPED = "ok", "fail", "skipped"
STATUS_LABELS = {OK: "正常", FAIL: "异常", SKIPPED: "不适用"}


@dataclass
class Check:
    name: str
    label: str
    status: str
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "label": self.label, "status": self.status,
                "status_label": STATUS_LABELS[self.status], "detail": self.detail}


def _error(exc: BaseException) -> str:
    """The class and first line of an error (driver messages name hosts, never passwords)."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first}"[:200]


def check_databases(handler: Any = None) -> list[Check]:
    handler = handler or connections
    found = []
    for alias in handler:
        label = "数据库（主库）" if alias == "default" else f"数据库（只读副本 {alias}）"
        try:
            with handler[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            found.append(Check(f"database:{alias}", label, OK, "可以连接"))
        except Exception as exc:
            found.append(Check(f"database:{alias}", label, FAIL, "无法连接：" + _error(exc)))
    return found


def check_cache() -> Check:
    key = f"zhicheng:readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        value = cache.get(key)
        cache.delete(key)
    except Exception as exc:
        return Check("cache", "缓存", FAIL, "无法读写：" + _error(exc))
    if value != "1":
        return Check("cache", "缓存", FAIL, "写入的值读不回来")
    return Check("cache", "缓存", OK, "可以读写")


def check_broker() -> Check:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return Check("broker", "任务队列", SKIPPED, "嵌入模式：任务在网站进程内运行")

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        return Check("broker", "任务队列", FAIL, "无法连接：" + _error(exc))
    return Check("broker", "任务队列", OK, "可以连接")


def check_worker(now: dt.datetime | None = None) -> Check:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return Check("worker", "后台任务进程", SKIPPED, "嵌入模式：任务在网站进程内运行")

    limit = int(getattr(settings, "ZHICHENG_HEARTBEAT_MAX_AGE_SECONDS", 300))
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception as exc:
        return Check("worker", "后台任务进程", FAIL, "读不到心跳：" + _error(exc))
    if not beat:
        return Check("worker", "后台任务进程", FAIL, "没有任何后台任务进程报告过心跳")
    age = ((now or timezone.now()) - dt.datetime.fromisoformat(beat["at"])).total_seconds()
    if age > limit:
        return Check("worker", "后台任务进程", FAIL,
                     f"最近一次心跳在{int(age)}秒前（超过{limit}秒）")
    return Check("worker", "后台任务进程", OK, f"最近一次心跳在{int(age)}秒前")


def check_disk() -> Check:
    if settings.STORAGES["default"]["BACKEND"] != "django.core.files.storage.FileSystemStorage":
        return Check("disk", "上传文件磁盘空间", SKIPPED, "上传文件存放在对象存储")
    minimum = int(getattr(settings, "ZHICHENG_READY_MIN_FREE_MB", 1024))
    path = Path(settings.MEDIA_ROOT)
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        free = shutil.disk_usage(path).free // (1024 * 1024)
    except OSError as exc:
        return Check("disk", "上传文件磁盘空间", FAIL, "无法读取：" + _error(exc))
    if free < minimum:
        return Check("disk", "上传文件磁盘空间", FAIL, f"剩余{free} MB，低于{minimum} MB")
    return Check("disk", "上传文件磁盘空间", OK, f"剩余{free} MB")


def check_audit(now: dt.datetime | None = None) -> Check:

    interval = int(getattr(settings, "ZHICHENG_AUDIT_VERIFY_SECONDS", 3600))
    try:
        last = latest()
    except Exception as exc:
        return Check("audit", "审计链校验", FAIL, "无法读取：" + _error(exc))
    if last is None:
        return Check("audit", "审计链校验", OK, "尚未校验（后台任务进程每小时校验一次）")
    if not last.ok:
        return Check("audit", "审计链校验", FAIL,
                     f"最近一次校验发现第{last.broken_seq}条事件处断裂")
    age = ((now or timezone.now()) - last.checked_at).total_seconds()
    if age > 2 * interval + 600:
        return Check("audit", "审计链校验", FAIL,
                     f"最近一次校验在{int(age // 60)}分钟前，定时校验可能已停止")
    return Check("audit", "审计链校验", OK, f"最近一次校验在{int(age // 60)}分钟前，链完整")


def check_site_url() -> Check:
    """Links in e-mails and SMS are built from ZHICHENG_SITE_URL (docs/notifications.md)."""
    problem = site_url_problem()
    if problem:
        return Check("site_url", "网站地址", FAIL, problem)
    return Check("site_url", "网站地址", OK, str(settings.ZHICHENG_SITE_URL))


def run_checks(scope: str = "all") -> list[Check]:
    checks: list[Check] = check_databases()
    steps: list[Callable[[], Check]] = [check_cache, check_disk]
    if scope != "web":
        steps += [check_broker, check_worker, check_audit, check_site_url]
    # A check that cannot reach the database answers for itself; the rest still run.
    checks += [step() for step in steps]
    return checks


@register(Tags.security, deploy=True)
def site_url_deploy_check(
    app_configs: Any = None, **kwargs: Any  # noqa: ARG001 (Django's check signature)
) -> list[CheckMessage]:
    """`zhicheng check --deploy`: production needs ZHICHENG_SITE_URL for absolute links."""
    problem = site_url_problem() if getattr(settings, "PRODUCTION", False) else None
    return [Error(problem, hint="ZHICHENG_SITE_URL=https://zhicheng.example.gov.cn",
                  id="zhicheng.E001")] if problem else []

"""/readyz (readiness, JSON) and /metrics (Prometheus text, behind a token)."""

from __future__ import annotations

import hmac
import os
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from .collectors import QueueCollector
from .readiness import FAIL, run_checks


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    scope = "web" if request.GET.get("scope") == "web" else "all"
    checks = run_checks(scope)
    ready = all(c.status != FAIL for c in checks)
    return JsonResponse(
        {"status": "ok" if ready else "fail", "status_label": "就绪" if ready else "未就绪",
         "scope": scope, "checks": [c.as_dict() for c in checks]},
        status=200 if ready else 503, json_dumps_params={"ensure_ascii": False},
    )


def _token_ok(request: HttpRequest) -> bool:
    token = getattr(settings, "ZHICHENG_METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition; 404 unless ZHICHENG_METRICS_TOKEN is set and sent as a bearer
    token (nginx also keeps /metrics off the public site: deploy/nginx/zhicheng.conf)."""
    if not getattr(settings, "ZHICHENG_METRICS_TOKEN", ""):
        raise Http404
    if not _token_ok(request):
        return HttpResponse("未授权\n", status=401, content_type="text/plain; charset=utf-8",
                            headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several gunicorn workers: add up every process's files (docs/monitoring.md).
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(QueueCollector())
        output = generate_latest(registry)
    else:
        output = generate_latest(REGISTRY) + generate_latest(_queue_registry())
    return HttpResponse(output, content_type=CONTENT_TYPE_LATEST)


def _queue_registry() -> Any:
    registry = CollectorRegistry()
    registry.register(QueueCollector())
    return registry

"""/readyz (readiness, JSON) and /metrics (Prometheus text, behind a token)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

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
    from django_prometheus.exports import ExportToDjangoView

    from .collectors import register_queue_collector

    register_queue_collector()
    return ExportToDjangoView(request)

"""`/healthz`: a liveness answer that touches neither the database nor the cache.

Load balancers poll it; the load benchmark (bench/load) uses it as the ceiling of a bare
Django request through the whole middleware stack.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")

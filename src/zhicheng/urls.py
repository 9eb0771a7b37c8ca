from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from zhicheng.auditlog import urls as audit_urls
from zhicheng.certificates import urls as cert_urls
from zhicheng.core.health import healthz
from zhicheng.demo import views as demo_views
from zhicheng.evaluation import urls as evaluation_urls
from zhicheng.reviews import urls as reviews_urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("zhicheng.accounts.urls")),
    path("apply/", include("zhicheng.applications.urls")),
    path("publicity/", include("zhicheng.publicity.urls")),
    path("review/province/", include("zhicheng.reviews.province_urls")),
    path("review/", include("zhicheng.reviews.urls")),
    path("evaluation/", include("zhicheng.evaluation.urls")),
    path("draws/", include((evaluation_urls.public_patterns, "draws"))),  # public draw records
    path("draws/sampling/", include((reviews_urls.public_patterns, "samplings"))),
    # --- sanctions and audit browsing ---
    path("supervision/sanctions/", include("zhicheng.sanctions.urls")),
    path("supervision/audit/", include("zhicheng.auditlog.urls")),
    path("audit/", include((audit_urls.public_patterns, "audit"))),  # public checkpoints
    # --- end sanctions and audit browsing ---
    path("supervision/plan-import/", include("zhicheng.seasons.plan_urls")),
    path("supervision/seasons/", include("zhicheng.seasons.lifecycle_urls")),
    path("supervision/", include("zhicheng.supervision.urls")),
    path("demo-clock/", demo_views.demo_clock, name="demo_clock"),  # demo mode only
    # --- certificates ---
    path("certificates/", include((cert_urls.holder_patterns, "certificates"))),
    path("verify/", include((cert_urls.verify_patterns, "verify"))),
    # --- end certificates ---
    path("jobs/", include("zhicheng.jobs.urls")),  # 我的任务 (docs/jobs.md)
    path("api/", include("zhicheng.api.urls")),  # JSON API (docs/api.md)
    path("healthz", healthz, name="healthz"),  # load balancers; bench/load ceiling
    path("", include("zhicheng.monitoring.urls")),  # /readyz, /metrics (docs/monitoring.md)
    path("", include("zhicheng.portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

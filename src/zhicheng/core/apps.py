from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhicheng.core"
    verbose_name = _("审计与日历")

    def ready(self) -> None:
        from zhicheng import celery  # noqa: F401  (registers the Celery app)

        # Every app's django-rules predicates live in its permissions.py (docs/architecture.md).
        autodiscover_modules("permissions")
        # Every app's code -> label registrations live in its labels.py (core/labels.py).
        autodiscover_modules("labels")

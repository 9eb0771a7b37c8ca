from django.apps import AppConfig


class AuditLogConfig(AppConfig):
    name = "zhicheng.auditlog"
    label = "auditlog"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the periodic task for beat and the ticker)

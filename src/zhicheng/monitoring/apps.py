from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "zhicheng.monitoring"
    label = "monitoring"
    verbose_name = "运行监控"

    def ready(self) -> None:
        # The heartbeat task and its worker_ready hook; the deploy check of the site address.
        from . import readiness, tasks  # noqa: F401

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "zhicheng.monitoring"
    label = "monitoring"
    verbose_name = "运行监控"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (the heartbeat task and its worker_ready hook)

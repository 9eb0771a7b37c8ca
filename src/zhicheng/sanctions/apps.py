from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "zhicheng.sanctions"
    label = "sanctions"
    verbose_name = "对评委会的处理措施"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the periodic task for beat and the ticker)

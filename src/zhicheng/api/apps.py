from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhicheng.api"
    label = "api"
    verbose_name = "数据接口"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the object permissions)

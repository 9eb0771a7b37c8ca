from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "zhicheng.publicity"
    label = "publicity"
    verbose_name = "公示"

    def ready(self) -> None:
        from . import guards  # noqa: F401  (registers the state guards)

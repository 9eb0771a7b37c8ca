from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeasonsConfig(AppConfig):
    name = "zhicheng.seasons"
    verbose_name = _("年度与评审计划")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (they keep the cached city list current)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "zhicheng.portal"
    verbose_name = _("公共门户")

    def ready(self) -> None:
        from . import plancache  # noqa: F401  (its signals keep the cached plan table current)

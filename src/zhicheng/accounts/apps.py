from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhicheng.accounts"
    verbose_name = _("账户")

    def ready(self) -> None:
        # Imported in ready(): these modules import models, which load after the app registry.
        from . import receivers

        receivers.connect()  # authentication steps into the audit chain

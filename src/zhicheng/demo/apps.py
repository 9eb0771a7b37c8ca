from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo of `make run` (seeding, the demo clock): the top floor, importing the apps
    and never imported by them."""

    name = "zhicheng.demo"
    verbose_name = _("演示")

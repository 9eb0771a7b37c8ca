from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "zhicheng.orgs"
    verbose_name = _("机构与人员")

    def ready(self) -> None:
        # the app registry: these modules import the models
        from zhicheng.core.audit import register_city_of

        from .permissions import city_of_event  # imports the models (the app registry)

        register_city_of(city_of_event)

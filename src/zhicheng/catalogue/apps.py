from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "zhicheng.catalogue"
    verbose_name = _("职称目录")

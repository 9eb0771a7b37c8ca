from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "zhicheng.orgs"
    verbose_name = _("机构与人员")

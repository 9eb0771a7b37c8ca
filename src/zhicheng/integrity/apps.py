from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhicheng.integrity"
    verbose_name = "诚信档案"

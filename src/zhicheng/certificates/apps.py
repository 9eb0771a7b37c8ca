from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhicheng.certificates"
    verbose_name = "电子证书"

    def ready(self) -> None:
        # Imported in ready(): these modules import models, which load after the app registry.
        from zhicheng.core.backup import register_restore_check

        from . import guards  # noqa: F401  (registers the state machine's guards)
        from .backup import check_certificate_signatures

        register_restore_check(check_certificate_signatures)

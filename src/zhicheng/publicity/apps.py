from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "zhicheng.publicity"
    label = "publicity"
    verbose_name = "公示"

    def ready(self) -> None:
        # In ready(): models and queries import only once the app registry is ready.
        from django.db.models.signals import post_delete, post_save

        # (the app registry, as above)
        from zhicheng.seasons.models import Season

        from . import guards  # noqa: F401  (registers the state guards)
        from .queries import forget_display_windows  # (the app registry, as above)

        # The public list's display windows come from the seasons' parameters (queries).
        post_save.connect(forget_display_windows, sender=Season,
                          dispatch_uid="publicity-display-windows-save")
        post_delete.connect(forget_display_windows, sender=Season,
                            dispatch_uid="publicity-display-windows-delete")

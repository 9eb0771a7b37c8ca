from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "zhicheng.reviews"
    label = "reviews"
    verbose_name = "审核流程"

    def ready(self) -> None:
        # Imported in ready(): these modules import models, which load after the app registry.
        from zhicheng.publicity.signals import publicity_closed

        from . import guards  # noqa: F401  (registers the guards)
        from .tasks import on_publicity_closed

        publicity_closed.connect(on_publicity_closed, dispatch_uid="reviews.pre_evaluation")

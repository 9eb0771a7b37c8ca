from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


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
        _keep_worklist_keys()


def _keep_worklist_keys() -> None:
    """Every save (or delete) of what the worklist's order reads recomputes the stored order
    of its application, in the same transaction (reviews.operations.refresh_worklist_keys)."""
    # Imported here: models load after the app registry (see ready()).
    from zhicheng.applications.models import Application  # app registry
    from zhicheng.publicity.models import Publicity  # app registry

    from .models import CorrectionRequest, ReviewStep  # app registry
    from .operations import refresh_worklist_keys  # imports models: app registry

    def child_changed(instance: Any, **kwargs: Any) -> None:
        refresh_worklist_keys(instance.application_id)

    def application_saved(instance: Any, update_fields: Any = None,
                          **kwargs: Any) -> None:
        # Only a save that may move the stored keys (a full save can write stale ones back).
        if update_fields is None or {"submitted_at", "due_on", "received_at"} & set(
                update_fields):
            refresh_worklist_keys(instance.pk)

    for model in (ReviewStep, CorrectionRequest, Publicity):
        post_save.connect(child_changed, sender=model, weak=False,
                          dispatch_uid=f"reviews.worklist_keys.{model.__name__}")
        post_delete.connect(child_changed, sender=model, weak=False,
                            dispatch_uid=f"reviews.worklist_keys.del.{model.__name__}")
    post_save.connect(application_saved, sender=Application, weak=False,
                      dispatch_uid="reviews.worklist_keys.application")

"""Keeps the cached list of cities with seasons (seasons.queries.cities_with_seasons) true:
publishing a season, moving it to another city, deleting it, or renaming a city drops it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from zhicheng.orgs.models import City

from .models import Season
from .queries import forget_cities_with_seasons


@receiver(post_save, sender=Season)
@receiver(post_delete, sender=Season)
@receiver(post_save, sender=City)
@receiver(post_delete, sender=City)
def _cities_changed(**kwargs: Any) -> None:
    forget_cities_with_seasons()

"""Levels and series as people read them (core.labels)."""

from __future__ import annotations

from zhicheng.core import labels

from .models import Level, Series

labels.register_choices("level", Level)


def _series_name(code: str) -> str | None:
    return Series.objects.filter(code=code).values_list("name", flat=True).first()


# Series are reference data (the season's TOML loads them): their names live in the table.
labels.register_resolver("series", _series_name)

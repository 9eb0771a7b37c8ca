"""`{% load labels %}{{ step.step|label:"step" }}`: a code shown as its label (core.labels)."""

from __future__ import annotations

from typing import Any

from django import template

from zhicheng.core import labels

register = template.Library()


@register.filter(name="label")
def label_filter(code: Any, kind: str | None = None) -> str:
    return labels.label(code, kind or None)


@register.simple_tag
def target_label(target_type: str, target_id: Any = "") -> str:
    return labels.target_label(target_type, target_id)

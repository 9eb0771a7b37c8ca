"""One registry of the labels people see instead of codes (docs/architecture.md "Labels").

Every code a person can meet on a page, in an export, a PDF, the API's human-readable fields
or a command's output — states, review steps, audit actions and target types, series, levels,
routes, verdicts, field names, sanction kinds — has one Chinese label here (English through
gettext). Each app registers its codes in its `labels.py` (discovered at start-up by
`CoreConfig.ready()`, like `permissions.py`); the choices of every model field are read from
the models themselves, so a `TextChoices` needs no second list.

    label("unit_start_review", "step")   -> "单位开始审核"
    label("evaluation.ballot.cast", "audit_action")
    label("certificates.certificate", "target_type")  -> the model's verbose name

An unknown code comes back unchanged (nothing is lost), and `tests/core/test_labels.py`
renders every page for every demo role and fails when a registered code shows as text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

Label = str | Promise
# kind -> code -> label
_REGISTRY: dict[str, dict[str, Label]] = {}
# kind -> function(code) -> label or None, for codes built from others ("review.<step>").
_RESOLVERS: dict[str, list[Callable[[str], Label | None]]] = {}


def register(kind: str, labels: Mapping[str, Label] | Iterable[tuple[str, Label]]) -> None:
    """Add labels of one kind; a later registration of the same code wins."""
    items = labels.items() if isinstance(labels, Mapping) else labels
    _REGISTRY.setdefault(kind, {}).update({str(code): text for code, text in items})
    _field_choices.cache_clear()


def register_choices(kind: str, choices: type[models.Choices]) -> None:
    register(kind, [(str(value), text) for value, text in choices.choices])


def register_resolver(kind: str, resolver: Callable[[str], Label | None]) -> None:
    _RESOLVERS.setdefault(kind, []).append(resolver)


@cache
def _field_choices() -> dict[str, Label]:
    """The choices of every model field, code -> label (first definition wins)."""
    out: dict[str, Label] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, text in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and value:
                    out.setdefault(value, text)
    return out


def _target_type(code: str) -> Label | None:
    try:
        model = apps.get_model(code)
    except (LookupError, ValueError):
        return None
    return model._meta.verbose_name


_VERBS = {"add": _("新增"), "change": _("修改"), "delete": _("删除")}


def _reference_data_action(code: str) -> Label | None:
    """`seasons.committeeplan.change` (core.operations.save_instance) -> "修改评审计划"."""
    model_label, _dot, verb = code.rpartition(".")
    if verb not in _VERBS:
        return None
    name = _target_type(model_label)
    return None if name is None else f"{_VERBS[verb]}{name}"


def lookup(code: Any, kind: str | None = None) -> Label | None:
    """The label of `code` (of `kind` when given, else of any kind), or None."""
    if code is None or code == "":
        return None
    text = str(code)
    kinds = [kind] if kind else list(_REGISTRY)
    for k in kinds:
        found = _REGISTRY.get(k, {}).get(text)
        if found is not None:
            return found
        for resolver in _RESOLVERS.get(k, ()):
            resolved = resolver(text)
            if resolved is not None:
                return resolved
    if kind in (None, "audit_action") and text.count(".") == 2:
        found = _reference_data_action(text)
        if found is not None:
            return found
    if kind in (None, "target_type") and "." in text:
        found = _target_type(text)
        if found is not None:
            return found
    if kind in (None, "choice") or kind not in _REGISTRY:
        return _field_choices().get(text)
    return None


def label(code: Any, kind: str | None = None) -> str:
    """The translated label of `code`; the code itself when nobody registered one."""
    found = lookup(code, kind)
    if found is None:
        return "" if code is None else str(code)
    # Plain-str labels (the state table's) are msgids too: the English catalogue has them.
    return gettext(str(found))


def target_label(target_type: str, target_id: Any = "") -> str:
    """`certificates.certificate`, 6 -> "电子证书 6" (the audit's target column)."""
    name = label(target_type, "target_type")
    return f"{name} {target_id}".strip() if target_id not in (None, "") else name


def codes(kind: str | None = None) -> dict[str, str]:
    """Every registered code -> its label (of one kind, or of all kinds and model choices)."""
    out: dict[str, str] = {}
    if kind is None:
        out.update({code: str(text) for code, text in _field_choices().items()})
    for k, table in _REGISTRY.items():
        if kind is None or k == kind:
            out.update({code: str(text) for code, text in table.items()})
    return out


def kinds() -> list[str]:
    return sorted(_REGISTRY)

"""The one door for every write (docs/architecture.md): lock, check permission, check state, change,
write one audit event — all in one transaction.

    with operation(actor, "plan.update", target=(CommitteePlan, pk),
                   permission="seasons.change_committeeplan") as op:
        op.obj.phone = "..."
        op.obj.save()
        op.summary = "…"

Views, API, admin, tasks and commands call functions built on this; none change state by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import rules
from django.db import connections, models, router, transaction
from django.db.models.query import MAX_GET_RESULTS

from zhicheng.core.actors import Actor, person

from .actors import SYSTEM, System
from .audit import append_event
from .observe import operation_committed
from .prepared import prepared
from .redaction import REDACTED, is_secret_field


class OperationError(Exception):
    """A refusal the user must see, in Chinese, with the reason."""

    code = "refused"


class NotPermitted(OperationError):
    code = "not_permitted"


class StateConflict(OperationError):
    code = "state_conflict"




@dataclass
class Op:
    actor: Actor
    action: str
    obj: Any = None
    summary: str = ""
    data: dict[str, Any] = field(default_factory=dict)


__all__ = [
    "SYSTEM", "NotPermitted", "Op", "OperationError", "StateConflict", "System",
    "delete_instance", "has_permission", "operation", "require_permission", "save_instance",
]

DEFAULT_REFUSAL = "您没有权限执行此操作（或对象不在您的管辖范围内）。"

# A refusal text: fixed, or built from the locked object (it names the office that may act).
Refusal = str | Callable[[Any], str] | None


def has_permission(actor: Actor, permission: str, obj: Any = None) -> bool:
    if actor is SYSTEM:
        return True
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        return False
    user = person(actor)  # authenticated and active: a person, not the system
    if user.has_perm(permission, obj):
        return True
    # A model-wide grant (Django's own permissions) also covers each object; a django-rules
    # permission answers for the object alone (a city office of another city is refused:
    # docs/seasons.md, 多城市).
    return bool(obj is not None and not rules.perm_exists(permission)
                and user.has_perm(permission))


def require_permission(actor: Actor, permission: str, obj: Any = None,
                       refusal: Refusal = None) -> None:
    """The door's permission check, for an operation that must refuse an actor before it
    validates its input (so a stranger learns nothing from validation messages)."""
    if not has_permission(actor, permission, obj):
        text = refusal(obj) if callable(refusal) else refusal
        raise NotPermitted(text or DEFAULT_REFUSAL)


@contextmanager
def operation(
    actor: Actor,
    action: str,
    *,
    target: models.Model | tuple[type[models.Model], Any] | None = None,
    permission: str | None = None,
    refusal: Refusal = None,
    allowed_states: Collection[str] | None = None,
    state_field: str = "state",
    read: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] | None = None,
) -> Iterator[Op]:
    """`read`: shapes the query that locks the target, so that the operation reads what it
    needs of the target's related rows with it (select_related, prefetch_related, defer);
    only the target's own row is locked, and the prefetched rows are read once it is. The
    locking read is compiled once (`_locked_read`): `read` is a module-level function whose
    query is the same for every target."""
    # Row locks are FOR NO KEY UPDATE: they serialise writers of the row like FOR UPDATE but
    # do not block other transactions' foreign-key checks against it (PostgreSQL takes KEY
    # SHARE on the referenced row at commit). With FOR UPDATE, a transaction holding the audit
    # head and inserting a row that references a locked employer deadlocked with the one
    # holding the employer and waiting for the head (found by `simulate --workers 2`).
    with transaction.atomic():
        obj: Any = None
        if isinstance(target, tuple):
            model, pk = target
            obj = model._default_manager.select_for_update(no_key=True).get(pk=pk)
        elif target is not None and target.pk is not None and read is not None:
            obj = _locked_read(type(target), read, target.pk)
        elif target is not None and target.pk is not None:
            obj = type(target)._default_manager.select_for_update(no_key=True).get(pk=target.pk)
        elif target is not None:
            obj = target
        if permission is not None:
            require_permission(actor, permission, obj, refusal)
        if allowed_states is not None and getattr(obj, state_field) not in allowed_states:
            display = getattr(obj, f"get_{state_field}_display", None)
            label = display() if display else getattr(obj, state_field)
            raise StateConflict(
                f"当前状态“{label}”下不能执行此操作，可能已被他人处理，请刷新后查看。"
            )
        op = Op(actor=actor, action=action, obj=obj)
        # The season parameters the operation reads are kept in its event (core.parameters;
        # imported here: a cycle, core.parameters imports this module).
        from zhicheng.core.parameters import recording

        with recording() as used:
            yield op
        if used and isinstance(op.data, dict) and "parameters" not in op.data:
            op.data = {**op.data, "parameters": used}
        append_event(actor=actor, action=action, target=op.obj, summary=op.summary, data=op.data)
        # Counted and logged once the transaction commits (a rolled-back one did nothing).
        transaction.on_commit(operation_committed(actor, action, op.obj))


def _locking_read(model: type[models.Model], read: Callable[[models.QuerySet[Any]],
                  models.QuerySet[Any]], pk: Any) -> models.QuerySet[Any]:
    """The locking read as `QuerySet.get(pk=…)` builds it: only the target's row locked."""
    qs = (read(model._default_manager.all()).select_for_update(no_key=True, of=("self",))
          .filter(pk=pk).order_by())
    if connections[qs.db].features.supports_select_for_update_with_limit:
        qs.query.set_limits(high=MAX_GET_RESULTS)
    return qs


def _locked_read(model: type[models.Model], read: Callable[[models.QuerySet[Any]],
                 models.QuerySet[Any]], pk: Any) -> Any:
    """The target read with its lock and what `read` adds. Its SQL is compiled once per
    process thread (core.prepared): building and compiling the reads of a submission (eight
    joined tables, an annotation) cost ~2.5 ms of CPU, more than running them. `read` must
    give the same query whatever the target (no date, no actor in it)."""
    lock = prepared(("operation.read", model._meta.label, read),
                    lambda marker: _locking_read(model, read, marker), router.db_for_write(model))
    found = lock.instances(pk)
    if not found:
        # PostgreSQL rechecks a row updated while we waited for its lock against the joined
        # rows as the statement first read them: a foreign key changed by that writer (the
        # plan of a draft) drops the row. Read again, after that commit.
        found = lock.instances(pk)
    if not found:
        raise model.DoesNotExist(  # type: ignore[attr-defined]
            f"{model._meta.object_name} matching query does not exist.")
    if len(found) > 1:  # never for a primary key; as get() would
        raise model.MultipleObjectsReturned(  # type: ignore[attr-defined]
            f"get() returned more than one {model._meta.object_name} -- it returned "
            f"{len(found)}!")
    return found[0]


def model_fields_snapshot(
    instance: models.Model, names: Collection[str] | None = None
) -> dict[str, Any]:
    """The fields' values for the audit; secrets (core.redaction) appear only as a marker,
    so the event shows that a password changed, never its hash."""
    out: dict[str, Any] = {}
    label = instance._meta.label_lower
    for f in instance._meta.concrete_fields:
        if names is not None and f.name not in names:
            continue
        value = f.value_from_object(instance)
        if is_secret_field(label, f.name) or is_secret_field(label, f.attname):
            value = REDACTED if value not in (None, "") else value
        out[f.attname] = value
    return out


def save_instance(
    actor: Actor, instance: models.Model,
    *, changed: Collection[str] | None = None, action: str = ""
) -> models.Model:
    """Create or change a reference-data object (admin, importers) with its audit event."""
    meta = instance._meta
    is_new = instance._state.adding
    verb = "add" if is_new else "change"
    with operation(
        actor,
        action or f"{meta.label_lower}.{verb}",
        permission=f"{meta.app_label}.{verb}_{meta.model_name}",
    ) as op:
        instance.save()
        op.obj = instance
        op.summary = f"{'新增' if is_new else '修改'}{meta.verbose_name}：{instance}"
        op.data = {"fields": model_fields_snapshot(instance, changed)}
    return instance


def delete_instance(actor: Actor, instance: models.Model) -> None:
    meta = instance._meta
    with operation(
        actor, f"{meta.label_lower}.delete", permission=f"{meta.app_label}.delete_{meta.model_name}"
    ) as op:
        op.obj = None
        op.summary = f"删除{meta.verbose_name}：{instance}"
        op.data = {
            "target": f"{meta.label_lower}:{instance.pk}",
            "fields": model_fields_snapshot(instance),
        }
        instance.delete()

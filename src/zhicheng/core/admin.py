"""Admin changes go through the operations, so each one is audited."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import AuditEvent, CalendarDay, CalendarYear
from .operations import delete_instance, save_instance


class AuditedAdminMixin:
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        save_instance(request.user, obj, changed=form.changed_data if change else None)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        delete_instance(request.user, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            delete_instance(request.user, obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("year", "published", "source")


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("date", "is_workday", "name")
    date_hierarchy = "date"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the chain is never edited, only appended to by operations."""

    list_display = (
        "seq",
        "created_at",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "summary",
    )
    list_filter = ("action",)
    search_fields = ("action", "target_id", "summary", "actor_label")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

from django.contrib import admin

from .models import IntegrityRecord


@admin.register(IntegrityRecord)
class IntegrityRecordAdmin(admin.ModelAdmin):
    """Read-only: records are written by the operations (audited)."""

    list_display = ["subject_name", "subject_kind", "reason", "decision_number", "start", "end"]
    list_filter = ["subject_kind", "reason"]
    search_fields = ["subject_name", "decision_number"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

from django.contrib import admin

from zhicheng.orgs.admin import CityScopedAdminMixin

from .models import IntegrityRecord


@admin.register(IntegrityRecord)
class IntegrityRecordAdmin(CityScopedAdminMixin, admin.ModelAdmin):
    """Read-only: records are written by the operations (audited). A city office reads its
    own city's records (docs/seasons.md, 多城市)."""

    city_path = "city"
    list_display = ["subject_name", "subject_kind", "reason", "decision_number", "start", "end"]
    list_filter = ["subject_kind", "reason"]
    search_fields = ["subject_name", "decision_number"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

from django.contrib import admin

from zhicheng.orgs.admin import CityScopedAdminMixin

from .models import Certificate, VerificationLog


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: certificates change only through the audited operations."""

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(CityScopedAdminMixin, ReadOnlyAdmin):
    city_path = "application__season__owner"  # docs/seasons.md, 多城市
    list_display = ["number", "holder_name", "title_name", "issue_date", "status", "key_id"]
    list_filter = ["status", "route", "key_id"]
    search_fields = ["number", "holder_name"]


@admin.register(VerificationLog)
class VerificationLogAdmin(CityScopedAdminMixin, ReadOnlyAdmin):
    city_path = "certificate__application__season__owner"
    list_display = ["at", "method", "number", "result", "ip"]
    list_filter = ["result", "method"]

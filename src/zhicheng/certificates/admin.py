from django.contrib import admin

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
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "holder_name", "title_name", "issue_date", "status", "key_id"]
    list_filter = ["status", "route", "key_id"]
    search_fields = ["number", "holder_name"]


@admin.register(VerificationLog)
class VerificationLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "method", "number", "result", "ip"]
    list_filter = ["result", "method"]

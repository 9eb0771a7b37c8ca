from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from zhicheng.core.admin import AuditedAdminMixin

from .models import User


@admin.register(User)
class ZhichengUserAdmin(AuditedAdminMixin, UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("实名", {"fields": ("full_name",)}))
    list_display = ("username", "full_name", "email", "is_staff")
    search_fields = ("username", "full_name", "email")

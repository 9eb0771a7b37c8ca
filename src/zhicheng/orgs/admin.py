"""Admin for the city office: districts, organisations, memberships (every change audited)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zhicheng.core.admin import AuditedAdminMixin

from .models import City, District, Membership, Organisation


@admin.register(City)
class CityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "name_en", "code")
    search_fields = ("name", "code")


@admin.register(District)
class DistrictAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "code", "plan_row", "city")
    list_filter = ("kind", "city")
    search_fields = ("name", "code")
    ordering = ("plan_row", "name")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "short_name",
        "kind",
        "district",
        "supervisor",
        "credit_code",
        "agency_managed",
    )
    list_filter = ("kind", "city", "district", "employer_type", "agency_managed")
    search_fields = ("name", "short_name", "=credit_code")
    list_select_related = ("district", "supervisor")
    autocomplete_fields = ("supervisor",)
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind", "city")}),
        (
            _("隶属与初审渠道"),
            {"fields": ("district", "supervisor", "agency_managed")},
        ),
        (_("用人单位信息"), {"fields": ("credit_code", "employer_type")}),
        (_("联系方式"), {"fields": ("phone", "address")}),
    )


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "active")
    list_filter = ("role", "active", "organisation__kind")
    search_fields = ("user__username", "user__full_name", "organisation__name")
    list_select_related = ("user", "organisation")
    autocomplete_fields = ("user", "organisation")

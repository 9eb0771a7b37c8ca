"""Admin for the city office: districts, organisations, memberships (every change audited).
Each city office reads and changes only its own city's rows (`CityScopedAdminMixin`)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhicheng.core.admin import AuditedAdminMixin

from .models import City, District, Membership, Organisation
from .queries import in_office_cities

# The path from a model offered as a choice to its city (the choices of a foreign key are
# narrowed to the office's city the same way as the lists).
CITY_PATHS: dict[str, str] = {
    "orgs.city": "pk", "orgs.district": "city", "orgs.organisation": "city",
    "seasons.season": "owner", "seasons.committeeplan": "season__owner",
    "evaluation.committee": "office__city",
}


def scoped(request: HttpRequest, qs: QuerySet[Any], path: str) -> QuerySet[Any]:
    """`qs` within the cities of the person's city-office memberships (rows naming no city
    are the whole installation's); a superuser sees every city (docs/seasons.md, 多城市)."""
    if getattr(request.user, "is_superuser", False):
        return qs
    return qs.filter(in_office_cities(request.user, path))


class CityScopedAdminMixin:
    """An admin list, change page and delete of a city office holds only its city's rows
    (`city_path`: the path from the model to its `orgs.City`); a row of another city answers
    as missing. The choices of the foreign keys in `CITY_PATHS` are narrowed likewise, so a
    new row cannot be attached to another city's season, plan or organisation."""

    city_path: str = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)  # type: ignore[misc]
        return scoped(request, qs, self.city_path) if self.city_path else qs

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest,
                                 **kwargs: Any) -> Any:
        path = CITY_PATHS.get(db_field.related_model._meta.label_lower)
        if path is not None and "queryset" not in kwargs:
            kwargs["queryset"] = scoped(request, db_field.related_model._default_manager.all(),
                                        path)
        return super().formfield_for_foreignkey(  # type: ignore[misc]
            db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest,
                                 **kwargs: Any) -> Any:
        path = CITY_PATHS.get(db_field.related_model._meta.label_lower)
        if path is not None and "queryset" not in kwargs:
            kwargs["queryset"] = scoped(request, db_field.related_model._default_manager.all(),
                                        path)
        return super().formfield_for_manytomany(  # type: ignore[misc]
            db_field, request, **kwargs)



@admin.register(City)
class CityAdmin(CityScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    city_path = "pk"
    list_display = ("name", "name_en", "code")
    search_fields = ("name", "code")


@admin.register(District)
class DistrictAdmin(CityScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    city_path = "city"
    list_display = ("name", "kind", "code", "plan_row", "city")
    list_filter = ("kind", "city")
    search_fields = ("name", "code")
    ordering = ("plan_row", "name")


@admin.register(Organisation)
class OrganisationAdmin(CityScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    city_path = "city"
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
class MembershipAdmin(CityScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    city_path = "organisation__city"
    list_display = ("user", "organisation", "role", "active")
    list_filter = ("role", "active", "organisation__kind")
    search_fields = ("user__username", "user__full_name", "organisation__name")
    list_select_related = ("user", "organisation")
    autocomplete_fields = ("user", "organisation")

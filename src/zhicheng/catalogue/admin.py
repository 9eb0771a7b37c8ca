"""Admin for the title catalogue: series, specialties, titles (every change audited)."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhicheng.core.admin import AuditedAdminMixin

from .models import Series, Specialty, Title


@admin.register(Series)
class SeriesAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "name_en", "confidence", "position", "specialty_count")
    list_filter = ("confidence",)
    search_fields = ("name", "code", "name_en")
    ordering = ("position", "code")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Series]:
        return super().get_queryset(request).annotate(n_specialties=Count("specialties"))

    @admin.display(description=_("专业数"), ordering="n_specialties")
    def specialty_count(self, obj: Series) -> int:
        return getattr(obj, "n_specialties", 0)


@admin.register(Specialty)
class SpecialtyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "series")
    list_filter = ("series",)
    search_fields = ("name", "series__name")
    list_select_related = ("series",)


@admin.register(Title)
class TitleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "series", "level")
    list_filter = ("level", "series")
    search_fields = ("name", "series__name")
    list_select_related = ("series",)

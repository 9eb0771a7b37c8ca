"""Reference data of the evaluation (committees, members, the expert pool, declared
conflicts) is kept in the admin; each change goes through the audited operations.
Meetings, draws and ballots are not editable here (only through evaluation.operations).
A city office sees its own city's rows (docs/seasons.md, 多城市)."""

from django.contrib import admin

from zhicheng.core.admin import AuditedAdminMixin
from zhicheng.orgs.admin import CityScopedAdminMixin

from .models import Committee, CommitteeMember, ConflictDeclaration, Expert


@admin.register(Committee)
class CommitteeAdmin(CityScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    city_path = "office__city"
    list_display = ("name", "office", "term_start", "term_end")
    filter_horizontal = ("series", "plans")


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(CityScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    city_path = "committee__office__city"
    list_display = ("committee", "expert", "role")
    list_filter = ("committee", "role")
    raw_id_fields = ("expert",)


@admin.register(Expert)
class ExpertAdmin(CityScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    city_path = "unit__city"
    list_display = ("user", "series", "specialty", "title_level", "unit", "term_end", "active")
    list_filter = ("active", "title_level", "series")
    raw_id_fields = ("user",)
    search_fields = ("user__full_name", "specialty")


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(CityScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    city_path = "expert__unit__city"
    list_display = ("expert", "applicant", "unit", "kind", "note")
    raw_id_fields = ("expert", "applicant", "unit")

"""Reference data of the evaluation (committees, members, the expert pool, declared
conflicts) is kept in the admin; each change goes through the audited operations.
Meetings, draws and ballots are not editable here (only through evaluation.operations)."""

from django.contrib import admin

from zhicheng.core.admin import AuditedAdminMixin

from .models import Committee, CommitteeMember, ConflictDeclaration, Expert


@admin.register(Committee)
class CommitteeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "office", "term_start", "term_end")
    filter_horizontal = ("series", "plans")


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("committee", "expert", "role")
    list_filter = ("committee", "role")
    raw_id_fields = ("expert",)


@admin.register(Expert)
class ExpertAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "series", "specialty", "title_level", "unit", "term_end", "active")
    list_filter = ("active", "title_level", "series")
    raw_id_fields = ("user",)
    search_fields = ("user__full_name", "specialty")


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("expert", "applicant", "unit", "kind", "note")
    raw_id_fields = ("expert", "applicant", "unit")

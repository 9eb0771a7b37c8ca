"""Admin for the city office: seasons, the plan table (including the rows the source lost),
data warnings and notices. Every change goes through the audited operations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhicheng.core.admin import AuditedAdminMixin
from zhicheng.core.operations import operation, save_instance
from zhicheng.orgs.admin import CityScopedAdminMixin
from zhicheng.policy.plans import WindowError, parse_window

from .models import CommitteePlan, DataWarning, Notice, PlanSource, Season, SeasonVersion
from .operations import DATE_KEYS, correct_dates


@admin.register(Season)
class SeasonAdmin(CityScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    city_path = "owner"  # an office's own city only (docs/seasons.md, 多城市)
    list_display = ("name", "code", "year", "notice_number", "evaluation_deadline", "is_current")
    list_filter = ("is_current", "owner", "year")
    search_fields = ("name", "code", "notice_number")
    fieldsets = (
        (None, {"fields": ("code", "name", "year", "city", "owner", "is_current")}),
        (_("通知"), {"fields": ("notice_number", "notice_title", "notice_date")}),
        (
            _("关键日期"),
            {
                "fields": (
                    "seniority_cutoff",
                    "materials_cutoff",
                    "committee_notice_due",
                    "evaluation_deadline",
                    "initial_determination_months",
                )
            },
        ),
        (_("全部参数"), {"classes": ("collapse",), "fields": ("parameters",)}),
        (_("年度数据版本"), {"fields": ("published_version",)}),
    )
    readonly_fields = ("published_version", "parameters")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A changed key date becomes a new published version of the season's data, so the
        engine cites it (submitted applications keep theirs until re-decided)."""
        dates = [k for k in DATE_KEYS if change and k in form.changed_data]
        if dates and obj.published_version_id is not None:
            version = correct_dates(request.user, obj, {k: getattr(obj, k) for k in dates})
            obj.published_version = version
            obj.parameters = Season.objects.get(pk=obj.pk).parameters
            rest = [k for k in form.changed_data if k not in dates]
            if not rest:
                return
            save_instance(request.user, obj, changed=rest)
            return
        super().save_model(request, obj, form, change)


@admin.register(SeasonVersion)
class SeasonVersionAdmin(CityScopedAdminMixin, admin.ModelAdmin):
    """Read-only: a version is made by loading a package or correcting a season."""

    city_path = "season__owner"  # an office's own city only (docs/seasons.md, 多城市)

    list_display = ("season", "number", "status", "published_on", "sha256", "note")
    list_filter = ("status", "season")
    exclude = ("data",)
    readonly_fields = (
        "season", "number", "status", "published_on", "sha256", "note", "created_at", "created_by"
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CommitteePlanForm(forms.ModelForm):
    class Meta:
        model = CommitteePlan
        fields = (
            "season",
            "row",
            "specialty",
            "office_name",
            "office",
            "phone",
            "address",
            "acceptance_text",
            "evaluation_text",
            "remarks",
            "series",
        )
        help_texts = {
            "row": _("补录原文缺失的行时，填写原文中的序号（如21–40）。"),
            "acceptance_text": _("按原文格式填写，如“7月”“4-6月”“5月-7月”“高级5-6月 正高7月”。"),
        }

    def _window(self, name: str) -> str:
        value: str = self.cleaned_data.get(name, "")
        try:
            parse_window(value)
        except WindowError as exc:
            raise forms.ValidationError(str(exc), code="window") from None
        return value

    def clean_acceptance_text(self) -> str:
        return self._window("acceptance_text")

    def clean_evaluation_text(self) -> str:
        return self._window("evaluation_text")


@admin.register(CommitteePlan)
class CommitteePlanAdmin(CityScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    city_path = "season__owner"  # an office's own city only (docs/seasons.md, 多城市)
    form = CommitteePlanForm
    list_display = (
        "row",
        "specialty",
        "office_name",
        "phone",
        "acceptance_text",
        "evaluation_text",
        "source",
        "season",
    )
    list_display_links = ("row", "specialty")
    list_filter = ("season", "source", "series", "office_name")
    search_fields = ("specialty", "office_name", "address", "phone")
    list_select_related = ("season",)
    filter_horizontal = ("series",)
    readonly_fields = ("source", "provenance", "acceptance_mask")
    ordering = ("season", "row")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        current = Season.objects.filter(is_current=True).first()
        if current is not None:
            initial.setdefault("season", str(current.pk))
        return initial

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.source = PlanSource.OFFICE  # a row entered by the office, not printed
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if "series" in form.changed_data:
            plan = form.instance
            with operation(
                request.user,
                "seasons.committeeplan.series",
                target=plan,
                permission="seasons.change_committeeplan",
            ) as op:
                names = list(plan.series.values_list("name", flat=True))
                op.summary = f"修改评审计划的职称系列：{plan}"
                op.data = {"series": names}


@admin.register(DataWarning)
class DataWarningAdmin(CityScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    city_path = "season__owner"  # an office's own city only (docs/seasons.md, 多城市)
    list_display = ("row", "field", "message", "resolved", "season")
    list_filter = ("resolved", "field", "season")
    search_fields = ("message",)
    list_select_related = ("season",)
    actions = ("mark_resolved", "mark_unresolved")

    def _mark(self, request: HttpRequest, queryset: QuerySet[DataWarning], value: bool) -> int:
        count = 0
        for warning in queryset:
            if warning.resolved != value:
                warning.resolved = value
                save_instance(request.user, warning, changed=["resolved"])
                count += 1
        return count

    @admin.action(description=_("标记为已处理"), permissions=["change"])
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[DataWarning]) -> None:
        n = self._mark(request, queryset, True)
        self.message_user(
            request, _("已将%(n)d条数据提示标记为已处理。") % {"n": n}, messages.SUCCESS
        )

    @admin.action(description=_("标记为待核实"), permissions=["change"])
    def mark_unresolved(self, request: HttpRequest, queryset: QuerySet[DataWarning]) -> None:
        n = self._mark(request, queryset, False)
        self.message_user(
            request, _("已将%(n)d条数据提示标记为待核实。") % {"n": n}, messages.SUCCESS
        )


@admin.register(Notice)
class NoticeAdmin(CityScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    city_path = "season__owner"  # an office's own city only (docs/seasons.md, 多城市)
    list_display = ("title", "number", "issuer", "date", "published", "season")
    list_filter = ("published", "season")
    search_fields = ("title", "number", "body")
    date_hierarchy = "date"

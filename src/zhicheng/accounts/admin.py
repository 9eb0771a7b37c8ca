from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from zhicheng.core.admin import AuditedAdminMixin

from .models import User


@admin.register(User)
class ZhichengUserAdmin(AuditedAdminMixin, UserAdmin):
    """Identity numbers are shown masked and are not edited here: an edit would copy the
    full number into the audit chain. They are set by `accounts.operations.register_identity`."""

    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            _("实名"),
            {
                "fields": (
                    "full_name",
                    "id_type",
                    "masked_id",
                    "foreign_permit_type",
                    "masked_permit",
                    "birth_date",
                    "sex",
                    "phone",
                )
            },
        ),
    )
    readonly_fields = (
        "id_type",
        "masked_id",
        "foreign_permit_type",
        "masked_permit",
        "birth_date",
        "sex",
    )
    list_display = ("username", "full_name", "masked_id", "email", "is_staff")
    # Exact match only: staff can find a person by the number without it being listed.
    search_fields = ("username", "full_name", "email", "=id_number")

    @admin.display(description=_("证件号码"))
    def masked_id(self, obj: User) -> str:
        return obj.masked_id_number

    @admin.display(description=_("外国人工作许可证号或永久居留身份证号"))
    def masked_permit(self, obj: User) -> str:
        return obj.masked_foreign_permit_number

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
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
    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        """A city office's staff list people of its own city only (docs/seasons.md, 多城市):
        officials by the city of their memberships' organisations, applicants by their
        employer's; a person belonging to no city yet (a new sign-up) is the whole
        installation's. An office naming no city, and a superuser, see everyone. By
        relation paths only: accounts sits below the organisation and application apps."""
        qs = super().get_queryset(request)
        user = request.user
        if getattr(user, "is_superuser", False) or not user.is_authenticated:
            return qs
        offices = user.memberships.filter(active=True, role="city_office")
        if offices.filter(organisation__city__isnull=True).exists():
            return qs
        cities = offices.values("organisation__city_id")
        no_city = (~Q(memberships__organisation__city__isnull=False)
                   & ~Q(applicant_profile__employer__city__isnull=False))
        return qs.filter(
            Q(memberships__organisation__city_id__in=cities)
            | Q(applicant_profile__employer__city_id__in=cities) | no_city
        ).distinct()

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

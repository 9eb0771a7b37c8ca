"""The audit chain in the admin, per city: a city office reads its own city's events and
those belonging to no city (docs/seasons.md, 多城市). Read-only like core's."""

from django.contrib import admin

from zhicheng.core.admin import AuditEventAdmin
from zhicheng.core.models import AuditEvent
from zhicheng.orgs.admin import CityScopedAdminMixin

admin.site.unregister(AuditEvent)


@admin.register(AuditEvent)
class CityAuditEventAdmin(CityScopedAdminMixin, AuditEventAdmin):
    city_path = "city_id"

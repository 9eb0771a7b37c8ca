from django.urls import path

from . import calendar_views, views

app_name = "supervision"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("plan/<int:pk>/", views.plan, name="plan"),
    path("dossier/<int:pk>/", views.dossier, name="dossier"),
    path("statistics/", views.statistics, name="statistics"),
    path("calendar/", calendar_views.calendar, name="calendar"),
    path("calendar/template.xlsx", calendar_views.calendar_template, name="calendar_template"),
    path("statistics/<slug:dimension>.xlsx", views.statistics_export, name="statistics_export"),
]

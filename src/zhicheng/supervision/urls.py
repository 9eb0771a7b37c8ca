from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("plan/<int:pk>/", views.plan, name="plan"),
    path("dossier/<int:pk>/", views.dossier, name="dossier"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<slug:dimension>.xlsx", views.statistics_export, name="statistics_export"),
]

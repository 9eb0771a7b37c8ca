from django.urls import path

from . import views

app_name = "auditlog"
urlpatterns = [
    path("", views.search, name="search"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("verify/", views.verify_now, name="verify"),
]

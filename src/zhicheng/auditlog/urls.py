from django.urls import URLPattern, path

from . import views

app_name = "auditlog"
urlpatterns = [
    path("", views.search, name="search"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("verify/", views.verify_now, name="verify"),
]

# /audit/ (public): the signed checkpoints and the audit key (docs/trust.md)
public_patterns: list[URLPattern] = [
    path("checkpoints/", views.checkpoints_page, name="checkpoints"),
    path("checkpoints.json", views.checkpoints_json, name="checkpoints_json"),
    path("keys.json", views.audit_keys_json, name="keys_json"),
    path("consistency.json", views.consistency_json, name="consistency_json"),
    path("dossier/<int:pk>/proof.json", views.dossier_proof, name="dossier_proof"),
]

from django.urls import URLPattern, path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("export.xlsx", views.worklist_export, name="worklist_export"),
    path("bulk/", views.bulk, name="bulk"),
    path("sampling/", views.sampling, name="sampling"),
    path("sampling/<int:pk>/", views.sampling_draw, name="sampling_draw"),
    path("mine/<int:pk>/", views.my_corrections, name="mine"),
    path("mine/<int:pk>/material/", views.my_correction_material, name="mine_material"),
    path("mine/<int:pk>/resubmit/", views.my_resubmit, name="mine_resubmit"),
    path("<int:pk>/", views.dossier, name="dossier"),
    path("<int:pk>/material/<int:material_id>/", views.material, name="material"),
    path("<int:pk>/check/", views.unit_check, name="unit_check"),
    path("<int:pk>/corrections/", views.corrections, name="corrections"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/package.zip", views.package, name="package"),
    path("<int:pk>/form.pdf", views.form_pdf, name="form_pdf"),
]

# /draws/sampling/ (public, no login): the sampling records anyone can re-run (docs/trust.md).
public_patterns: list[URLPattern] = [
    path("", views.public_sampling_list, name="list"),
    path("<int:pk>/", views.public_sampling, name="sampling"),
    path("<int:pk>/record.json", views.public_sampling_json, name="sampling_json"),
]

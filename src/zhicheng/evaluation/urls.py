from django.urls import URLPattern, path

from . import roster_views, views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("committee/<int:pk>/", views.committee, name="committee"),
    path("committee/<int:pk>/act/<slug:action>/", views.committee_act, name="committee_act"),
    path("committee/<int:pk>/roster/", roster_views.upload, name="roster"),
    path("committee/<int:pk>/roster/template.xlsx", roster_views.template,
         name="roster_template"),
    path("expert/", views.expert_home, name="expert"),
    path("meeting/<int:pk>/", views.meeting, name="meeting"),
    path("meeting/<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("meeting/<int:pk>/ballot/", views.ballot, name="ballot"),
    path("meeting/<int:pk>/dossier/<int:case_pk>/", views.dossier, name="dossier"),
    path("meeting/<int:pk>/dossier/<int:case_pk>/material/<int:material_id>/",
         views.dossier_material, name="dossier_material"),
    path("meeting/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes"),
    path("meeting/<int:pk>/print/<slug:kind>/", views.printout_page, name="printout"),
    path("meeting/<int:pk>/print/<slug:kind>.pdf", views.printout_pdf, name="printout_pdf"),
    path("meeting/<int:pk>/data-report.<str:fmt>", views.data_report, name="data_report"),
]

# /draws/ (public, no login): the draw records anyone can re-run (docs/trust.md).
public_patterns: list[URLPattern] = [
    path("", views.public_draws, name="list"),
    path("meeting/<int:pk>/", views.public_draw, name="meeting"),
    path("meeting/<int:pk>/record.json", views.public_draw_json, name="meeting_json"),
]

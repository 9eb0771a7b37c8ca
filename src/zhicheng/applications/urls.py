from django.urls import URLPattern, path

from . import delivery_views, views

app_name = "applications"
urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("inbox/", views.inbox, name="inbox"),
    path("deliveries/", delivery_views.deliveries, name="deliveries"),
    path("deliveries/<int:pk>/resend/", delivery_views.resend, name="resend_delivery"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/employment/", views.employment_edit, name="employment"),
    path("profile/<slug:section>/add/", views.fact_edit, name="fact_add"),
    path("profile/<slug:section>/<int:index>/", views.fact_edit, name="fact_edit"),
    path("profile/<slug:section>/<int:index>/delete/", views.fact_delete, name="fact_delete"),
    path("new/", views.new_application, name="new"),
    path("precheck/", views.precheck, name="precheck"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/precheck/", views.precheck, name="precheck_application"),
    path("<int:pk>/materials/", views.material_upload, name="material_upload"),
    path("<int:pk>/materials/<int:mid>/", views.material_view, name="material"),
    path("<int:pk>/materials/<int:mid>/delete/", views.material_delete, name="material_delete"),
    path("<int:pk>/commitment/", views.commitment, name="commitment"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/form.pdf", views.form_pdf, name="form_pdf"),
]

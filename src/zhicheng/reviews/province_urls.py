from django.urls import path

from . import province_views

app_name = "province"
urlpatterns = [
    path("", province_views.results, name="results"),
    path("results-form.xlsx", province_views.form, name="form"),
    path("forwarding.json", province_views.forwarding, name="forwarding"),
]

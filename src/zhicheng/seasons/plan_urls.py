from django.urls import path

from . import plan_views

app_name = "plan_import"
urlpatterns = [
    path("", plan_views.upload, name="upload"),
    path("template.xlsx", plan_views.template, name="template"),
]

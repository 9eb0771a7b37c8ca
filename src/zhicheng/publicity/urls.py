from django.urls import URLPattern, path

from . import views

app_name = "publicity"
urlpatterns: list[URLPattern] = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/notice.pdf", views.batch_notice, name="notice"),
    path("objections/", views.objection_list, name="objections"),
    path("objections/<int:pk>/", views.resolve, name="resolve"),
]

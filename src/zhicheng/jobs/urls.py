from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("start/", views.start, name="start"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/download/", views.download, name="download"),
]

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/", views.plan_table, name="plans"),
    path("notice/", views.notice_current, name="notice_current"),
    path("notice/<slug:slug>/", views.notice_detail, name="notice"),
    path("notices/", views.notices, name="notices"),
]

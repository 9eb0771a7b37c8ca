from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/", views.plan_table, name="plans"),
    path("notice/", views.notice_current, name="notice_current"),
    path("notice/<slug:slug>/", views.notice_detail, name="notice"),
    path("notices/", views.notices, name="notices"),
    path("cities/", views.cities, name="cities"),
    path("cities/choose/", views.choose_city, name="choose_city"),
    path("seasons/<slug:code>/", views.past_season, name="season"),
    path("seasons/<slug:code>/plans/", views.season_plans, name="season_plans"),
    path("seasons/<slug:code>/notice/", views.season_notice, name="season_notice"),
]

from django.urls import path

from . import lifecycle_views as views
from . import template_views

app_name = "seasons"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/archive/", views.archive, name="archive"),
    path("<slug:code>/templates/", template_views.index, name="document_templates"),
    path("<slug:code>/templates/<slug:kind>/", template_views.edit, name="document_template"),
    path("<slug:code>/v<int:number>/", views.draft, name="draft"),
    path("<slug:code>/v<int:number>/dates/", views.dates, name="dates"),
    path("<slug:code>/v<int:number>/notice/", views.notice, name="notice"),
    path("<slug:code>/v<int:number>/parameter/", views.parameter, name="parameter"),
    path("<slug:code>/v<int:number>/plan-row/", views.plan_row, name="plan_row"),
    path("<slug:code>/v<int:number>/plan-upload/", views.plan_upload, name="plan_upload"),
    path("<slug:code>/v<int:number>/office/", views.office, name="office"),
    path("<slug:code>/v<int:number>/preview/", views.preview, name="preview"),
    path("<slug:code>/v<int:number>/diff/", views.diff, name="diff"),
    path("<slug:code>/v<int:number>/publish/", views.publish, name="publish"),
    path("<slug:code>/v<int:number>/correct/", views.correct, name="correct"),
]

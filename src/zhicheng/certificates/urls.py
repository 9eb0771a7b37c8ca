from django.urls import URLPattern, path

from . import views

# /certificates/ (holders and the city title office)
holder_patterns: list[URLPattern] = [
    path("", views.mine, name="mine"),
    path("office/", views.office, name="office"),
    path("office/issue/<int:pk>/", views.issue, name="issue"),
    path("office/revoke/<int:pk>/", views.revoke, name="revoke"),
    path("office/veto/<int:pk>/", views.veto, name="veto"),
    path("<str:number>.pdf", views.download, name="download"),
]

# /verify/ (public)
verify_patterns: list[URLPattern] = [
    path("", views.verify, name="verify"),
    path("keys/", views.public_keys_page, name="keys"),
    path("keys.json", views.public_keys_json, name="keys_json"),
    path("revocations.json", views.revocations_json, name="revocations"),
]

app_name = "certificates"
urlpatterns = holder_patterns

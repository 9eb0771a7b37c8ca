"""/api/: the token page for officials, then the JSON API (docs at /api/docs)."""

from django.urls import path

from . import pages
from .api import urlpatterns as api_urlpatterns

app_name = "api"

urlpatterns = [
    path("tokens/", pages.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.revoke, name="token_revoke"),
    *api_urlpatterns(),
]

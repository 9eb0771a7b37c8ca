"""Mounted at /accounts/: allauth's pages (login, sign-up, password reset, email, MFA)
and 我的账户. allauth's URL names are global (account_login, mfa_index…), so no namespace."""

from django.urls import include, path

from . import office, sessions, views

urlpatterns = [
    path("me/", views.my_account, name="my_account"),
    path("me/notifications/", views.notify_preferences, name="notify_preferences"),
    path("session/keepalive/", sessions.keepalive, name="session_keepalive"),
    # Not "mfa_…": officials without a second factor may open those (middleware.py).
    path("officials/second-factor/", office.second_factor, name="second_factor_reset"),
    path("", include("allauth.urls")),
]

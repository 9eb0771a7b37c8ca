"""Who may open the supervision pages: active members of the city title office (市职称办)
only. Anonymous visitors are sent to the login page; anyone else gets a 403 page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

from zhicheng.orgs.permissions import is_city_office

View = Callable[..., HttpResponseBase]


def city_office_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_city_office(request.user):
            return render(request, "supervision/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped

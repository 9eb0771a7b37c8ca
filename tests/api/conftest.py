"""API fixtures: the review-chain fixtures (real operations drive applications to any stage)
and `token`, which creates an API token through the audited operation."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests.factories.reviews import (  # noqa: F401  (fixtures of the review chain)
    _business_date,
    chain,
    haizhou_reviewer_user,
    make_applicant,
    market_committee,
    official,
    today,
)


@pytest.fixture
def token(season: Any) -> Any:
    """token("海州区人社局", ["applications:read"], user=None) → the secret string."""
    from zhicheng.api.operations import create_token
    from zhicheng.core.operations import SYSTEM
    from zhicheng.orgs.models import Organisation

    def make(org: str, scopes: list[str], user: Any = None, **kwargs: Any) -> str:
        organisation = Organisation.objects.get(name=org)
        return create_token(
            organisation, SYSTEM, name=kwargs.pop("name", "测试令牌"), scopes=scopes,
            user=user, **kwargs,
        ).secret

    return make


@pytest.fixture
def api(client: Any) -> Any:
    """api.get(path, secret, **params), api.post(path, secret, json_body)."""

    class Api:
        def get(self, path: str, secret: str | None = None, **params: Any) -> Any:
            headers = {"Authorization": f"Bearer {secret}"} if secret else {}
            return client.get(path, params, headers=headers)

        def post(self, path: str, secret: str | None = None, body: Any = None,
                 method: str = "post") -> Any:
            headers = {"Authorization": f"Bearer {secret}"} if secret else {}
            return getattr(client, method)(path, body if body is not None else {},
                                           content_type="application/json", headers=headers)

    return Api()


@pytest.fixture
def demo_season(settings: Any, tmp_path: Any, season: Any) -> Any:
    """The `make run` evaluation story: meeting 1 held with results filed, meeting 2 pending."""
    from django.core.management import call_command

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ZHICHENG_KEY_DIR = str(tmp_path / "keys")
    settings.ZHICHENG_DEMO_CLOCK_FILE = str(tmp_path / "demo-clock.txt")
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.ZHICHENG_TODAY = ""
    call_command("evaluation_demo", stdout=io.StringIO(), stderr=io.StringIO())
    settings.ZHICHENG_TODAY = "2024-07-15"
    return settings

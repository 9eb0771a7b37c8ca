from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from zhicheng.orgs.models import Membership, Organisation, Role


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Rate limits and used TOTP codes live in the cache; start each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def new_official(season: Any, django_user_model: Any) -> Any:
    """An official (a preliminary reviewer) without a second factor yet, email verified."""
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user(
        "new_reviewer", email="new_reviewer@example.invalid", password="s3cret-Passw0rd"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(short_name="海州区人社局"),
        role=Role.PRELIMINARY_REVIEWER,
    )
    return user

"""Reading never writes: opening the profile pages creates no profile and no audit event."""

from __future__ import annotations

import pytest
from django.test import Client

from zhicheng.accounts.totp import activate_totp
from zhicheng.applications.models import ApplicantProfile
from zhicheng.core.models import AuditEvent
from zhicheng.demo.accounts import DEMO_TOTP_SECRET

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["haizhou_reviewer", "city_office"])
def test_an_official_opening_the_profile_page_creates_nothing(demo_users, who):
    user = demo_users[who]
    activate_totp(user, DEMO_TOTP_SECRET)
    ApplicantProfile.objects.filter(user=user).delete()
    events = AuditEvent.objects.count()
    c = Client()
    c.force_login(user)
    r = c.get("/apply/profile/")
    assert r.status_code == 200
    assert not ApplicantProfile.objects.filter(user=user).exists()
    assert AuditEvent.objects.count() == events

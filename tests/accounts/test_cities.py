"""The second-factor reset per city (docs/seasons.md, 多城市): an office of 云湖市 lists and
resets only its own city's officials."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories.cities import yunhu, yunhu_official  # noqa: F401  (fixture)
from zhicheng.accounts.operations import reset_second_factor
from zhicheng.core.operations import NotPermitted

pytestmark = pytest.mark.django_db


def test_an_office_resets_only_its_own_citys_officials(
    yunhu: Any, demo_users: Any  # noqa: F811
) -> None:
    from zhicheng.accounts.totp import activate_totp
    from zhicheng.demo.accounts import DEMO_TOTP_SECRET

    office, colleague = yunhu_official(), yunhu_official(name="云湖同事")
    stranger = demo_users["gongxin_committee"]
    activate_totp(stranger, DEMO_TOTP_SECRET)
    with pytest.raises(NotPermitted):
        reset_second_factor(office, stranger, reason="手机丢失", client_address=None)
    assert reset_second_factor(office, colleague, reason="手机丢失，已电话核实",
                               client_address=None) >= 1

    client = Client()
    client.force_login(office)
    page = client.get("/accounts/officials/second-factor/").content.decode()
    assert colleague.full_name in page and stranger.full_name not in page

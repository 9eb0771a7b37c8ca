"""The login field says what to type: labelled 用户名或电子邮箱, with a
placeholder in Chinese, not allauth's 登录 / "用户名或email"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_field_is_labelled_and_has_a_chinese_placeholder(client) -> None:
    html = client.get(reverse("account_login")).content.decode()
    label = re.search(r'<label[^>]*for="id_login"[^>]*>\s*(.*?)\s*</label>', html, re.S)
    assert label and label.group(1) == "用户名或电子邮箱"
    field = re.search(r'<input[^>]*name="login"[^>]*>', html, re.S)
    assert field and 'placeholder="注册时填写的用户名或电子邮箱地址"' in field.group(0)
    assert "用户名或email" not in html and "email" not in field.group(0).lower().replace(
        'autocomplete="email"', "")
    password = re.search(r'<label[^>]*for="id_password"[^>]*>\s*(.*?)\s*</label>', html, re.S)
    assert password and password.group(1) == "密码"


def test_the_form_still_signs_in(client, demo_users, demo_password) -> None:
    r = client.post(reverse("account_login"), {"login": "applicant", "password": demo_password})
    assert r.status_code == 302 and r["Location"] == reverse("applications:dashboard")

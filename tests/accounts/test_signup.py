"""Sign-up with real-name data, the Chinese reasons for refusals, email verification."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from stdnum.cn import ric

from zhicheng.accounts.identity import IdType, Sex
from zhicheng.accounts.models import User
from zhicheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def with_check(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


VALID_ID = with_check("32070619920808124")  # 海州区, 1992-08-08, 17th digit 4: female


def form(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "张晓燕",
        "id_type": IdType.RESIDENT,
        "id_number": VALID_ID,
        "birth_date": "",
        "sex": "",
        "foreign_permit_type": "",
        "foreign_permit_number": "",
        "phone": "13912345678",
        "username": "zhangxy",
        "email": "zhangxy@example.invalid",
        "password1": "Lyg-title-2024!",
        "password2": "Lyg-title-2024!",
    }
    data.update(overrides)
    return data


def test_signup_form_is_in_chinese(client, season):
    r = client.get(reverse("account_signup"))
    html = r.content.decode()
    assert r.status_code == 200
    for label in ("姓名", "证件类型", "证件号码", "居民身份证", "港澳居民来往内地通行证", "护照"):
        assert label in html


def test_signup_with_valid_resident_id_derives_birth_date_and_sex(client, season, mailoutbox):
    r = client.post(reverse("account_signup"), form())
    assert r.status_code == 302, r.content.decode()[:2000]
    assert r["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(username="zhangxy")
    assert user.full_name == "张晓燕"
    assert (user.id_type, user.id_number) == (IdType.RESIDENT, VALID_ID)
    assert user.birth_date == dt.date(1992, 8, 8)
    assert user.sex == Sex.FEMALE
    assert user.phone == "13912345678"
    event = AuditEvent.objects.get(action="accounts.identity.register", target_id=str(user.pk))
    assert event.data["id_number"] == "3207**********" + VALID_ID[-4:]
    assert VALID_ID not in str(event.data) + event.summary
    assert len(mailoutbox) == 1


def test_email_verification_flow(client, season, mailoutbox):
    client.post(reverse("account_signup"), form())
    user = User.objects.get(username="zhangxy")
    assert not EmailAddress.objects.get(user=user).verified
    # Mandatory verification: logging in before confirming sends to the "verify" page.
    r = client.post(reverse("account_login"), {"login": "zhangxy", "password": "Lyg-title-2024!"})
    assert r.status_code == 302 and r["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    message = mailoutbox[-1]
    assert "zhangxy@example.invalid" in message.to
    url = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)
    r = client.get(url)
    assert r.status_code == 200
    r = client.post(url)
    assert r.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    r = client.get(reverse("my_account"))
    assert r.status_code == 200  # logged in on confirmation
    assert "张晓燕" in r.content.decode()


def _id(first17: str) -> str:
    return with_check(first17)


@pytest.mark.parametrize(
    ("overrides", "field_value", "reason"),
    [
        ({"id_number": "3207061992080812"}, "3207061992080812", "应为18位"),
        ({"id_number": "32070619920808A24X"}, "32070619920808A24X", "前17位应为数字"),
        (
            {"id_number": VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")},
            None,
            "校验位",
        ),
        ({"id_number": _id("32070619921308124")}, None, "出生日期"),
        ({"id_number": _id("99999919920808124")}, None, "地区代码"),
        (
            {"id_type": IdType.HK_MACAU_PERMIT, "id_number": "K1234567"},
            "K1234567",
            "H（香港）或M（澳门）",
        ),
        (
            {"id_type": IdType.TAIWAN_PERMIT, "id_number": "1234567", "birth_date": "1980-01-01"},
            "1234567",
            "8位数字",
        ),
        (
            {"id_type": IdType.HMT_RESIDENCE, "id_number": _id("84000019850101002")},
            None,
            "810000",
        ),
        ({"phone": "12345"}, "12345", "电话号码"),
    ],
)
def test_invalid_id_is_refused_with_its_reason_and_typed_values_kept(
    client, season, overrides, field_value, reason
):
    data = form(**overrides)
    r = client.post(reverse("account_signup"), data)
    html = r.content.decode()
    assert r.status_code == 200
    assert reason in html
    assert not User.objects.filter(username="zhangxy").exists()
    # What was typed is still there.
    assert 'value="张晓燕"' in html
    assert 'value="zhangxy@example.invalid"' in html
    value = field_value or data["id_number"]
    assert f'value="{value}"' in html


def test_foreigner_without_work_permit_is_refused(client, season):
    data = form(
        id_type=IdType.PASSPORT,
        id_number="E98765432",
        birth_date="1979-05-04",
        sex=Sex.MALE,
        full_name="JOHN SMITH",
    )
    r = client.post(reverse("account_signup"), data)
    html = r.content.decode()
    assert r.status_code == 200
    assert "持护照申报的外籍人员须填写外国人工作许可证号" in html
    assert 'value="E98765432"' in html and 'value="1979-05-04"' in html
    assert not User.objects.filter(username="zhangxy").exists()

    data |= {"foreign_permit_type": "work_permit", "foreign_permit_number": "320700123456789012"}
    r = client.post(reverse("account_signup"), data)
    assert r.status_code == 302
    user = User.objects.get(username="zhangxy")
    assert user.birth_date == dt.date(1979, 5, 4) and user.sex == Sex.MALE
    assert user.foreign_permit_number == "320700123456789012"


@pytest.mark.parametrize("name", ["王😀明", "王明1", "王明★", "John Smith", "·王明"])
def test_a_name_no_identity_document_carries_is_refused_and_kept(client, season, name):
    r = client.post(reverse("account_signup"), form(full_name=name))
    html = r.content.decode()
    assert r.status_code == 200 and "姓名须与证件一致" in html
    assert f'value="{name}"' in html and 'value="zhangxy@example.invalid"' in html
    assert not User.objects.filter(username="zhangxy").exists()


@pytest.mark.parametrize("name", ["阿依古丽·买买提", "𠀾晓燕", "欧阳晓燕"])
def test_chinese_names_with_the_middle_dot_are_accepted(client, season, name):
    assert client.post(reverse("account_signup"), form(full_name=name)).status_code == 302
    assert User.objects.get(username="zhangxy").full_name == name


def test_the_confirmation_mail_is_in_chinese_and_names_the_account(client, season, mailoutbox):
    client.post(reverse("account_signup"), form())
    message = mailoutbox[-1]
    assert message.subject == "[职称评审] 请确认您的电子邮箱"
    assert message.body.startswith("您好：")
    assert "张晓燕（用户名 zhangxy）在职称评审系统注册了账户" in message.body
    assert re.search(r"https?://[^/\s]+/accounts/confirm-email/\S+/", message.body)
    assert "Hello" not in message.body and "127.0.0.1" not in message.body.split("http")[0]


def test_same_id_cannot_register_twice(client, season):
    assert client.post(reverse("account_signup"), form()).status_code == 302
    client.logout()
    r = client.post(
        reverse("account_signup"), form(username="other", email="other@example.invalid")
    )
    assert r.status_code == 200
    assert "该证件号码已注册" in r.content.decode()


def test_signup_page_in_english(client, season):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("account_signup")).content.decode()
    assert "Resident ID card" in html and "Real-name data" in html
    r = client.post(reverse("account_signup"), form(id_number="3207061992080812"))
    assert "must have 18 characters" in r.content.decode()

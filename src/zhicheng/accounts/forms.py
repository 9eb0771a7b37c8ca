"""The sign-up form: allauth's account fields plus the real-name data (docs/accounts.md)."""

from __future__ import annotations

import re
from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhicheng.core import clock

from .identity import (
    ForeignPermitType,
    IdType,
    Sex,
    check_identity,
    is_mobile,
    validate_phone,
    validate_real_name,
)
from .models import NotifyChannels, User
from .operations import register_identity

BLANK: list[tuple[str, Any]] = [("", "---------")]


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(
        label=_("姓名"),
        max_length=64,
        help_text=_("与证件上的姓名一致。"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_type = forms.ChoiceField(label=_("证件类型"), choices=BLANK + list(IdType.choices))
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=24,
        help_text=_("居民身份证和港澳台居民居住证的出生日期、性别从号码中读取。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        help_text=_("通行证和护照须填写；身份证件号码含出生日期的不必填写。"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sex = forms.ChoiceField(
        label=_("性别"),
        required=False,
        choices=BLANK + list(Sex.choices),
        help_text=_("通行证和护照须填写。"),
    )
    foreign_permit_type = forms.ChoiceField(
        label=_("外国人证件类型"),
        required=False,
        choices=BLANK + list(ForeignPermitType.choices),
        help_text=_("持护照的外籍人员须选择。"),
    )
    foreign_permit_number = forms.CharField(
        label=_("外国人工作许可证号或永久居留身份证号"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    field_order = [
        "full_name",
        "id_type",
        "id_number",
        "birth_date",
        "sex",
        "foreign_permit_type",
        "foreign_permit_number",
        "phone",
        "username",
        "email",
        "password1",
        "password2",
    ]

    IDENTITY_FIELDS = field_order[:8]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # labels are shown; allauth's placeholders not
            field.widget.attrs.pop("placeholder", None)

    def identity_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name in self.IDENTITY_FIELDS]

    def account_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name not in self.IDENTITY_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        if "id_type" in cleaned and "full_name" in cleaned:
            try:
                validate_real_name(cleaned["full_name"], cleaned["id_type"])
            except ValidationError as e:
                self.add_error("full_name", e)
        if "id_type" not in cleaned or "id_number" not in cleaned:
            return cleaned
        try:
            identity = check_identity(
                id_type=cleaned["id_type"],
                id_number=cleaned["id_number"],
                birth_date=cleaned.get("birth_date"),
                sex=cleaned.get("sex") or "",
                foreign_permit_type=cleaned.get("foreign_permit_type") or "",
                foreign_permit_number=cleaned.get("foreign_permit_number") or "",
                today=clock.today(),
            )
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                for message in errors:
                    self.add_error(field if field in self.fields else None, message)
            return cleaned
        if User.objects.filter(id_type=identity.id_type, id_number=identity.id_number).exists():
            self.add_error("id_number", _("该证件号码已注册。如忘记账户，请使用“忘记密码”找回。"))
        else:
            self.identity = identity
        return cleaned

    def save(self, request: HttpRequest) -> Any:
        with transaction.atomic():
            return super().save(request)

    def signup(self, request: HttpRequest, user: Any) -> None:
        """Called by allauth right after the user row exists (inside `save`)."""
        register_identity(
            user,
            user,
            self.identity,
            full_name=self.cleaned_data["full_name"],
            phone=self.cleaned_data["phone"],
        )


class LoginForm(AllauthLoginForm):
    """allauth's login form with a field a person understands: it says what to type
    (username or e-mail address) instead of allauth's "登录" and "用户名或email"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("用户名或电子邮箱")
        login.widget.attrs["placeholder"] = _("注册时填写的用户名或电子邮箱地址")
        password = self.fields["password"]
        password.label = _("密码")
        password.widget.attrs["placeholder"] = ""




class NotifyPreferencesForm(forms.Form):
    """我的账户 › 通知方式: the channels beyond the inbox and the mobile number for SMS."""

    notify_channels = forms.ChoiceField(
        label=_("通知方式"), required=False,
        choices=[("", _("默认（电子邮件；有截止期限的通知同时发短信）")), *NotifyChannels.choices],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    phone = forms.CharField(
        label=_("手机号码"), required=False, max_length=20,
        help_text=_("接收短信的中国大陆手机号码，11位数字。"),
    )

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s\u3000-]", "", self.cleaned_data.get("phone") or "")
        if phone:
            validate_phone(phone)
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        channels = cleaned.get("notify_channels", "")
        phone = cleaned.get("phone", "")
        if channels in {NotifyChannels.SMS, NotifyChannels.BOTH} and "phone" not in self.errors \
                and not is_mobile(phone):
            self.add_error("phone", _("选择短信通知须填写11位中国大陆手机号码。"))
        return cleaned

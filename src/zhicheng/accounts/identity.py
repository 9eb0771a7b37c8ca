"""Identity documents: validation with Chinese reasons, derived facts, masking.

Pure functions (no database) so forms, operations, importers and the admin share them.

- 居民身份证 (resident ID): `stdnum.cn.ric` — length, format, checksum, birth date, and a region
  code that exists or existed at any time (never checked against the birth year);
  birth date and sex (17th digit: odd = male) are taken from the number.
- 港澳居民来往内地通行证: H or M followed by 8 digits (older cards: 10 digits).
- 台湾居民来往大陆通行证: 8 digits.
- 港澳台居民居住证: 18 digits beginning 810000 (Hong Kong), 820000 (Macau) or 830000 (Taiwan),
  with the resident-ID checksum and birth date; birth date and sex taken from it.
- 护照 (foreigners): 5–20 letters or digits, and a 外国人工作许可证号 or a
  外国人永久居留身份证号 is required.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError


class IdType(models.TextChoices):
    RESIDENT = "resident", _("居民身份证")
    HK_MACAU_PERMIT = "hk_macau_permit", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "taiwan_permit", _("台湾居民来往大陆通行证")
    HMT_RESIDENCE = "hmt_residence", _("港澳台居民居住证")
    PASSPORT = "passport", _("护照（外籍人员）")


class ForeignPermitType(models.TextChoices):
    WORK_PERMIT = "work_permit", _("外国人工作许可证号")
    PERMANENT_RESIDENCE = "permanent_residence", _("外国人永久居留身份证号")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


# The types whose number carries the birth date and sex.
DERIVED_TYPES = frozenset({IdType.RESIDENT, IdType.HMT_RESIDENCE})
RESIDENCE_PERMIT_PREFIXES = {"810000": _("香港"), "820000": _("澳门"), "830000": _("台湾")}

_HK_MACAU = re.compile(r"^[HM](\d{8}|\d{10})$")
_TAIWAN = re.compile(r"^\d{8}$")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")
_WORK_PERMIT = re.compile(r"^[A-Z0-9]{6,20}$")
_PR_OLD = re.compile(r"^[A-Z]{3}\d{12}$")
_PR_NEW = re.compile(r"^9\d{16}[\dX]$")


@dataclass(frozen=True)
class Identity:
    id_type: str
    id_number: str
    birth_date: dt.date | None
    sex: str
    foreign_permit_type: str = ""
    foreign_permit_number: str = ""


def normalise(number: str) -> str:
    """Upper case, without spaces, hyphens or full-width spaces."""
    return re.sub(r"[\s\-\u3000]", "", number or "").upper()


def _check_18(number: str, label: str, today: dt.date | None) -> tuple[dt.date, str]:
    """Checks shared by the resident ID and the residence permit; returns (birth, sex)."""
    if len(number) != 18:
        raise ValidationError(
            _("%(label)s号码应为18位（现为%(n)d位）。"),
            code="length",
            params={"label": label, "n": len(number)},
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("%(label)s号码前17位应为数字，最后一位为数字或字母X。"),
            code="format",
            params={"label": label},
        )
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError(
            _("%(label)s号码校验位（最后一位）不正确，请核对是否有输错的数字。"),
            code="checksum",
            params={"label": label},
        )
    try:
        birth = ric.get_birth_date(number)
    except StdnumError:
        raise ValidationError(
            _("%(label)s号码中的出生日期（第7–14位）不是有效日期。"),
            code="birth_date",
            params={"label": label},
        ) from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationError(
            _("%(label)s号码中的出生日期（第7–14位）不合理。"),
            code="birth_date",
            params={"label": label},
        )
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return birth, sex


def validate_resident_id(number: str, today: dt.date | None = None) -> tuple[dt.date, str]:
    number = normalise(number)
    label = str(IdType.RESIDENT.label)
    birth, sex = _check_18(number, label, today)
    if not region_code_known(number[:6]):
        raise ValidationError(
            _("居民身份证号码中的地区代码（前6位）%(code)s不是现有或曾经设立的行政区划代码。"),
            code="region",
            params={"code": number[:6]},
        )
    return birth, sex


def region_code_known(code: str) -> bool:
    """Does `code` name a county-level division that exists or existed at any time?

    Deliberately not checked against the birth year (stdnum's `get_birth_place` does): the
    first six digits are the code of the office that issued the number, and people born
    before their district was created hold its newer code (320703 连云区 dates from 1983 and
    is carried by holders born in the 1960s and 1970s).
    """
    results = numdb.get("cn/loc").info(code)
    return any("county" in props for _part, props in results)


def validate_residence_permit(number: str, today: dt.date | None = None) -> tuple[dt.date, str]:
    number = normalise(number)
    label = str(IdType.HMT_RESIDENCE.label)
    if number[:6] not in RESIDENCE_PERMIT_PREFIXES:
        raise ValidationError(
            _(
                "港澳台居民居住证号码应为18位，以810000（香港）、820000（澳门）"
                "或830000（台湾）开头。"
            ),
            code="prefix",
        )
    return _check_18(number, label, today)


def validate_hk_macau_permit(number: str) -> None:
    if not _HK_MACAU.match(normalise(number)):
        raise ValidationError(
            _(
                "港澳居民来往内地通行证号码应为字母H（香港）或M（澳门）加8位数字（旧证为10位数字）。"
            ),
            code="format",
        )


def validate_taiwan_permit(number: str) -> None:
    if not _TAIWAN.match(normalise(number)):
        raise ValidationError(_("台湾居民来往大陆通行证号码应为8位数字。"), code="format")


def validate_passport(number: str) -> None:
    if not _PASSPORT.match(normalise(number)):
        raise ValidationError(_("护照号码应为5–20位字母或数字。"), code="format")


def validate_foreign_permit(kind: str, number: str) -> None:
    number = normalise(number)
    if kind == ForeignPermitType.WORK_PERMIT:
        if not _WORK_PERMIT.match(number):
            raise ValidationError(_("外国人工作许可证号应为6–20位字母或数字。"), code="format")
    elif kind == ForeignPermitType.PERMANENT_RESIDENCE:
        if not (_PR_OLD.match(number) or _PR_NEW.match(number)):
            raise ValidationError(
                _("外国人永久居留身份证号应为15位（3位国籍字母代码加12位数字）或18位（以9开头）。"),
                code="format",
            )
    else:
        raise ValidationError(_("请选择外国人工作许可证号或外国人永久居留身份证号。"))


def check_identity(
    *,
    id_type: str,
    id_number: str,
    birth_date: dt.date | None = None,
    sex: str = "",
    foreign_permit_type: str = "",
    foreign_permit_number: str = "",
    today: dt.date | None = None,
) -> Identity:
    """Validate a whole identity; raise ValidationError keyed by field with Chinese reasons."""
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, error: Any) -> None:
        errors.setdefault(field, []).append(
            error if isinstance(error, ValidationError) else ValidationError(error)
        )

    number = normalise(id_number)
    if id_type not in IdType.values:
        add("id_type", _("请选择证件类型。"))
        raise ValidationError(errors)
    if not number:
        add("id_number", _("请填写证件号码。"))
        raise ValidationError(errors)

    permit_type, permit_number = "", ""
    try:
        if id_type == IdType.RESIDENT:
            birth_date, sex = validate_resident_id(number, today)
        elif id_type == IdType.HMT_RESIDENCE:
            birth_date, sex = validate_residence_permit(number, today)
        elif id_type == IdType.HK_MACAU_PERMIT:
            validate_hk_macau_permit(number)
        elif id_type == IdType.TAIWAN_PERMIT:
            validate_taiwan_permit(number)
        else:
            validate_passport(number)
    except ValidationError as e:
        add("id_number", e)

    if id_type == IdType.PASSPORT:
        permit_type, permit_number = foreign_permit_type, normalise(foreign_permit_number)
        if not permit_type or not permit_number:
            add(
                "foreign_permit_number",
                _(
                    "持护照申报的外籍人员须填写外国人工作许可证号"
                    "或外国人永久居留身份证号，并选择其类型。"
                ),
            )
        else:
            try:
                validate_foreign_permit(permit_type, permit_number)
            except ValidationError as e:
                add("foreign_permit_number", e)

    if id_type not in DERIVED_TYPES:
        if birth_date is None:
            add("birth_date", _("请填写出生日期（该证件号码不含出生日期）。"))
        elif birth_date > (today or dt.date.today()) or birth_date.year < 1900:
            add("birth_date", _("出生日期不合理。"))
        if sex not in Sex.values:
            add("sex", _("请选择性别。"))

    if errors:
        raise ValidationError(errors)
    return Identity(
        id_type=id_type,
        id_number=number,
        birth_date=birth_date,
        sex=sex,
        foreign_permit_type=permit_type,
        foreign_permit_number=permit_number,
    )


_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\+\d{6,15})$")
# A mainland mobile number, the only kind an SMS provider here delivers to.
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def is_mobile(phone: str | None) -> bool:
    """True for a mainland mobile number (11 digits starting 13–19), the SMS channel's target."""
    return bool(_MOBILE.match(phone or ""))


def validate_phone(value: str) -> None:
    if not _PHONE.match(re.sub(r"[\s\u3000]", "", value or "")):
        raise ValidationError(
            _("请填写有效的电话号码：手机为11位数字；境外号码以+和国家或地区代码开头。"),
            code="phone",
        )


# A real name as the identity document writes it: Chinese characters (the CJK ideograph blocks,
# extensions included) with the middle dot of minority and transliterated foreign names
# Latin letters only for a foreign passport, with the spaces,
# hyphens, apostrophes and full stops passports print. No digits, emoji or other symbols.
# (Resident identity cards print the middle dot as U+00B7.)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CHINESE_NAME = re.compile(f"^[{_HAN}]+(?:·[{_HAN}]+)*$")
_PASSPORT_NAME = re.compile(f"^[A-Za-z{_HAN}]+(?:[ \\-'.·][A-Za-z{_HAN}]+)*\\.?$")


def validate_real_name(name: str, id_type: str) -> None:
    """Refuse a name that no identity document could carry (a clear error, never a silent
    change: the PDF font has no glyph for an emoji and would drop it)."""
    value = (name or "").strip()
    if id_type == IdType.PASSPORT:
        if not _PASSPORT_NAME.match(value):
            raise ValidationError(
                _("姓名须与护照一致：只能使用汉字或拉丁字母，可含空格、连字符“-”、撇号和间隔号“·”。"),
                code="real_name",
            )
        return
    if not _CHINESE_NAME.match(value):
        raise ValidationError(
            _("姓名须与证件一致：只能使用汉字，少数民族和外国译名用间隔号“·”分隔（如“阿依古丽·买买提”）；"
              "持护照的外籍人员请先选择证件类型“护照”。"),
            code="real_name",
        )


def mask_id(number: str | None) -> str:
    """Mask an identity number for display: `3207**********1234`.

    Long numbers keep 4 characters at each end, shorter ones fewer, so that at most about
    half of a short number (a Taiwan permit has 8 digits) is ever shown.
    """
    number = normalise(number or "")
    n = len(number)
    if n == 0:
        return ""
    if n >= 15:
        head, tail = 4, 4
    elif n >= 9:
        head, tail = 2, 2
    elif n >= 6:
        head, tail = 1, 2
    else:
        head, tail = 0, 0
    return number[:head] + "*" * (n - head - tail) + number[n - tail :]


def mask_phone(phone: str | None) -> str:
    phone = (phone or "").strip()
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]

"""Identity validation (pure functions): each failure kind has its Chinese reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from zhicheng.accounts.identity import (
    ForeignPermitType,
    IdType,
    Sex,
    check_identity,
    mask_id,
    validate_residence_permit,
    validate_resident_id,
)


def with_check(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


VALID = with_check("32070619900315123")  # 海州区, 1990-03-15, 17th digit 3: male


def test_valid_resident_id_gives_birth_date_and_sex():
    assert validate_resident_id(VALID) == (dt.date(1990, 3, 15), Sex.MALE)
    female = with_check("32070619880612246")
    assert validate_resident_id(female.lower()) == (dt.date(1988, 6, 12), Sex.FEMALE)


@pytest.mark.parametrize(
    ("number", "code", "reason"),
    [
        ("32070619900315123", "length", "应为18位"),
        ("3207061990031512A7", "format", "前17位应为数字"),
        (VALID[:-1] + str((int(VALID[-1]) + 1) % 10), "checksum", "校验位"),
        (with_check("32070619900230123"), "birth_date", "出生日期"),
        (with_check("99999919900315123"), "region", "地区代码"),
    ],
)
def test_each_invalid_resident_id_kind_has_its_reason(number, code, reason):
    with pytest.raises(ValidationError) as e:
        validate_resident_id(number)
    assert e.value.code == code
    assert reason in e.value.messages[0]


# Lianyungang's districts and counties today, and a few codes from elsewhere in Jiangsu; most
# were created (or renumbered) after their older holders were born.
OLDER_HOLDER_REGIONS = [
    "320703",  # 连云区 (1983)
    "320706",  # 海州区 (2001)
    "320707",  # 赣榆区 (2014)
    "320722",  # 东海县
    "320723",  # 灌云县
    "320724",  # 灌南县
    "320102",  # 南京 玄武区
    "320505",  # 苏州 虎丘区
    "320602",  # 南通 崇川区
]


@pytest.mark.parametrize("region", OLDER_HOLDER_REGIONS)
@pytest.mark.parametrize("birth", ["19550101", "19680720", "19750315"])
def test_older_holders_with_their_districts_current_code_are_accepted(region, birth):
    number = with_check(f"{region}{birth}123")
    born, sex = validate_resident_id(number)
    assert born == dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    assert sex == Sex.MALE


def test_the_issue_reproduction_of_a_1975_holder_from_lianyun_district_is_accepted():
    assert validate_resident_id("320703197503151235") == (dt.date(1975, 3, 15), Sex.MALE)


def test_a_code_that_never_existed_is_refused_whatever_the_birth_year():
    for birth in ("19500101", "20000101"):
        with pytest.raises(ValidationError) as e:
            validate_resident_id(with_check(f"320799{birth}123"))
        assert e.value.code == "region"


def test_future_birth_date_is_refused():
    with pytest.raises(ValidationError) as e:
        validate_resident_id(with_check("32070620300315123"), today=dt.date(2024, 7, 15))
    assert e.value.code == "birth_date"


def test_residence_permit_prefix_checksum_and_derivation():
    hk = with_check("81000019850101002")
    assert validate_residence_permit(hk) == (dt.date(1985, 1, 1), Sex.FEMALE)
    with pytest.raises(ValidationError, match="810000"):
        validate_residence_permit(with_check("32070619850101002"))
    with pytest.raises(ValidationError, match="校验位"):
        validate_residence_permit(hk[:-1] + ("1" if hk[-1] != "1" else "2"))


@pytest.mark.parametrize(
    ("id_type", "good", "bad", "reason"),
    [
        (IdType.HK_MACAU_PERMIT, "H12345678", "12345678", "H（香港）或M（澳门）"),
        (IdType.HK_MACAU_PERMIT, "M1234567890", "X12345678", "H（香港）或M（澳门）"),
        (IdType.TAIWAN_PERMIT, "12345678", "1234567", "8位数字"),
        (IdType.PASSPORT, "E12345678", "E1", "5–20位"),
    ],
)
def test_permit_formats(id_type, good, bad, reason):
    extra = {"birth_date": dt.date(1980, 1, 1), "sex": Sex.MALE}
    if id_type == IdType.PASSPORT:
        extra |= {
            "foreign_permit_type": ForeignPermitType.WORK_PERMIT,
            "foreign_permit_number": "320700123456789012",
        }
    assert check_identity(id_type=id_type, id_number=good, **extra).id_number == good
    with pytest.raises(ValidationError) as e:
        check_identity(id_type=id_type, id_number=bad, **extra)
    assert reason in e.value.message_dict["id_number"][0]


def test_passport_needs_work_permit_or_permanent_residence_number():
    base = {
        "id_type": IdType.PASSPORT,
        "id_number": "E12345678",
        "birth_date": dt.date(1980, 1, 1),
        "sex": Sex.FEMALE,
    }
    with pytest.raises(ValidationError) as e:
        check_identity(**base)
    assert "外国人工作许可证号" in e.value.message_dict["foreign_permit_number"][0]
    pr = check_identity(
        **base,
        foreign_permit_type=ForeignPermitType.PERMANENT_RESIDENCE,
        foreign_permit_number="usa320012345678",
    )
    assert pr.foreign_permit_number == "USA320012345678"
    with pytest.raises(ValidationError, match="永久居留"):
        check_identity(
            **base,
            foreign_permit_type=ForeignPermitType.PERMANENT_RESIDENCE,
            foreign_permit_number="12345",
        )


def test_permits_need_birth_date_and_sex():
    with pytest.raises(ValidationError) as e:
        check_identity(id_type=IdType.TAIWAN_PERMIT, id_number="12345678")
    assert set(e.value.message_dict) == {"birth_date", "sex"}


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("320706199003151237", "3207**********1237"),
        ("H12345678", "H1*****78"),
        ("12345678", "1*****78"),
        ("", ""),
    ],
)
def test_mask_id(number, masked):
    assert mask_id(number) == masked

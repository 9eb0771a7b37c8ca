"""The SMS channel's one notion of a mobile number (accounts.identity.is_mobile), shared by the
通知方式 form and the delivery: a person is offered SMS, and is sent one, for the same numbers."""

import pytest

from zhicheng.accounts.identity import is_mobile


@pytest.mark.parametrize("number", ["13812345678", "19912345678"])
def test_mainland_mobile_numbers_take_sms(number: str) -> None:
    assert is_mobile(number)


@pytest.mark.parametrize("number", ["", None, "12812345678", "1381234567", "0518-85412345",
                                    "+85291234567", "138123456789"])
def test_landlines_foreign_and_short_numbers_take_no_sms(number: str | None) -> None:
    assert not is_mobile(number)

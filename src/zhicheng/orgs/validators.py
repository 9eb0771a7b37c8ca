"""Unified social credit code (统一社会信用代码) validation with a Chinese reason."""

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc


def validate_credit_code(value: str) -> None:
    try:
        uscc.validate(value)
    except stdnum_errors.InvalidLength:
        raise ValidationError(
            "统一社会信用代码应为18位（现为%(n)d位）。", code="length", params={"n": len(value)}
        ) from None
    except stdnum_errors.InvalidFormat:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符（只能是数字和除I、O、Z、S、V以外的大写字母）。",
            code="format",
        ) from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            "统一社会信用代码校验位错误，请核对最后一位。", code="checksum"
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError("统一社会信用代码无效。", code="invalid") from None

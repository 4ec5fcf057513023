"""Resident ID numbers (居民身份证号码, GB 11643-1999) and unified social credit codes (GB 32100-2015)."""

import datetime
import re

from django.core.exceptions import ValidationError

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_RE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")


def normalize_resident_id(value):
    return (value or "").strip().upper().replace(" ", "")


def resident_id_check_digit(first17):
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def validate_resident_id(value):
    """Raise ``ValidationError`` (in Chinese) unless ``value`` is an 18-digit ID with a valid birth date
    and check digit."""
    value = normalize_resident_id(value)
    if not _ID_RE.match(value):
        raise ValidationError("身份证号码应为18位：17位数字加1位数字或X", code="format")
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError("身份证号码中的出生日期无效", code="birth_date") from None
    if born.year < 1900 or born > datetime.date.today():
        raise ValidationError("身份证号码中的出生日期无效", code="birth_date")
    if resident_id_check_digit(value[:17]) != value[17]:
        raise ValidationError("身份证号码校验位不正确，请核对后重新输入", code="check_digit")


def mask_resident_id(value):
    """``410881199001011234`` -> ``4108**********1234``: enough to recognise, not enough to use."""
    value = normalize_resident_id(value)
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def uscc_check_character(first17):
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value):
    value = (value or "").strip().upper()
    if not _USCC_RE.match(value):
        raise ValidationError(
            "统一社会信用代码应为18位，由数字和大写字母组成（不含 I、O、Z、S、V）", code="format"
        )
    if uscc_check_character(value[:17]) != value[17]:
        raise ValidationError("统一社会信用代码校验位不正确，请核对后重新输入", code="check_character")


def mask_phone(value):
    value = (value or "").strip()
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else value

"""Resident ID numbers (居民身份证号码, GB 11643-1999) and unified social credit codes (GB 32100-2015)."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
# Province-level codes (GB/T 2260) plus 71/81/82/83 (Taiwan, Hong Kong, Macao residence permits) and 9x
# (the 2023 foreigners' permanent residence card, which uses the same check digit).
_ID_REGIONS = frozenset(
    f"{n}"
    for n in (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46)
    + (50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83)
)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_RE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")


def normalize_resident_id(value):
    """Full-width digits (a Chinese input method), spaces and a lower-case x are forgiven."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def resident_id_check_digit(first17):
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def validate_resident_id(value):
    """Raise ``ValidationError`` (in Chinese) unless ``value`` is an 18-digit ID with a valid region, birth
    date and check digit; returns it normalised (what to store)."""
    value = normalize_resident_id(value)
    if re.fullmatch(r"\d{15}", value):
        raise ValidationError(
            "15位的旧身份证号码已停止使用，请填写18位的居民身份证号码（可在身份证正面查看）",
            code="old_format",
        )
    if not _ID_RE.match(value):
        raise ValidationError("身份证号码应为18位：17位数字加1位数字或X", code="format")
    if value[:2] not in _ID_REGIONS and value[0] != "9":
        raise ValidationError("身份证号码前两位的地区代码无效，请核对后重新输入", code="region")
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError("身份证号码中的出生日期无效", code="birth_date") from None
    if born.year < 1900 or born > timezone.localdate():
        raise ValidationError("身份证号码中的出生日期无效", code="birth_date")
    if resident_id_check_digit(value[:17]) != value[17]:
        raise ValidationError("身份证号码校验位不正确，请核对后重新输入", code="check_digit")
    return value


def mask_resident_id(value):
    """``410881199001011234`` -> ``4108**********1234``: enough to recognise, not enough to use.
    Shorter numbers (passports, permits: 5-14 characters) keep only their last two characters."""
    value = normalize_resident_id(value)
    if len(value) >= 15:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 2) + value[-2:]


def uscc_check_character(first17):
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(value):
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def validate_uscc(value):
    value = normalize_uscc(value)
    if not _USCC_RE.match(value):
        raise ValidationError(
            "统一社会信用代码应为18位，由数字和大写字母组成（不含 I、O、Z、S、V）", code="format"
        )
    if uscc_check_character(value[:17]) != value[17]:
        raise ValidationError("统一社会信用代码校验位不正确，请核对后重新输入", code="check_character")
    return value


def mask_phone(value):
    """``13903910001`` -> ``139****0001``; a short number shows only its last two digits."""
    value = (value or "").strip()
    if len(value) >= 11:
        return value[:3] + "****" + value[-4:]
    return "*" * max(len(value) - 2, 0) + value[-2:] if value else ""

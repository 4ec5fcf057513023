"""Resident ID numbers (GB 11643), unified social credit codes (GB 32100), masking, tracking numbers and
query codes."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from cms.casework import codes
from cms.casework.identity import (
    mask_phone,
    mask_resident_id,
    validate_resident_id,
    validate_uscc,
)
from tests.casework_builders import make_application, make_guide, make_service_tree


def iso7064_mod11_2(first17):
    """The check character computed the standard's iterative way, independently of the weight table the
    code uses."""
    p = 0
    for c in first17:
        p = ((p + int(c)) * 2) % 11
    r = (12 - p) % 11
    return "X" if r == 10 else str(r)


VALID_IDS = [
    "11010519491231002X",  # GB 11643's own example
    "41900119880808118X",  # 济源市 (419001), ends in X
    "419001199003071237",
    "419001200002290046",  # born on 29 February 2000 (a leap year)
    "410881198506153026",
]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_resident_ids(number):
    assert iso7064_mod11_2(number[:17]) == number[17]
    assert validate_resident_id(number) == number


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("41900119880808118x", "41900119880808118X"),
        (" 419001 19900307 1237 ", "419001199003071237"),
        (
            "４１９００１１９９００３０７１２３７",
            "419001199003071237",
        ),  # typed with a full-width input method
    ],
)
def test_resident_ids_are_normalised(typed, stored):
    assert validate_resident_id(typed) == stored


def refusal(validator, value):
    with pytest.raises(ValidationError) as error:
        validator(value)
    return error.value.code, error.value.message


@pytest.mark.parametrize(
    ("number", "code", "message"),
    [
        ("419001199003071238", "check_digit", "身份证号码校验位不正确，请核对后重新输入"),
        ("11010519491231002Y", "format", "身份证号码应为18位：17位数字加1位数字或X"),
        ("4190011990030712", "format", "身份证号码应为18位：17位数字加1位数字或X"),
        ("41900119900307123X7", "format", "身份证号码应为18位：17位数字加1位数字或X"),
        ("4190011990X3071237", "format", "身份证号码应为18位：17位数字加1位数字或X"),
        ("", "format", "身份证号码应为18位：17位数字加1位数字或X"),
        ("419001199002301234", "birth_date", "身份证号码中的出生日期无效"),  # 30 February
        ("419001190002290011", "birth_date", "身份证号码中的出生日期无效"),  # 1900 was no leap year
        ("419001189912310011", "birth_date", "身份证号码中的出生日期无效"),
        ("419001209912310011", "birth_date", "身份证号码中的出生日期无效"),  # in the future
        ("001001199003071237", "region", "身份证号码前两位的地区代码无效，请核对后重新输入"),
    ],
)
def test_invalid_resident_ids_say_what_is_wrong(number, code, message):
    assert refusal(validate_resident_id, number) == (code, message)


def test_old_15_digit_numbers_are_refused_with_a_clear_message():
    code, message = refusal(validate_resident_id, "410881850615302")
    assert code == "old_format"
    assert message.startswith("15位的旧身份证号码已停止使用，请填写18位的居民身份证号码")


def test_masking_keeps_enough_to_recognise_and_not_enough_to_use():
    assert mask_resident_id("419001199003071237") == "4190**********1237"
    assert mask_resident_id("41900119880808118x") == "4190**********118X"
    assert mask_resident_id("123") == "***"
    # Passports and permits are shorter: an 8-character number must not come out whole.
    assert mask_resident_id("E1234567") == "******67"
    assert mask_resident_id("H12345678") == "*******78"
    assert mask_phone("13903910001") == "139****0001"
    assert mask_phone("0391-6633001") == "039****3001"
    assert mask_phone("6633001") == "*****01"
    assert mask_phone("") == ""


@pytest.mark.parametrize("uscc", ["914403001922038216", "91110000600037341L", "91110000600037341l"])
def test_valid_unified_social_credit_codes(uscc):
    assert validate_uscc(uscc) == uscc.upper()


@pytest.mark.parametrize(
    ("uscc", "code"),
    [
        ("914403001922038217", "check_character"),
        ("91110000600037341K", "check_character"),
        ("91440300192203821I", "format"),  # I is not in the alphabet
        ("9144030019220382O6", "format"),  # nor O
        ("91440300192203821", "format"),
        ("", "format"),
    ],
)
def test_invalid_unified_social_credit_codes(uscc, code):
    assert refusal(validate_uscc, uscc)[0] == code


# --- tracking numbers and query codes ---------------------------------------------------------------


@pytest.fixture
def travel(monkeypatch):
    def to(text):
        moment = timezone.make_aware(datetime.datetime.fromisoformat(text))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return to


@pytest.mark.anydb
def test_tracking_numbers_are_sequential_per_prefix_and_day(db, travel):
    travel("2026-02-12 23:59")
    assert [codes.next_tracking_number("ZW") for _ in range(3)] == [
        "ZW2026021200001",
        "ZW2026021200002",
        "ZW2026021200003",
    ]
    assert codes.next_tracking_number("YS") == "YS2026021200001"
    travel("2026-02-13 00:00")  # Beijing time: a new day
    assert codes.next_tracking_number("ZW") == "ZW2026021300001"


@pytest.mark.anydb
def test_an_application_gets_a_unique_number_and_only_a_digest_of_its_query_code(portal):
    _, folders = make_service_tree(portal)
    guide = make_guide(folders["czj"])
    first, code = make_application(guide, submission_key="a")
    second, other_code = make_application(guide, submission_key="b")
    assert first.tracking_number != second.tracking_number
    assert int(second.tracking_number[-5:]) == int(first.tracking_number[-5:]) + 1
    assert len(code) == 8 and set(code) <= set(codes.QUERY_CODE_ALPHABET)
    stored = [str(getattr(first, f.attname)) for f in first._meta.concrete_fields]
    assert not any(code in value for value in stored)
    assert len(first.query_code_digest) == 64
    assert first.query_code_matches(code) and not first.query_code_matches(other_code)
    assert not second.query_code_matches(code)


def test_query_codes_avoid_characters_that_are_misread():
    issued = {codes.new_query_code() for _ in range(500)}
    assert len(issued) == 500
    used = set("".join(issued))
    assert used <= set(codes.QUERY_CODE_ALPHABET)
    assert not used & set("01OIL")


def test_query_code_comparison_forgives_case_spaces_hyphens_and_full_width():
    digest = codes.query_code_digest("7KXM4PQ2")
    for typed in ("7KXM4PQ2", "7kxm4pq2", " 7KXM 4PQ2 ", "7KXM-4PQ2", "７ＫＸＭ４ＰＱ２", "7kxm\t4pq2\n"):
        assert codes.query_code_matches(typed, digest), typed
    for typed in ("7KXM4PQ3", "7KXM4PQ", "", None, "7KXM4PQ22"):
        assert not codes.query_code_matches(typed, digest), typed
    assert not codes.query_code_matches("7KXM4PQ2", "")


def test_rotating_the_secret_key_keeps_query_codes_working_through_the_fallbacks(settings):
    digest = codes.query_code_digest("7KXM4PQ2")
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-for-the-portal"
    assert not codes.query_code_matches("7KXM4PQ2", digest)
    settings.SECRET_KEY_FALLBACKS = [old]
    assert codes.query_code_matches("7KXM4PQ2", digest)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submissions_get_distinct_consecutive_numbers():
    writers = 8
    barrier = threading.Barrier(writers)
    numbers, errors = [], []

    def issue():
        try:
            barrier.wait()
            numbers.append(codes.next_tracking_number("ZW"))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(int(n[-5:]) for n in numbers) == list(range(1, writers + 1))

import pickle
import random
from datetime import date, timedelta

import pytest

from bokjihub.engine.rrn import Rrn, RrnError, make_rrn, parse_rrn

TODAY = date(2026, 11, 26)


def with_check_digit(first12: str) -> str:
    """Independent re-statement of the old rule, so the tests do not trust the module."""
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    total = sum(int(d) * w for d, w in zip(first12, weights, strict=True))
    return first12 + str((11 - total % 11) % 10)


def test_known_valid_number_parses_with_and_without_hyphen():
    # 9·2+0+0+1·5+0+1·7+1·8+2·9+3·2+4·3+5·4+6·5 = 124; 124 mod 11 = 3; 11 − 3 = 8
    for text in ("900101-1234568", "9001011234568", "  900101-1234568 \n"):
        rrn = parse_rrn(text, today=TODAY)
        assert rrn.digits == "9001011234568"
        assert rrn.birth_date == date(1990, 1, 1)
        assert rrn.sex == "M"
        assert not rrn.is_foreign
        assert rrn.front == "900101"
        assert rrn.sex_digit == "1"


@pytest.mark.accept_foundation
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("900101-123456", "format"),  # a digit missing
        ("90010l-1234568", "format"),  # letter l typed for 1
        ("900101 1234568", "format"),  # a space is not a separator
        ("９００１０１-１２３４５６８", "format"),  # full-width digits from a word processor
        ("", "format"),
        ("990230-1234567", "birth_date"),  # 30 February
        ("910431-2234567", "birth_date"),  # 31 April
        ("300101-3234567", "future_birth_date"),  # 2030: 3 means 2000s
        ("570101-0" + with_check_digit("570101012345")[7:], "century_digit"),  # 1857, 0 for 2
        ("900101-1234567", "check_digit"),  # last digit off by one
    ],
)
def test_each_error_code(text, code):
    with pytest.raises(RrnError) as caught:
        parse_rrn(text, today=TODAY)
    assert caught.value.code == code
    assert caught.value.message and caught.value.message_en


def test_format_message_is_the_officers_sentence():
    with pytest.raises(RrnError) as caught:
        parse_rrn("12345", today=TODAY)
    assert caught.value.message == (
        "주민등록번호는 생년월일 6자리와 뒷자리 7자리, 모두 13자리 숫자여야 합니다 "
        "(예: 900101-1******)."
    )
    assert isinstance(caught.value, ValueError)


def test_nineteenth_century_digit_is_accepted_when_the_person_could_be_alive():
    number = with_check_digit("950101" + "9" + "12345")
    rrn = parse_rrn(number, today=date(1990, 1, 1))
    assert rrn.birth_date == date(1895, 1, 1)
    assert rrn.sex == "M"


@pytest.mark.accept_foundation
@pytest.mark.parametrize(
    "text",
    [
        "900101-1234567",  # check digit wrong
        "990230-2345678",  # no such date
        "300101-3456789",  # future
        "570101-0234567",  # 1800s
        "851224-29876",  # too short
        "851224-2987654",  # check digit wrong (the valid one ends in 7)
    ],
)
def test_errors_never_contain_the_number(text):
    digits = text.replace("-", "")
    with pytest.raises(RrnError) as caught:
        parse_rrn(text, today=TODAY)
    error = caught.value
    shown = " ".join(
        [str(error), repr(error), error.message, error.message_en, *map(str, error.args)]
    )
    assert digits not in shown
    assert digits[6:] not in shown  # the back part is the secret
    assert text[7:] not in shown


def test_error_text_depends_only_on_the_code():
    # A fixed sentence per code is what guarantees that no input can ever leak.
    for first, second in (("851224-2987", "7712"), ("990230-1234567", "010231-4234567")):
        with pytest.raises(RrnError) as one:
            parse_rrn(first, today=TODAY)
        with pytest.raises(RrnError) as other:
            parse_rrn(second, today=TODAY)
        assert one.value.code == other.value.code
        assert (str(one.value), repr(one.value)) == (str(other.value), repr(other.value))


def test_error_survives_pickling_with_its_code():
    restored = pickle.loads(pickle.dumps(RrnError("check_digit")))  # noqa: S301 - own object
    assert restored.code == "check_digit"
    assert restored.message == RrnError("check_digit").message


@pytest.mark.accept_foundation
def test_masked_and_no_leak_in_str_repr_format():
    rrn = parse_rrn("900101-1234568", today=TODAY)
    assert rrn.masked() == "900101-1******"
    assert rrn.formatted() == "900101-1234568"
    for shown in (str(rrn), repr(rrn), f"{rrn}", "%s" % rrn, repr([rrn]), repr({"r": rrn})):  # noqa: UP031
        assert "234568" not in shown
        assert "900101-1******" in shown


def test_constructor_rejects_wrong_shapes_without_echoing_them():
    for bad in ("857", "85122429876543", "851224-298765", "８５１２２４２９８７６５４"):
        with pytest.raises(RrnError) as caught:
            Rrn(bad)
        assert bad not in str(caught.value)


@pytest.mark.parametrize(
    ("birth", "sex_digit", "checked"),
    [
        (date(2020, 9, 30), "3", True),  # old scheme up to the last day
        (date(2020, 10, 1), "4", False),  # new scheme: no check digit
        (date(2023, 5, 17), "3", False),
        (date(1985, 6, 2), "5", False),  # foreigners: another scheme, not validated
        (date(2004, 2, 29), "8", False),
        (date(1975, 12, 31), "2", True),
    ],
)
def test_check_digit_rule_by_birth_date_and_nationality(birth, sex_digit, checked):
    front = birth.strftime("%y%m%d") + sex_digit + "12345"
    valid = with_check_digit(front)
    accepted = []
    for last in "0123456789":
        try:
            parse_rrn(front + last, today=TODAY)
            accepted.append(last)
        except RrnError as error:
            assert error.code == "check_digit"
    assert accepted == ([valid[-1]] if checked else list("0123456789"))


@pytest.mark.parametrize(
    ("digit", "year", "sex", "foreign"),
    [
        ("9", 1899, "M", False),
        ("0", 1899, "F", False),
        ("1", 1999, "M", False),
        ("2", 1999, "F", False),
        ("3", 2001, "M", False),
        ("4", 2001, "F", False),
        ("5", 1999, "M", True),
        ("6", 1999, "F", True),
        ("7", 2001, "M", True),
        ("8", 2001, "F", True),
    ],
)
def test_seventh_digit_meaning(digit, year, sex, foreign):
    number = with_check_digit(f"{year % 100:02d}0315{digit}12345")
    rrn = parse_rrn(number, today=date(1999 if year == 1899 else 2026, 6, 1))
    assert (rrn.birth_date, rrn.sex, rrn.is_foreign) == (date(year, 3, 15), sex, foreign)


def test_make_rrn_round_trips_for_many_random_dates():
    rng = random.Random(20261126)
    first, last = date(1905, 1, 1).toordinal(), TODAY.toordinal()
    for _ in range(3000):
        born = date.fromordinal(rng.randint(first, last))
        sex = rng.choice("MF")
        foreign = born.year >= 1900 and rng.random() < 0.2
        number = make_rrn(birth_date=born, sex=sex, foreign=foreign, rng=rng)
        assert len(number) == 13 and number.isdigit()
        rrn = parse_rrn(number, today=TODAY)
        assert (rrn.birth_date, rrn.sex, rrn.is_foreign) == (born, sex, foreign)
        if not foreign and born < date(2020, 10, 1):
            assert number == with_check_digit(number[:12])


def test_make_rrn_gives_varied_serials_and_refuses_foreigners_of_the_1800s():
    rng = random.Random(1)
    born = date(1990, 1, 1)
    numbers = {make_rrn(birth_date=born, sex="F", rng=rng) for _ in range(200)}
    assert len(numbers) > 190
    with pytest.raises(ValueError):
        make_rrn(birth_date=date(1890, 1, 1), sex="M", foreign=True, rng=rng)


def test_birth_today_is_accepted_tomorrow_is_not():
    rng = random.Random(3)
    today_number = make_rrn(birth_date=TODAY, sex="M", rng=rng)
    assert parse_rrn(today_number, today=TODAY).birth_date == TODAY
    with pytest.raises(RrnError) as caught:
        parse_rrn(today_number, today=TODAY - timedelta(days=1))
    assert caught.value.code == "future_birth_date"


def test_default_today_is_seouls_date():
    # A baby registered today in Seoul must be accepted even where the server runs on UTC.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    seoul_today = datetime.now(ZoneInfo("Asia/Seoul")).date()
    number = make_rrn(birth_date=seoul_today, sex="F", rng=random.Random(9))
    assert parse_rrn(number).birth_date == seoul_today

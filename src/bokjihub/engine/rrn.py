"""Resident registration numbers (주민등록번호, RRN): parsing, validation, synthetic numbers.

Layout: ``YYMMDD-SNNNNNN``. The 7th digit S carries the century and sex (odd = male):

    9 / 0   born in the 1800s (Korean national)
    1 / 2   born in the 1900s
    3 / 4   born in the 2000s
    5 / 6   foreign resident (외국인등록번호), born in the 1900s
    7 / 8   foreign resident, born in the 2000s

An RRN is personal data of the most sensitive kind (PIPA art. 24-2). Nothing in this module
puts the digits it was given into an exception message, a ``repr`` or a ``str``: error
messages are fixed sentences and :class:`Rrn` shows itself only masked.

This module is pure Python: the engine package must never import Django.
"""

import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

# Weights of the old check digit, applied to the first 12 digits.
_CHECK_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)

# From 2020-10-01 new numbers carry a random serial instead of the region code and check
# digit (행정안전부, 주민등록번호 부여체계 개편). The issuance date is not in the number, so the
# birth date stands in for it: a person born before that day normally received the number
# at birth registration under the old scheme.
CHECK_DIGIT_ABOLISHED_ON = date(2020, 10, 1)

# Nobody born in the 1800s is alive any more (the oldest verified human reached 122), so a
# 9 or 0 in the 7th place of a living person's number is almost always a typo for 1 or 2.
_MAX_PLAUSIBLE_AGE = 125

# 7th digit → (century, sex, foreign)
_SEX_DIGITS: dict[str, tuple[int, str, bool]] = {
    "9": (1800, "M", False),
    "0": (1800, "F", False),
    "1": (1900, "M", False),
    "2": (1900, "F", False),
    "3": (2000, "M", False),
    "4": (2000, "F", False),
    "5": (1900, "M", True),
    "6": (1900, "F", True),
    "7": (2000, "M", True),
    "8": (2000, "F", True),
}
_DIGIT_FOR: dict[tuple[int, str, bool], str] = {value: key for key, value in _SEX_DIGITS.items()}

# Birth dates in an RRN are Korean calendar dates: "today" is today in Seoul, not on the
# server's clock (a UTC server is a day behind Seoul until 09:00 KST).
_SEOUL = ZoneInfo("Asia/Seoul")

# ASCII digits only: str.isdigit() would accept Arabic-Indic or full-width digits.
_RRN_TEXT = re.compile(r"([0-9]{6})-?([0-9]{7})")

_MESSAGES: dict[str, tuple[str, str]] = {
    "format": (
        "주민등록번호는 생년월일 6자리와 뒷자리 7자리, 모두 13자리 숫자여야 합니다 "
        "(예: 900101-1******).",
        "A resident registration number has 13 digits: 6 for the birth date and 7 more "
        "(e.g. 900101-1******).",
    ),
    "century_digit": (
        "뒷자리 첫 숫자(성별·출생연대 표시)가 맞지 않습니다. 9·0은 1800년대 출생을 뜻하므로 "
        "1·2(1900년대) 또는 3·4(2000년대)가 아닌지 확인해 주세요.",
        "The first digit of the second part (sex and century) does not fit: 9 and 0 mean "
        "born in the 1800s; check whether it should be 1/2 (1900s) or 3/4 (2000s).",
    ),
    "birth_date": (
        "주민등록번호 앞자리의 생년월일이 달력에 없는 날짜입니다.",
        "The date of birth in the first part of the number does not exist.",
    ),
    "future_birth_date": (
        "주민등록번호의 생년월일이 오늘 이후입니다. 앞자리와 뒷자리 첫 숫자를 확인해 주세요.",
        "The date of birth in the number lies in the future; check the first part and the "
        "first digit of the second part.",
    ),
    "check_digit": (
        "주민등록번호 마지막 자리(검증번호)가 맞지 않습니다. 숫자를 다시 확인해 주세요.",
        "The last digit (check digit) does not match; please check the number again.",
    ),
}


class RrnError(ValueError):
    """An RRN that cannot be accepted.

    ``code`` is a stable slug for programs, ``message`` is for the officer (Korean),
    ``message_en`` for logs and English screens. None of them contains the input.
    """

    def __init__(self, code: str):
        message, message_en = _MESSAGES[code]
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_en = message_en

    def __reduce__(self):
        # Default pickling would call RrnError(message) and fail the lookup by code.
        return (RrnError, (self.code,))


@dataclass(frozen=True)
class Rrn:
    """A 13-digit RRN whose shape is known to be right.

    Build it with :func:`parse_rrn` for input; the constructor checks only the shape, so
    numbers already stored (and validated when they were stored) load without surprise.
    """

    digits: str = field(repr=False)

    def __post_init__(self) -> None:
        if not (len(self.digits) == 13 and self.digits.isascii() and self.digits.isdigit()):
            raise RrnError("format")

    @property
    def front(self) -> str:
        return self.digits[:6]

    @property
    def sex_digit(self) -> str:
        return self.digits[6]

    @property
    def birth_date(self) -> date:
        century = _SEX_DIGITS[self.sex_digit][0]
        yy, mm, dd = int(self.digits[0:2]), int(self.digits[2:4]), int(self.digits[4:6])
        return date(century + yy, mm, dd)

    @property
    def sex(self) -> str:
        return _SEX_DIGITS[self.sex_digit][1]

    @property
    def is_foreign(self) -> bool:
        return _SEX_DIGITS[self.sex_digit][2]

    def masked(self) -> str:
        """The form officers may see and print: birth date and sex digit only."""
        return f"{self.front}-{self.sex_digit}******"

    def formatted(self) -> str:
        """The full number with its hyphen; only for a logged reveal."""
        return f"{self.front}-{self.digits[6:]}"

    def __repr__(self) -> str:
        return f"Rrn({self.masked()!r})"

    def __str__(self) -> str:
        return self.masked()


def check_digit(first12: str) -> int:
    """The old check digit: (11 − Σ digit×weight mod 11) mod 10."""
    total = sum(int(digit) * weight for digit, weight in zip(first12, _CHECK_WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def check_digit_applies(*, birth_date: date, foreign: bool) -> bool:
    """Whether the last digit must be the old check digit.

    Only Korean nationals born before 2020-10-01. Foreign registration numbers use a
    different scheme (with its own adjustments, and also dropped later), which we do not
    validate: rejecting a real foreigner's number at a welfare counter costs more than
    letting a typo through.
    """
    return not foreign and birth_date < CHECK_DIGIT_ABOLISHED_ON


def parse_rrn(text: str, *, today: date | None = None) -> Rrn:
    """Parse ``YYMMDD-SNNNNNN`` with or without the hyphen (spaces around are ignored).

    ``today`` defaults to today's date in Seoul. Raises :class:`RrnError` with code
    ``format``, ``birth_date``, ``future_birth_date``, ``century_digit`` or ``check_digit``.
    """
    matched = _RRN_TEXT.fullmatch(text.strip()) if isinstance(text, str) else None
    if matched is None:
        raise RrnError("format")
    rrn = Rrn(matched.group(1) + matched.group(2))
    try:
        born = rrn.birth_date
    except ValueError:
        raise RrnError("birth_date") from None
    today = today or datetime.now(_SEOUL).date()
    if born > today:
        raise RrnError("future_birth_date")
    if _SEX_DIGITS[rrn.sex_digit][0] == 1800 and _age_on(born, today) > _MAX_PLAUSIBLE_AGE:
        raise RrnError("century_digit")
    if check_digit_applies(birth_date=born, foreign=rrn.is_foreign):
        if check_digit(rrn.digits[:12]) != int(rrn.digits[12]):
            raise RrnError("check_digit")
    return rrn


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def make_rrn(*, birth_date: date, sex: str, foreign: bool = False, rng: random.Random) -> str:
    """A synthetic 13-digit RRN that :func:`parse_rrn` accepts.

    The serial digits are random (no real region code), so the number is only
    format-valid; numbers under the old scheme get a correct check digit.
    """
    century = birth_date.year // 100 * 100
    sex_digit = _DIGIT_FOR.get((century, sex, foreign))
    if sex_digit is None:
        raise ValueError("no RRN sex digit for this century, sex and nationality")
    front = f"{birth_date.year % 100:02d}{birth_date.month:02d}{birth_date.day:02d}{sex_digit}"
    if check_digit_applies(birth_date=birth_date, foreign=foreign):
        first12 = front + f"{rng.randrange(100_000):05d}"
        return first12 + str(check_digit(first12))
    return front + f"{rng.randrange(1_000_000):06d}"

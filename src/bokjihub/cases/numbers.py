"""Human case numbers: `강동-2026-0123` (the Si/Gun/Gu's short name, the year the case was
opened, a sequence per short name and year).

Workers read numbers aloud on the phone and write them on paper forms, so the number
says where and when the case was opened and stays short. The short name drops the
시/군/구 suffix where what is left is still a name (강동구 → 강동, 장성군 → 장성); a
one-syllable stem keeps it (중구, 남구). Names shared by several Si/Gun/Gus (중구, 고성군)
take their Si/Do or, for a 일반구, their city in front (부산중구, 포항남구, 강원고성), so
that no two Si/Gun/Gus ever draw numbers from the same prefix by accident.

The sequence is keyed by the prefix, not by the Si/Gun/Gu row: a recoded Si/Gun/Gu that
keeps its name keeps counting where it was.
"""

from bokjihub.regions.models import Sigungu

# Longest first: "특별자치시" must go before "특별시" would leave "자치".
_REGION_SUFFIXES = ("통합특별시", "특별자치시", "특별자치도", "광역시", "특별시")
_DIVISION_SUFFIXES = ("시", "군", "구")


def sigungu_stem(name: str) -> str:
    """강동구 → 강동, 청주시 흥덕구 → 흥덕, 중구 → 중구, 세종특별자치시 → 세종."""
    word = name.split()[-1] if name.split() else name
    for suffix in _REGION_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word.removesuffix(suffix)
    if len(word) >= 3 and word.endswith(_DIVISION_SUFFIXES):
        return word[:-1]
    return word


def sido_short(name: str) -> str:
    """The usual short form of a Si/Do: 서울특별시 → 서울, 충청북도 → 충북, 경기도 → 경기."""
    for suffix in _REGION_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix)
    if len(name) == 4 and name.endswith("도"):
        return name[0] + name[2]
    return name.removesuffix("도") or name


def _qualifier(sigungu: Sigungu) -> str:
    if sigungu.parent_id is not None:
        return sigungu_stem(sigungu.parent.name_ko)
    return sido_short(sigungu.sido.name_ko)


def case_number_prefix(sigungu: Sigungu) -> str:
    """The prefix of the Si/Gun/Gu's case numbers; one query to look for namesakes."""
    stem = sigungu_stem(sigungu.name_ko)
    namesakes = (
        Sigungu.objects.filter(valid_to__isnull=True, name_ko__contains=stem)
        .exclude(code=sigungu.code)
        .values_list("name_ko", flat=True)
    )
    if any(sigungu_stem(name) == stem for name in namesakes):
        return f"{_qualifier(sigungu)}{stem}"
    return stem


def case_number_format(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:04d}"

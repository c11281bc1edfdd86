"""Map a road-name address (도로명주소) to the administrative dong (행정동) that serves it.

Welfare centres serve administrative dongs, while addresses are written with road names
and legal dongs; the official road-name ↔ 행정동 table is not in our reference data yet
(a known gap, docs/decisions). Until it is, an address resolves when the officer picks the
Dong, or when the address names its Si/Gun/Gu and exactly one of that Si/Gun/Gu's Dongs
(e.g. "서울특별시 강동구 양재대로 1000 (길동)"). Anything else gets a specific message
instead of a guess.
"""

import re
from datetime import date

from bokjihub.regions.errors import RegionCodeError
from bokjihub.regions.models import EupMyeonDong, Sigungu
from bokjihub.regions.selectors import emd_by_code, emd_valid_on, sigungu_valid_on


class AddressError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _sigungu_named_in(address: str, day: date) -> Sigungu | None:
    """The Si/Gun/Gu whose full name the address starts with (longest match wins, so
    '경기도 수원시 장안구' beats '경기도 수원시')."""
    best: Sigungu | None = None
    for sigungu in sigungu_valid_on(day).only("id", "code", "full_name_ko", "name_ko", "parent_id"):
        if address.startswith(sigungu.full_name_ko + " ") and (
            best is None or len(sigungu.full_name_ko) > len(best.full_name_ko)
        ):
            best = sigungu
    return best


def _dong_names_in(address: str) -> list[str]:
    names = re.findall(r"\(([^)]*)\)", address)
    tokens = [part.strip() for name in names for part in name.split(",")]
    return tokens + address.split(" ")


def address_resolve(*, road_address: str, emd_code: str = "", as_of: date) -> EupMyeonDong:
    address = _normalise(road_address)
    if not address:
        raise AddressError("도로명주소를 입력해 주세요.")
    if emd_code:
        try:
            emd = emd_by_code(emd_code, as_of=as_of)
        except RegionCodeError as error:
            raise AddressError(error.message) from error
        named = _sigungu_named_in(address, as_of)
        if named is not None and named.id not in {emd.sigungu_id, emd.sigungu.parent_id}:
            raise AddressError(
                f"주소의 시·군·구({named.full_name_ko})가 선택한 행정동 {emd.name_ko}"
                f"({emd.sigungu.full_name_ko})과 다릅니다. 주소나 행정동을 확인해 주세요."
            )
        return emd
    sigungu = _sigungu_named_in(address, as_of)
    if sigungu is None:
        raise AddressError(
            f"주소 '{address[:60]}'에서 시·군·구를 찾을 수 없습니다. "
            "'서울특별시 강동구 …'처럼 시·도와 시·군·구부터 적거나 행정동을 선택해 주세요."
        )
    candidates = emd_valid_on(as_of).filter(
        sigungu__in=[sigungu.id, *sigungu.districts.values_list("id", flat=True)]
    )
    by_name = {emd.name_ko: emd for emd in candidates}
    found = {by_name[name].id: by_name[name] for name in _dong_names_in(address) if name in by_name}
    if len(found) == 1:
        return next(iter(found.values()))
    if len(found) > 1:
        listed = ", ".join(sorted(emd.name_ko for emd in found.values()))
        raise AddressError(f"주소에 여러 행정동({listed})이 보입니다. 행정동을 하나 선택해 주세요.")
    raise AddressError(
        f"주소 '{address[:60]}'가 {sigungu.full_name_ko}의 "
        "어느 읍·면·동에 속하는지 알 수 없습니다. "
        "행정동을 선택해 주세요."
    )

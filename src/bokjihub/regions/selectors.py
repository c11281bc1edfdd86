"""Reads of the administrative hierarchy, always as of a given day.

Codes are reused and retired over time, so every lookup takes the day it is about; a code
that was valid on another day yields a `RegionCodeError` that says what replaced it.
"""

import re
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from bokjihub.regions.errors import (
    EMD_LEVEL,
    SIDO_LEVEL,
    SIGUNGU_LEVEL,
    RegionCodeError,
    RegionLevel,
)
from bokjihub.regions.models import (
    AUTONOMOUS_KINDS,
    CodeStatus,
    EmdKind,
    EupMyeonDong,
    Sido,
    Sigungu,
    SigunguKind,
    Validity,
)


def sido_valid_on(day: date) -> QuerySet[Sido]:
    return Sido.objects.filter(Validity.valid_on_q(day))


def sigungu_valid_on(day: date) -> QuerySet[Sigungu]:
    return Sigungu.objects.filter(Validity.valid_on_q(day))


def emd_valid_on(day: date) -> QuerySet[EupMyeonDong]:
    return EupMyeonDong.objects.filter(Validity.valid_on_q(day))


def emds_of_sigungu(sigungu: Sigungu, *, as_of: date) -> QuerySet[EupMyeonDong]:
    """The EMDs of a Si/Gun/Gu; for a city with 일반구, those of all its districts."""
    return emd_valid_on(as_of).filter(Q(sigungu=sigungu) | Q(sigungu__parent=sigungu))


def regions_stats(*, as_of: date) -> dict[str, Any]:
    """How many units of each level and kind are valid on `as_of` (three queries)."""
    sido = sido_valid_on(as_of).count()
    sigungu = sigungu_valid_on(as_of).aggregate(
        sigungu_all=Count("pk"),
        sigungu_units=Count("pk", filter=Q(is_unit=True)),
        sigungu_autonomous=Count("pk", filter=Q(kind__in=AUTONOMOUS_KINDS)),
        sigungu_autonomous_si=Count("pk", filter=Q(kind=SigunguKind.AUTONOMOUS_SI)),
        sigungu_autonomous_gun=Count("pk", filter=Q(kind=SigunguKind.AUTONOMOUS_GUN)),
        sigungu_autonomous_gu=Count("pk", filter=Q(kind=SigunguKind.AUTONOMOUS_GU)),
        sigungu_non_autonomous_gu=Count("pk", filter=Q(kind=SigunguKind.NON_AUTONOMOUS_GU)),
        sigungu_administrative_si=Count("pk", filter=Q(kind=SigunguKind.ADMINISTRATIVE_SI)),
        sigungu_special_city=Count("pk", filter=Q(kind=SigunguKind.SPECIAL_CITY)),
    )
    emd = emd_valid_on(as_of).aggregate(
        emd=Count("pk"),
        eup=Count("pk", filter=Q(kind=EmdKind.EUP)),
        myeon=Count("pk", filter=Q(kind=EmdKind.MYEON)),
        dong=Count("pk", filter=Q(kind=EmdKind.DONG)),
        emd_derived_codes=Count("pk", filter=Q(code_status=CodeStatus.DERIVED)),
        emd_provisional_codes=Count("pk", filter=Q(code_status=CodeStatus.PROVISIONAL)),
    )
    return {"as_of": as_of.isoformat(), "sido": sido, **sigungu, **emd}


def sido_by_code(code: str, *, as_of: date) -> Sido:
    return _by_code(Sido.objects.all(), code, as_of=as_of, level=SIDO_LEVEL)


def sigungu_by_code(code: str, *, as_of: date) -> Sigungu:
    return _by_code(
        Sigungu.objects.select_related("sido", "parent", "successor"),
        code,
        as_of=as_of,
        level=SIGUNGU_LEVEL,
    )


def emd_by_code(code: str, *, as_of: date) -> EupMyeonDong:
    return _by_code(
        EupMyeonDong.objects.select_related("sigungu__sido", "predecessor"),
        code,
        as_of=as_of,
        level=EMD_LEVEL,
    )


def _by_code(queryset: QuerySet, code: str, *, as_of: date, level: RegionLevel) -> Any:
    if not isinstance(code, str) or not re.fullmatch(rf"\d{{{level.digits}}}", code):
        raise RegionCodeError.malformed(str(code), level=level)
    versions = list(queryset.filter(code=code).order_by("valid_from"))
    if not versions:
        raise RegionCodeError.unknown(code)
    for row in versions:
        if (row.valid_from is None or row.valid_from <= as_of) and (
            row.valid_to is None or row.valid_to > as_of
        ):
            return row
    ended = [row for row in versions if row.valid_to is not None and row.valid_to <= as_of]
    if ended:
        raise _abolished(max(ended, key=lambda row: row.valid_to))
    first = versions[0]
    raise RegionCodeError.not_yet_valid(
        code, name=_label(first), as_of=as_of, valid_from=first.valid_from
    )


def _abolished(row: Sido | Sigungu | EupMyeonDong) -> RegionCodeError:
    successor = _successor_of(row)
    return RegionCodeError.abolished(
        row.code,
        name=_label(row),
        on=row.valid_to,
        successor_code=successor.code if successor else None,
        successor_name=_label(successor) if successor else "",
        split_into=_split_into(row) if successor is None else (),
    )


def _successor_of(row: Sido | Sigungu | EupMyeonDong) -> Sido | Sigungu | EupMyeonDong | None:
    if isinstance(row, Sigungu):
        return row.successor
    if isinstance(row, EupMyeonDong):
        return EupMyeonDong.objects.select_related("sigungu__sido").filter(predecessor=row).first()
    # A Si/Do has no successor column: it is the one Si/Do that took over all its
    # Si/Gun/Gu (42 강원도 → 51; 29 광주 and 46 전남 → 12).
    ended = row.sigungus.filter(valid_to=row.valid_to)
    targets = set(ended.values_list("successor__sido", flat=True))
    if len(targets) != 1 or None in targets:
        return None
    return Sido.objects.get(pk=targets.pop())


def _split_into(row: Sido | Sigungu | EupMyeonDong) -> tuple[str, ...]:
    """Where the EMDs of a split Si/Gun/Gu (e.g. 인천 중구 in 2026) went."""
    if not isinstance(row, Sigungu):
        return ()
    targets = (
        Sigungu.objects.filter(emds__predecessor__sigungu=row)
        .distinct()
        .order_by("code")
        .values_list("code", "full_name_ko")
    )
    return tuple(f"{name}({code})" for code, name in targets)


def _label(row: Sido | Sigungu | EupMyeonDong) -> str:
    if isinstance(row, Sigungu):
        return row.full_name_ko
    if isinstance(row, EupMyeonDong):
        return f"{row.sigungu.full_name_ko} {row.name_ko}"
    return row.name_ko

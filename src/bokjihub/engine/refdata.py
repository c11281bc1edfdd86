"""Typed readers over the public reference tables shipped in ``bokjihub/data``.

Sources and licences are described in the data folder's SOURCES notes (§5–§10). Codes are
kept as text so leading zeros survive. Every reader is cached: the files are small and
never change while the process runs. Pure Python, no Django.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

# The 2026-07-01 reorganisation (광주+전남 → 전남광주통합특별시, Incheon's 3 gu → 4 gu) changed
# EMD codes; the April list is valid before that day, the recode crosswalk from it.
EMD_RECODE_DATE = date(2026, 7, 1)

# The 21 five-year bands of the population table, as (column, first age, last age).
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    *((f"age_{low}_{low + 4}", low, low + 4) for low in range(0, 100, 5)),
    ("age_100p", 100, 104),  # open band; 104 is where our synthetic ages stop
)

_CODE_STATUS = {
    "unchanged": "official",
    "recoded_observed": "official",
    "recoded_rule": "derived",
    # The new code was never published in a source we hold: keep the old one, flagged.
    "recoded_unknown": "provisional",
}

_PROGRAMMES = (
    "nbls_total",
    "livelihood",
    "medical",
    "housing",
    "education",
    "nearpoor_disabled",
    "nearpoor_selfsupport",
    "nearpoor_copay_reduction",
    "basic_pension",
    "disability_pension",
)


class UnknownSigunguError(KeyError):
    """A Si/Gun/Gu code that the reference tables do not know (for the date asked)."""

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        text = f"unknown Si/Gun/Gu code {code!r}"
        super().__init__(f"{text}: {detail}" if detail else text)

    def __str__(self) -> str:
        # KeyError's str() wraps the message in quotes; show it as written.
        return str(self.args[0])


@dataclass(frozen=True)
class SurnameRef:
    surname: str
    count: int
    hanja: str


@dataclass(frozen=True)
class GivenNameRef:
    given_name: str
    count: int
    sex: str  # "M" / "F"


@dataclass(frozen=True)
class PopulationRef:
    """One Si/Gun/Gu of the MOIS resident-registration table (2026-08-31)."""

    sigungu_code: str
    name_ko: str  # full, e.g. "서울특별시 강동구"
    ref_date: date
    pop_total: int
    pop_male: int
    pop_female: int
    households: int  # 주민등록 세대, not census 가구
    age_bands: tuple[int, ...]  # 21 counts, in the order of AGE_BANDS

    @property
    def persons_per_household(self) -> float:
        return self.pop_total / self.households

    def age_band_shares(self) -> tuple[float, ...]:
        return tuple(count / self.pop_total for count in self.age_bands)


@dataclass(frozen=True)
class RecipientsRef:
    """Recipients of welfare programmes in one Si/Gun/Gu (SSIS, 2025-12-31).

    ``source`` says where the figures come from: ``"sigungu"`` (the unit's own row), or an
    estimate from a rate times the unit's households: ``"parent_si_rate"``, ``"sido_rate"``
    or ``"national_rate"`` (for units created after the snapshot, such as Incheon's 2026
    districts and Hwaseong's 일반구).
    """

    sigungu_code: str
    source: str
    ref_date: date
    counts: dict[str, int]  # "<programme>_persons" / "<programme>_hh", e.g. "nbls_total_hh"

    @property
    def n_nbls_total_hh(self) -> int:
        return self.counts["nbls_total_hh"]

    @property
    def n_nbls_total_persons(self) -> int:
        return self.counts["nbls_total_persons"]

    def __getitem__(self, name: str) -> int:
        return self.counts[name.removeprefix("n_")]


@dataclass(frozen=True)
class EmdRef:
    """An Eup/Myeon/Dong (행정동) as of a date."""

    code: str  # 10-digit MOIS 행정기관코드
    name_ko: str
    kind: str  # "eup" / "myeon" / "dong"
    sigungu_code: str
    area_km2: float | None
    code_status: str  # "official" / "derived" / "provisional"


def _open_text(name: str) -> io.StringIO:
    return io.StringIO((resources.files("bokjihub") / "data" / name).read_text(encoding="utf-8"))


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_open_text(name)))


def _commented_rows(name: str) -> Iterator[list[str]]:
    """Rows of the name files: leading '#' comment lines, a blank line, no header."""
    for row in csv.reader(_open_text(name)):
        if row and not row[0].startswith("#"):
            yield row


@lru_cache(maxsize=1)
def surnames() -> tuple[SurnameRef, ...]:
    """Surnames with counts (2015 census, count ≥ 1000); a surname may repeat by 한자."""
    return tuple(
        SurnameRef(surname=row[0], count=int(row[1]), hanja=row[2])
        for row in _commented_rows("kr_surnames_2015_kosis.csv")
    )


@lru_cache(maxsize=1)
def surname_counts() -> dict[str, int]:
    """Counts summed over 한자 variants, in file order (most frequent first)."""
    totals: dict[str, int] = {}
    for ref in surnames():
        totals[ref.surname] = totals.get(ref.surname, 0) + ref.count
    return totals


@lru_cache(maxsize=2)
def given_names(sex: str) -> tuple[GivenNameRef, ...]:
    """Given names of babies born 2008–2023 (count ≥ 100) for sex "M" or "F"."""
    if sex not in ("M", "F"):
        raise ValueError('sex must be "M" or "F"')
    wanted = "male" if sex == "M" else "female"
    return tuple(
        GivenNameRef(given_name=row[0], count=int(row[1]), sex=sex)
        for row in _commented_rows("kr_given_names_2008_2023.csv")
        if row[2] == wanted
    )


@lru_cache(maxsize=1)
def _population_table() -> dict[str, PopulationRef]:
    table = {}
    for row in _rows("kr_population_age_sgg_202608.csv"):
        table[row["sgg_cd"]] = PopulationRef(
            sigungu_code=row["sgg_cd"],
            name_ko=row["sgg_nm"],
            ref_date=date.fromisoformat(row["ref_date"]),
            pop_total=int(row["pop_total"]),
            pop_male=int(row["pop_male"]),
            pop_female=int(row["pop_female"]),
            households=int(row["households"]),
            age_bands=tuple(int(row[column]) for column, _, _ in AGE_BANDS),
        )
    return table


def population_of(sigungu_code: str) -> PopulationRef:
    try:
        return _population_table()[sigungu_code]
    except KeyError:
        raise UnknownSigunguError(sigungu_code, "not in the 2026-08 population table") from None


def sigungu_codes() -> tuple[str, ...]:
    """The 256 Si/Gun/Gu units of the population table (일반구 instead of their 시)."""
    return tuple(_population_table())


@lru_cache(maxsize=1)
def _recipients_table() -> list[dict[str, str]]:
    return _rows("kr_welfare_recipients_sgg_20251231.csv")


def _counts(row: dict[str, str]) -> dict[str, int]:
    return {
        f"{programme}_{unit}": int(row[f"n_{programme}_{unit}"] or 0)
        for programme in _PROGRAMMES
        for unit in ("persons", "hh")
    }


def _summed(rows: list[dict[str, str]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in rows:
        for key, value in _counts(row).items():
            totals[key] = totals.get(key, 0) + value
    return totals


def recipients_of(sigungu_code: str) -> RecipientsRef:
    """Recipients of the unit; estimated from a wider rate where the unit has no row.

    Rates are recipients per 주민등록 세대 of the same area, so an estimate scales with the
    unit's own households. ``si_residual`` rows (counts kept at 시 level) belong to their
    Si/Do and the nation, so they enter the rates but are never a unit's own row.
    """
    population = population_of(sigungu_code)
    rows = _recipients_table()
    ref_date = date.fromisoformat(rows[0]["ref_date"])
    own = [row for row in rows if row["sgg_cd"] == sigungu_code and row["row_type"] == "unit"]
    if own:
        return RecipientsRef(sigungu_code, "sigungu", ref_date, _counts(own[0]))
    for source, area_rows, area_households in _fallback_areas(sigungu_code, rows):
        if area_rows and area_households:
            counts = {
                key: round(value * population.households / area_households)
                for key, value in _summed(area_rows).items()
            }
            return RecipientsRef(sigungu_code, source, ref_date, counts)
    raise UnknownSigunguError(sigungu_code, "no recipient figures")  # pragma: no cover


def _fallback_areas(sigungu_code: str, rows: list[dict[str, str]]):
    """(source, recipient rows, households) from the nearest area to the widest."""
    population = _population_table()
    # A 시 that gained 일반구 after the snapshot (화성시 41590 → 41591…41597) still has its
    # own unit row; its households are those of its new 구, which share the first 4 digits.
    parent = sigungu_code[:4] + "0"
    parent_rows = [row for row in rows if row["sgg_cd"] == parent and row["row_type"] == "unit"]
    children = [ref for code, ref in population.items() if code[:4] == sigungu_code[:4]]
    yield "parent_si_rate", parent_rows, sum(ref.households for ref in children)
    sido = sigungu_code[:2]
    yield (
        "sido_rate",
        [row for row in rows if row["sgg_cd"][:2] == sido],
        sum(ref.households for code, ref in population.items() if code[:2] == sido),
    )
    yield "national_rate", rows, sum(ref.households for ref in population.values())


@lru_cache(maxsize=1)
def _emds_april() -> tuple[dict[str, str], ...]:
    return tuple(_rows("kr_admin_emd_20260401.csv"))


@lru_cache(maxsize=1)
def _emds_recoded() -> tuple[dict[str, str], ...]:
    return tuple(_rows("kr_admin_emd_recode_20260701.csv"))


def _area(text: str) -> float | None:
    return float(text) if text else None


def emds_of(sigungu_code: str, as_of: date) -> list[EmdRef]:
    """The Eup/Myeon/Dong of a Si/Gun/Gu on a date, in the table's order.

    Before 2026-07-01 the April 2026 list (codes 29xxx/46xxx, Incheon 28110/28140/28260);
    from 2026-07-01 the recoded list (12xxx, 28125/28155/28275/28290). The April list is
    also used for earlier dates, so reorganisations before April 2026 are not replayed.
    """
    if as_of < EMD_RECODE_DATE:
        found = [
            EmdRef(
                code=row["emd_cd"],
                name_ko=row["emd_nm"],
                kind=row["emd_type"],
                sigungu_code=sigungu_code,
                area_km2=_area(row["area_km2"]),
                code_status="official",
            )
            for row in _emds_april()
            if row["sgg_cd"] == sigungu_code
        ]
    else:
        area = {row["emd_cd"]: row["area_km2"] for row in _emds_april()}
        found = [
            EmdRef(
                code=row["emd_cd_20260701"] or row["emd_cd_20260401"],
                name_ko=row["emd_nm"],
                kind=row["emd_type"],
                sigungu_code=sigungu_code,
                area_km2=_area(area.get(row["emd_cd_20260401"], "")),
                code_status=_CODE_STATUS[row["code_status"]],
            )
            for row in _emds_recoded()
            if row["sgg_cd_20260701"] == sigungu_code
        ]
    if not found:
        raise UnknownSigunguError(sigungu_code, f"no Eup/Myeon/Dong on {as_of.isoformat()}")
    return found

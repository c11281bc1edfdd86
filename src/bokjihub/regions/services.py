"""Writes to the administrative hierarchy: loading the official lists, per-region settings.

`regions_load` is an idempotent upsert keyed by (code, valid_from). It never deletes a row
(old records keep pointing at the codes that were valid when they were written) and never
touches `Sigungu.hub_level`, which is a local setting and not reference data.
"""

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, TextIO

from django.db import models, transaction

from bokjihub.regions.models import (
    CodeStatus,
    EupMyeonDong,
    HubLevel,
    ReferenceDataset,
    Sido,
    Sigungu,
    SigunguKind,
)

SIDO_FILE = "kr_admin_sido.csv"
SIGUNGU_MASTER_FILE = "kr_admin_sgg_20260917.csv"
SIGUNGU_HISTORY_FILE = "kr_admin_sgg_crosswalk_2020_2026.csv"
SIGUNGU_ENGLISH_FILE = "kr_sgg_kostat2018_mois_crosswalk.csv"
EMD_FILE = "kr_admin_emd_20260401.csv"
EMD_RECODE_FILE = "kr_admin_emd_recode_20260701.csv"

# The day the EMD list of EMD_FILE stopped being current (Gwangju/Jeonnam merger, Incheon
# reorganisation); the recode file describes the codes from that day on.
EMD_RECODE_DAY = date(2026, 7, 1)
# Any day on which EMD_FILE was current: its sgg codes are resolved as of this day.
EMD_LIST_DAY = date(2026, 4, 1)

_MOIS_SGG_SOURCE = (
    "행정안전부 행정표준코드관리시스템 법정동코드 전체자료(2026-09-17), "
    "정리: gyeongsunam/mobility-gap-ai commit 0bda53145d7e30b7e7922fe9f6fc39585c36a3a1"
)
_MOIS_SGG_ATTRIBUTION = (
    "행정안전부 행정표준코드관리시스템 법정동코드 전체자료(2026-09-17); "
    "정리: gyeongsunam/mobility-gap-ai"
)
_MOIS_LICENCE = "공공누리 제1유형 / 이용허락범위 제한 없음"


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    source: str
    as_of: date
    attribution: str
    licence: str


# Condensed from the package's data/SOURCES.md, which is the reference.
DATASETS = (
    DatasetInfo(
        SIDO_FILE,
        "kr_admin_emd_20260401.csv 및 kr_admin_sgg_20260917.csv에서 도출, "
        "영문명: southkorea/southkorea-maps (통계청 SGIS 2018)",
        date(2026, 9, 17),
        "행정안전부 행정표준코드; 통계청 통계지리정보서비스(SGIS), 2018; "
        "southkorea/southkorea-maps",
        _MOIS_LICENCE,
    ),
    DatasetInfo(
        SIGUNGU_MASTER_FILE,
        _MOIS_SGG_SOURCE + ", data/raw/stats/_ref/sgg_master_2026.csv",
        date(2026, 9, 17),
        _MOIS_SGG_ATTRIBUTION,
        _MOIS_LICENCE,
    ),
    DatasetInfo(
        SIGUNGU_HISTORY_FILE,
        _MOIS_SGG_SOURCE + ", data/raw/stats/_ref/sgg_crosswalk_2020_2026.csv",
        date(2026, 9, 17),
        _MOIS_SGG_ATTRIBUTION,
        _MOIS_LICENCE,
    ),
    DatasetInfo(
        EMD_FILE,
        "vuski/admdongkor (PyPI admdongkor==0.5.6, version_key 20260401); "
        "중심점: vuski/admdongkor commit 20dca68f3e79f24602ee9fe484e59c2b3b0fb871; "
        "영문명: southkorea/southkorea-maps",
        date(2026, 4, 1),
        "본 데이터는 통계청 통계지리정보서비스(SGIS, https://sgis.kostat.go.kr)에서 "
        "공공누리 제1유형으로 개방한 행정동 경계를 가공한 것이며"
        "(가공: vuski/admdongkor, https://github.com/vuski/admdongkor), "
        "CC BY 4.0으로 배포됩니다.",
        "CC BY 4.0 (원자료: 공공누리 제1유형, 통계청 SGIS)",
    ),
    DatasetInfo(
        SIGUNGU_ENGLISH_FILE,
        "southkorea/southkorea-maps 2018 시군구(통계청 SGIS) ↔ vuski 2018 ↔ "
        "kr_admin_sgg_crosswalk_2020_2026.csv에서 도출 (영문 시·군·구 이름)",
        date(2018, 12, 24),
        "통계청 통계지리정보서비스(SGIS), 2018; southkorea/southkorea-maps",
        "공공누리 제1유형",
    ),
    DatasetInfo(
        EMD_RECODE_FILE,
        "kr_admin_emd_20260401.csv, kr_admin_sgg_crosswalk_2020_2026.csv 및 "
        "gyeongsunam/mobility-gap-ai outputs/tables/typology_admdong.csv "
        "(행정안전부 2026-08 행정동 코드)에서 도출",
        date(2026, 7, 1),
        "행정안전부 행정동코드; 2026-08 코드 확인: gyeongsunam/mobility-gap-ai",
        _MOIS_LICENCE,
    ),
)

_EMD_RECODE_STATUS = {
    "recoded_observed": CodeStatus.OFFICIAL,
    "recoded_rule": CodeStatus.DERIVED,
    "recoded_unknown": CodeStatus.PROVISIONAL,
}


@dataclass
class TableReport:
    """Rows of one table by key (code, valid_from): all that the files describe, and the
    ones this load created or changed."""

    seen: set[tuple] = field(default_factory=set)
    created: set[tuple] = field(default_factory=set)
    updated: set[tuple] = field(default_factory=set)

    def merge(self, other: "TableReport") -> None:
        self.seen |= other.seen
        self.created |= other.created
        self.updated |= other.updated - self.created

    def __str__(self) -> str:
        return f"{len(self.seen):,}건(신규 {len(self.created):,}, 변경 {len(self.updated):,})"


@dataclass
class LoadReport:
    sido: TableReport = field(default_factory=TableReport)
    sigungu: TableReport = field(default_factory=TableReport)
    emd: TableReport = field(default_factory=TableReport)
    datasets: TableReport = field(default_factory=TableReport)

    @property
    def changed(self) -> bool:
        return any(
            t.created or t.updated for t in (self.sido, self.sigungu, self.emd, self.datasets)
        )

    def summary(self) -> str:
        return (
            f"행정구역 적재: 시·도 {self.sido}, 시·군·구 {self.sigungu}, "
            f"읍·면·동 {self.emd}, 출처 {self.datasets}"
        )


def dataset_files() -> Traversable:
    """The folder of the reference CSVs shipped inside the package."""
    return files("bokjihub") / "data"


def regions_load(*, stdout: TextIO | None = None) -> LoadReport:
    """Load (or bring up to date) the administrative hierarchy from the packaged CSVs."""
    data = dataset_files()
    raw = {info.name: (data / info.name).read_bytes() for info in DATASETS}
    report = LoadReport()
    with transaction.atomic():
        report.sido = _load_sido(_rows(raw[SIDO_FILE]), _rows(raw[SIGUNGU_HISTORY_FILE]))
        _say(stdout, f"시·도 {report.sido}")
        report.sigungu = _load_sigungu(
            _rows(raw[SIGUNGU_MASTER_FILE]),
            _rows(raw[SIGUNGU_HISTORY_FILE]),
            _english_sigungu_names(_rows(raw[SIGUNGU_ENGLISH_FILE])),
        )
        _say(stdout, f"시·군·구 {report.sigungu}")
        report.emd = _load_emd(_rows(raw[EMD_FILE]), _rows(raw[EMD_RECODE_FILE]))
        _say(stdout, f"읍·면·동 {report.emd}")
        report.datasets = _load_datasets(raw)
        _say(stdout, f"출처 {report.datasets}")
    return report


def sigungu_hub_level_set(*, sigungu: Sigungu, hub_level: str) -> Sigungu:
    """Choose where this Si/Gun/Gu runs its welfare hub (the per-region setting)."""
    if hub_level not in HubLevel.values:
        raise ValueError(
            f"알 수 없는 허브 수준입니다: {hub_level!r} (가능한 값: {', '.join(HubLevel.values)})"
        )
    with transaction.atomic():
        locked = Sigungu.objects.select_for_update().get(pk=sigungu.pk)
        if locked.hub_level != hub_level:
            locked.hub_level = hub_level
            locked.save(update_fields=["hub_level"])
    return locked


# --- reading -------------------------------------------------------------------------


def _rows(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _float(text: str) -> float | None:
    return float(text) if text else None


def _say(stdout: TextIO | None, line: str) -> None:
    if stdout is not None:
        stdout.write(line + "\n")


# --- upsert --------------------------------------------------------------------------

Key = tuple[str, date | None]


def _by_key(model: type[models.Model]) -> dict[Key, Any]:
    return {(row.code, row.valid_from): row for row in model.objects.all()}


def _upsert(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> TableReport:
    """Create missing rows and update changed fields, matching on (code, valid_from).

    Only the fields present in each dict are compared and written, so settings such as
    `hub_level` survive any reload.
    """
    existing = _by_key(model)
    report = TableReport()
    to_create, to_update, changed_fields = [], [], set()
    for values in rows:
        key = (values["code"], values["valid_from"])
        report.seen.add(key)
        current = existing.get(key)
        if current is None:
            to_create.append(model(**values))
            report.created.add(key)
            continue
        diff = [name for name, value in values.items() if getattr(current, name) != value]
        if diff:
            for name in diff:
                setattr(current, name, values[name])
            to_update.append(current)
            changed_fields.update(diff)
            report.updated.add(key)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    return report


# --- Si/Do ---------------------------------------------------------------------------


def _load_sido(sido_rows: list[dict[str, str]], history: list[dict[str, str]]) -> TableReport:
    """Current and abolished Si/Do; validity follows from their Si/Gun/Gu codes.

    A Si/Do code starts on the day its first sgg code starts (if all have a start day) and
    ends on the day its last sgg code ends (if all ended), e.g. 42 강원도 → 2023-06-11.
    """
    sgg_by_sido: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in history:
        sgg_by_sido[row["sgg_cd_ref"][:2]].append(row)
    known = {row["sido_cd"] for row in sido_rows}
    values = [
        {
            "code": row["sido_cd"],
            "name_ko": row["sido_nm"],
            # For renamed Si/Do the 2018 English name is the predecessor's (강원도, 전라북도).
            "name_en": row["name_en_2018"] if row["name_ko_2018"] == row["sido_nm"] else "",
            "note": row["note"],
            **_sido_validity(sgg_by_sido[row["sido_cd"]]),
        }
        for row in sido_rows
    ]
    for code in sorted(set(sgg_by_sido) - known):
        name = sgg_by_sido[code][0]["sgg_nm_ref"].split(" ")[0]
        renamed_to = next((row for row in sido_rows if row["name_ko_2018"] == name), None)
        values.append(
            {
                "code": code,
                "name_ko": name,
                "name_en": renamed_to["name_en_2018"] if renamed_to else "",
                "note": renamed_to["note"] if renamed_to else "",
                **_sido_validity(sgg_by_sido[code]),
            }
        )
    return _upsert(Sido, values)


def _sido_validity(sgg_rows: list[dict[str, str]]) -> dict[str, date | None]:
    return {
        "valid_from": _common_bound([_day(row["valid_from"]) for row in sgg_rows], min),
        "valid_to": _common_bound([_day(row["valid_to_excl"]) for row in sgg_rows], max),
    }


def _common_bound(days: list[date | None], pick: Callable[[list[date]], date]) -> date | None:
    """The earliest start (or latest end) when every row has one; open-ended otherwise."""
    known = [day for day in days if day is not None]
    return pick(known) if known and len(known) == len(days) else None


# --- Si/Gun/Gu -----------------------------------------------------------------------


def _english_sigungu_names(rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    """KOSTAT 2018 romanisations keyed by (code, Korean name without spaces). Keyed by the
    name too, so that a renamed unit (남구 → 미추홀구) or a new one gets none rather than
    a wrong one; both the 2018 code and its 1:1 successor code carry the name."""
    names: dict[tuple[str, str], str] = {}
    for row in rows:
        if not row["name_en_2018"]:
            continue
        for code in {row["mois_sgg_cd_2018"], row["sgg_cd_2026"]} - {""}:
            names[(code, row["name_ko_2018"].replace(" ", ""))] = row["name_en_2018"]
    return names


def _load_sigungu(
    master: list[dict[str, str]],
    history: list[dict[str, str]],
    english: dict[tuple[str, str], str],
) -> TableReport:
    """Every sgg code valid in 2020-2026; the master file's flags win for current codes."""
    flags = {row["sgg_cd"]: row for row in master}
    full_names = {row["sgg_nm_ref"] for row in history}
    sidos = {sido.code: sido for sido in Sido.objects.all()}
    base = []
    for row in history:
        code, full_name = row["sgg_cd_ref"], row["sgg_nm_ref"]
        sido = sidos[code[:2]]
        short_name = full_name.removeprefix(sido.name_ko).strip() or full_name
        master_row = flags.get(code)
        if master_row:
            is_district = master_row["is_ilbangu"] == "True"
            is_unit = master_row["is_unit"] == "True"
        else:
            is_district = _looks_like_district(short_name)
            is_unit = not any(other.startswith(full_name + " ") for other in full_names)
        base.append(
            {
                "code": code,
                "valid_from": _day(row["valid_from"]),
                "valid_to": _day(row["valid_to_excl"]),
                "sido_id": sido.pk,
                "name_ko": short_name,
                "full_name_ko": full_name,
                "name_en": english.get((code, short_name.replace(" ", "")), ""),
                "kind": _sigungu_kind(code, short_name, is_district=is_district),
                "is_unit": is_unit,
                "note": row["note"],
            }
        )
    report = _upsert(Sigungu, base)
    report.merge(_upsert(Sigungu, _sigungu_links(history)))
    return report


def _looks_like_district(short_name: str) -> bool:
    """A 일반구 is named "<city>시 <district>구", e.g. 전주시 완산구."""
    parts = short_name.split(" ")
    return len(parts) == 2 and parts[0].endswith("시") and parts[1].endswith("구")


def _sigungu_kind(code: str, short_name: str, *, is_district: bool) -> str:
    if is_district:
        return SigunguKind.NON_AUTONOMOUS_GU
    if code == "36110":  # 세종: a single-tier special self-governing city
        return SigunguKind.SPECIAL_CITY
    if code in ("50110", "50130"):  # 제주시, 서귀포시: administrative cities without councils
        return SigunguKind.ADMINISTRATIVE_SI
    by_suffix = {
        "시": SigunguKind.AUTONOMOUS_SI,
        "군": SigunguKind.AUTONOMOUS_GUN,
        "구": SigunguKind.AUTONOMOUS_GU,
    }
    try:
        return by_suffix[short_name[-1]]
    except KeyError:
        raise ValueError(f"시·군·구 종류를 알 수 없습니다: {code} {short_name}") from None


def _sigungu_links(history: list[dict[str, str]]) -> list[dict[str, Any]]:
    """parent (the city of a 일반구) and successor (1:1 replacement of an abolished code)."""
    rows = _by_key(Sigungu)
    by_full_name = {row.full_name_ko: row for row in rows.values()}
    by_code: dict[str, list[Sigungu]] = defaultdict(list)
    for row in rows.values():
        by_code[row.code].append(row)
    links = []
    for entry in history:
        row = rows[(entry["sgg_cd_ref"], _day(entry["valid_from"]))]
        parent = None
        if row.kind == SigunguKind.NON_AUTONOMOUS_GU:
            parent = by_full_name[row.full_name_ko.rsplit(" ", 1)[0]]
        successor = None
        if row.valid_to and entry["sgg_cd_2026"] and entry["sgg_cd_2026"] != row.code:
            successor = _valid_on(by_code[entry["sgg_cd_2026"]], row.valid_to)
        links.append(
            {
                "code": row.code,
                "valid_from": row.valid_from,
                "parent_id": parent.pk if parent else None,
                "successor_id": successor.pk if successor else None,
            }
        )
    return links


def _valid_on(rows: list[Any], day: date) -> Any:
    matches = [
        row
        for row in rows
        if (row.valid_from is None or row.valid_from <= day)
        and (row.valid_to is None or row.valid_to > day)
    ]
    if len(matches) != 1:
        codes = sorted({row.code for row in rows})
        raise ValueError(f"{day}에 유효한 행이 {len(matches)}개입니다: {codes}")
    return matches[0]


# --- Eup/Myeon/Dong ------------------------------------------------------------------


def _load_emd(emd_rows: list[dict[str, str]], recode_rows: list[dict[str, str]]) -> TableReport:
    """The 2026-04-01 list, then the rows that replaced part of it on 2026-07-01."""
    recode = {row["emd_cd_20260401"]: row for row in recode_rows}
    sigungu_by_code: dict[str, list[Sigungu]] = defaultdict(list)
    for sigungu in Sigungu.objects.all():
        sigungu_by_code[sigungu.code].append(sigungu)
    base = []
    for row in emd_rows:
        recoded = recode[row["emd_cd"]]["code_status"] != "unchanged"
        base.append(
            {
                "code": row["emd_cd"],
                "valid_from": None,
                "valid_to": EMD_RECODE_DAY if recoded else None,
                "kostat_code": row["emd_cd8_kostat"],
                "sigungu_id": _valid_on(sigungu_by_code[row["sgg_cd"]], EMD_LIST_DAY).pk,
                "name_ko": row["emd_nm"],
                "name_en": row["name_en_2018"],
                "kind": row["emd_type"],
                "area_km2": _float(row["area_km2"]),
                "centroid_lat": _float(row["centroid_lat"]),
                "centroid_lon": _float(row["centroid_lon"]),
                "code_status": CodeStatus.OFFICIAL,
                "predecessor_id": None,
                "note": "",
            }
        )
    report = _upsert(EupMyeonDong, base)
    report.merge(_upsert(EupMyeonDong, _emd_recoded(base, recode, sigungu_by_code)))
    return report


def _emd_recoded(
    base: list[dict[str, Any]],
    recode: dict[str, dict[str, str]],
    sigungu_by_code: dict[str, list[Sigungu]],
) -> list[dict[str, Any]]:
    old_rows = _by_key(EupMyeonDong)
    values = []
    for old in base:
        change = recode[old["code"]]
        status = change["code_status"]
        if status == "unchanged":
            continue
        code_status = _EMD_RECODE_STATUS[status]
        new_code = change["emd_cd_20260701"] or old["code"]
        values.append(
            {
                **old,
                "code": new_code,
                "valid_from": EMD_RECODE_DAY,
                "valid_to": None,
                # The KOSTAT code follows the sgg and has not been published for the new units.
                "kostat_code": "",
                "sigungu_id": _valid_on(
                    sigungu_by_code[change["sgg_cd_20260701"]], EMD_RECODE_DAY
                ).pk,
                "code_status": code_status,
                "predecessor_id": old_rows[(old["code"], None)].pk,
                "note": _recode_note(
                    code_status, old_code=old["code"], sgg_name=change["sgg_nm_20260701"]
                ),
            }
        )
    return values


def _recode_note(code_status: str, *, old_code: str, sgg_name: str) -> str:
    moved = f"{EMD_RECODE_DAY.isoformat()} {sgg_name}(으)로 편입."
    if code_status == CodeStatus.OFFICIAL:
        return f"{moved} 새 코드는 2026-08 행정안전부 자료에서 이름과 함께 확인됨."
    if code_status == CodeStatus.DERIVED:
        return f"{moved} 새 코드는 '새 시·군·구 코드 + 이전 뒷자리' 규칙으로 추정(공식 확인 전)."
    return (
        f"{moved} 새 행정기관코드가 아직 공개되지 않아 이전 코드({old_code})를 임시로 사용합니다. "
        "새 코드가 공개되면 교체해야 합니다."
    )


# --- provenance ----------------------------------------------------------------------


def _load_datasets(raw: dict[str, bytes]) -> TableReport:
    existing = {dataset.name: dataset for dataset in ReferenceDataset.objects.all()}
    report = TableReport()
    for info in DATASETS:
        values = {
            "source": info.source,
            "as_of": info.as_of,
            "attribution": info.attribution,
            "licence": info.licence,
            "sha256": hashlib.sha256(raw[info.name]).hexdigest(),
        }
        report.seen.add((info.name, None))
        current = existing.get(info.name)
        if current is None:
            ReferenceDataset.objects.create(name=info.name, **values)
            report.created.add((info.name, None))
        elif any(getattr(current, name) != value for name, value in values.items()):
            # Saved only on a real change, so loaded_at (auto_now) dates the file in use.
            for name, value in values.items():
                setattr(current, name, value)
            current.save()
            report.updated.add((info.name, None))
    return report

"""Agency feeds about the residents of a given registry, with ground truth.

:func:`~bokjihub.engine.screening.synth.generate` invents its residents; a screening of
those feeds cannot link to anybody a welfare system has registered. Here the residents
are the caller's (the demo passes its registered persons as plain rows), and the
agencies' rows are drawn with the same model as ``generate`` — a latent crisis by
household type, raised with the Dong's deprivation and with basic-livelihood receipt,
one to three weak signals per visible crisis, noise, habitual late payers, structural
flags — so a screening of them links every row and finds real households.

Each person row (a mapping) carries:

    person_key          the agencies' key: HMAC-SHA256 (hex) of the RRN under the shared
                        pepper; persons without one are left out (no agency can key them)
    household_key       the registry's household
    sigungu_code, emd_code, name, birth_date (date), address (road address)
    sex                 "M" / "F"
    is_head             the household's head (세대주)
    household_type      one of bokjihub.engine.synthetic.HOUSEHOLD_TYPES
    receives_livelihood   the household receives basic livelihood security (optional)

Writes under ``out`` the same layout as ``generate``: ``feeds/<agency>.parquet``,
``registry.parquet``, ``open_cases.parquet`` and ``truth/truth.parquet``. The same rows
(in any order), seed, reference date and planted crises give the same files.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from bokjihub.engine import refdata, synthetic
from bokjihub.engine.screening import synth
from bokjihub.engine.screening.contract import BY_NAME

# Basic-livelihood households are in crisis more often (bokjihub.engine.synthetic uses the
# same factor for the demo population's own ground truth).
RECIPIENT_FACTOR = synthetic._CRISIS_RECIPIENT_FACTOR
ADULT_AGE = 18


@dataclass(frozen=True, slots=True)
class PlantedCrisis:
    """A crisis the caller wants a household to have, with the signals agencies send
    about it (indicator → value), e.g. a demo scenario's household. ``days_ago``: how long
    before the reference date the agencies observed them."""

    kind: str
    signals: tuple[tuple[str, float], ...]
    days_ago: int = 10

    def __post_init__(self):
        if self.kind not in synth.CRISIS_KINDS:
            raise ValueError(f"unknown crisis kind: {self.kind}")
        for name, _ in self.signals:
            if name not in BY_NAME:
                raise ValueError(f"unknown indicator: {name}")


@dataclass(frozen=True)
class _Households:
    registry: pa.Table  # persons, ordered by household (head first, then by age)
    keys: list[str]
    types: np.ndarray
    sizes: np.ndarray
    head_person: np.ndarray
    child_person: np.ndarray
    has_child: np.ndarray
    head_male: np.ndarray
    receives: np.ndarray
    emd_codes: list[str]
    sigungu_codes: list[str]


def _households(persons: Iterable[Mapping], reference_date: date) -> _Households:
    rows = [row for row in persons if row.get("person_key")]
    if not rows:
        raise ValueError("no person with a person_key: agencies could key nobody")
    rows.sort(
        key=lambda r: (str(r["household_key"]), not r.get("is_head"), r["birth_date"],
                       r["person_key"])
    )  # fmt: skip
    kinds = list(synth.TYPES)
    keys: list[str] = []
    starts: list[int] = []
    for index, row in enumerate(rows):
        if not keys or keys[-1] != str(row["household_key"]):
            keys.append(str(row["household_key"]))
            starts.append(index)
    offsets = np.asarray(starts, dtype=np.int64)
    sizes = np.diff(np.r_[offsets, len(rows)])
    heads = [rows[start] for start in starts]
    births = np.array([r["birth_date"].toordinal() for r in rows], dtype=np.int64)
    # the youngest member is whom child-related signals are about
    youngest = np.array(
        [start + int(np.argmax(births[start : start + size]))
         for start, size in zip(starts, sizes.tolist(), strict=True)],
        dtype=np.int64,
    )  # fmt: skip
    youngest_age = (reference_date.toordinal() - births[youngest]) / 365.2425
    types = np.array(
        [_type_index(head.get("household_type"), size, kinds)
         for head, size in zip(heads, sizes.tolist(), strict=True)],
        dtype=np.int8,
    )  # fmt: skip
    registry = pa.table(
        {
            "person_key": pa.array([r["person_key"] for r in rows], pa.string()),
            "household_key": pa.array([str(r["household_key"]) for r in rows], pa.string()),
            "sigungu_code": pa.array([r["sigungu_code"] for r in rows], pa.string()),
            "emd_code": pa.array([r["emd_code"] for r in rows], pa.string()),
            "name": pa.array([r["name"] for r in rows], pa.string()),
            "birth_date": pa.array([r["birth_date"] for r in rows], pa.date32()),
            "address": pa.array([r["address"] for r in rows], pa.string()),
        }
    )
    return _Households(
        registry=registry,
        keys=keys,
        types=types,
        sizes=sizes,
        head_person=offsets,
        child_person=youngest,
        has_child=(sizes >= 2) & (youngest_age < ADULT_AGE),
        head_male=np.array([head.get("sex") == "M" for head in heads]),
        receives=np.array([bool(head.get("receives_livelihood")) for head in heads]),
        emd_codes=[head["emd_code"] for head in heads],
        sigungu_codes=[head["sigungu_code"] for head in heads],
    )


def _type_index(household_type: str | None, size: int, kinds: list[str]) -> int:
    if household_type in kinds:
        return kinds.index(household_type)
    return kinds.index("family" if size > 1 else "other_single")


def _deprivation(households: _Households) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each household's Dong deprivation, relative deprivation and quintile, from the same
    deterministic Dong table as ``generate``; a Dong the table lacks gets its Gu's mean."""
    codes = sorted(set(households.sigungu_codes))
    known = [code for code in codes if _known_sigungu(code)]
    by_emd: dict[str, tuple[float, int]] = {}
    if known:
        table = synth.dong_table(known)
        by_emd = {
            emd: (deprivation, quintile)
            for emd, deprivation, quintile in zip(
                table["emd_code"].to_pylist(),
                table["deprivation"].to_pylist(),
                table["deprivation_quintile"].to_pylist(),
                strict=True,
            )
        }
    values = [by_emd.get(code) for code in households.emd_codes]
    present = [value[0] for value in values if value]
    mean = float(np.mean(present)) if present else 1.0
    deprivation = np.array([value[0] if value else mean for value in values])
    quintile = np.array([value[1] if value else 3 for value in values], dtype=np.int8)
    return deprivation, deprivation / float(np.mean(deprivation)), quintile


def _known_sigungu(code: str) -> bool:
    try:
        refdata.population_of(code)
        refdata.recipients_of(code)
    except refdata.UnknownSigunguError:
        return False
    return True


def generate_for_registry(
    persons: Iterable[Mapping],
    *,
    out: str | Path,
    seed: int,
    reference_date: date,
    open_cases: Iterable[str] = (),
    planted: Mapping[str, PlantedCrisis] | None = None,
    signals: Mapping[str, tuple[float, Mapping[str, float]]] | None = None,
    habitual_share: float | None = None,
) -> dict:
    """Write the agencies' feeds about ``persons`` (see the module notes), the registry
    they link to, the open cases and the truth under ``out``; returns a summary (counts
    per file, crisis rate, signals per visible crisis).

    ``open_cases``: household keys with an open case (the ranking skips them).
    ``planted``: household key → a crisis it has for certain, with its signals (added to
    whatever the model draws for it). ``signals`` and ``habitual_share``: as for
    ``generate``."""
    out = Path(out)
    (out / "feeds").mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    households = _households(persons, reference_date)
    count = len(households.keys)
    rng = np.random.default_rng(np.random.SeedSequence([seed, reference_date.toordinal()]))
    deprivation, relative, quintile = _deprivation(households)
    base_rate = np.array([synthetic._CRISIS_RATE[kind] for kind in synth.TYPES])[households.types]
    base_rate = base_rate * np.where(households.receives, RECIPIENT_FACTOR, 1.0)
    in_crisis, crisis_kind, visible = synth._crises(
        rng, households.types, households.has_child, base_rate, relative
    )
    planted = dict(planted or {})
    index_of = {key: index for index, key in enumerate(households.keys)}
    unknown = sorted(set(planted) - set(index_of))
    if unknown:
        raise ValueError(f"planted crises of households not in the registry: {unknown}")
    for key, crisis in planted.items():
        in_crisis[index_of[key]] = visible[index_of[key]] = True
        crisis_kind[index_of[key]] = synth.CRISIS_KINDS.index(crisis.kind)
    by_agency, signal_count = synth._signals(
        rng,
        types=households.types,
        has_child=households.has_child,
        visible=visible,
        crisis_kind=crisis_kind,
        relative=relative,
        head_person=households.head_person,
        child_person=households.child_person,
        head_male=households.head_male,
        registry=households.registry,
        signals=synth._SIGNALS if signals is None else signals,
        habitual_share=synth.HABITUAL_SHARE if habitual_share is None else habitual_share,
        reference_date=reference_date,
    )
    _plant(by_agency, planted, index_of, households, reference_date)
    feed_rows = _write_feeds(by_agency, out / "feeds")
    pq.write_table(households.registry, out / "registry.parquet")
    open_keys = sorted(set(open_cases) & set(index_of))
    pq.write_table(
        pa.table({"household_key": pa.array(open_keys, pa.string())}),
        out / "open_cases.parquet",
    )
    open_case = np.isin(np.array(households.keys, dtype=object), np.array(open_keys, dtype=object))
    _write_truth(out, households, in_crisis, crisis_kind, visible, open_case, deprivation, quintile)
    crises = int(in_crisis.sum())
    return {
        "households": count,
        "persons": households.registry.num_rows,
        "seed": seed,
        "reference_date": reference_date.isoformat(),
        "crisis_rate": round(crises / count, 4),
        "visible_signals_per_visible_crisis": round(
            float(signal_count[visible].mean()) if visible.any() else 0.0, 2
        ),
        "planted": len(planted),
        "feed_rows": feed_rows,
        "open_cases": len(open_keys),
    }


def _plant(by_agency, planted, index_of, households: _Households, reference_date) -> None:
    for key in sorted(planted):
        crisis = planted[key]
        household = index_of[key]
        for name, value in crisis.signals:
            person = (
                households.child_person if name in synth._CHILD_INDICATORS
                else households.head_person
            )[household]  # fmt: skip
            table = _one_row(BY_NAME[name], households.registry, int(person), value)
            observed = date.fromordinal(reference_date.toordinal() - crisis.days_ago)
            table = table.set_column(
                table.schema.get_field_index("observed_on"),
                "observed_on",
                pa.array([observed.isoformat()], pa.string()),
            )
            by_agency.setdefault(BY_NAME[name].agency, []).append(table)


def _one_row(indicator, registry: pa.Table, person: int, value: float) -> pa.Table:
    rows: dict[str, list[pa.Table]] = {}
    synth._add_rows(
        rows,
        indicator,
        np.random.default_rng(0),  # the date is replaced by the planted one
        np.array([0]),
        np.array([person]),
        np.array([float(value)]),
        registry,
    )
    return rows[indicator.agency][0]


def _write_feeds(by_agency: Mapping[str, Sequence[pa.Table]], folder: Path) -> dict[str, int]:
    feed_rows = {}
    for agency, tables in sorted(by_agency.items()):
        table = pa.concat_tables(tables)
        pq.write_table(table, folder / f"{agency}.parquet")
        feed_rows[agency] = table.num_rows
    return feed_rows


def _write_truth(out, households, in_crisis, crisis_kind, visible, open_case, deprivation,
                 quintile) -> None:  # fmt: skip
    kinds = np.array(synth.CRISIS_KINDS, dtype=object)
    truth = pa.table(
        {
            "household_key": pa.array(households.keys, pa.string()),
            "sigungu_code": pa.array(households.sigungu_codes, pa.string()),
            "emd_code": pa.array(households.emd_codes, pa.string()),
            "household_type": pa.array(
                np.array(synth.TYPES, dtype=object)[households.types].tolist(), pa.string()
            ),
            "in_crisis": pa.array(in_crisis),
            "crisis_kind": pa.array(
                np.where(in_crisis, kinds[crisis_kind], None).tolist(), pa.string()
            ),
            "visible": pa.array(visible),
            "open_case": pa.array(open_case),
            "deprivation": pa.array(deprivation),
            "deprivation_quintile": pa.array(quintile),
        }
    )
    pq.write_table(truth, out / "truth" / "truth.parquet")

"""Synthetic national agency feeds with ground truth, vectorised (numpy + pyarrow).

Extends :mod:`bokjihub.engine.synthetic` (its household types, type shares, sizes and
crisis rates) to any number of households across the country or chosen Si/Gun/Gu, fast
enough for the whole country: no per-person Python objects, only arrays.

* households go to Si/Gun/Gu in proportion to their 주민등록 세대 and to Eup/Myeon/Dong by
  deterministic weights; each Dong's deprivation is its Si/Gun/Gu's basic-livelihood
  household rate (SSIS) times a factor derived from the Dong code alone, so it is the
  same for every seed and size;
* a latent crisis (rate by household type, raised with deprivation) has one kind —
  economic, housing, health, isolation or child — that drives the prevalence of the
  indicators; most crises show one to three weak signals, 15 % show none, and every
  indicator also fires as noise (more often in deprived Dongs);
* habitual late payers (``HABITUAL_SHARE``, more in deprived Dongs) show several short,
  small arrears whether in crisis or not;
* utilities without access to the RRN (water, gas) send name, birth date and address
  instead of ``person_key``.

Writes ``DIR/feeds/<agency>.parquet``, ``DIR/registry.parquet`` (the persons a screening
links to), ``DIR/open_cases.parquet`` and ``DIR/truth/truth.parquet``. The same seed and
arguments give the same files.
"""

import hashlib
import hmac
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bokjihub.engine import refdata, synthetic
from bokjihub.engine.screening.contract import BY_NAME

REFERENCE_DATE = date(2026, 9, 1)
SYNTHETIC_PEPPER = b"bokjihub-synthetic-pepper-not-a-secret"
KEYLESS_AGENCIES = ("water", "gas")
CRISIS_KINDS = ("economic", "housing", "health", "isolation", "child")
HIDDEN_SHARE = 0.15  # crises that show no signal of their own

TYPES = synthetic.HOUSEHOLD_TYPES
_SINGLE = {"single_elderly", "young_single", "other_single"}

# Crisis kind odds by household type (order of CRISIS_KINDS).
_KIND_ODDS = {
    "single_elderly": (1.5, 1.0, 3.0, 4.0, 0.0),
    "elderly_couple": (1.5, 1.0, 3.0, 1.5, 0.0),
    "single_parent": (4.0, 2.0, 1.0, 0.5, 3.0),
    "grandparent_grandchild": (3.0, 1.0, 2.0, 0.5, 3.0),
    "multicultural": (3.0, 1.5, 1.0, 1.0, 2.0),
    "with_disability": (2.5, 1.0, 3.0, 1.0, 1.0),
    "young_single": (4.0, 3.0, 2.0, 1.5, 0.0),
    "family": (4.0, 2.0, 1.5, 0.3, 2.0),
    "other_single": (3.5, 2.5, 3.0, 3.0, 0.0),
}

# indicator → (noise prevalence per household, {crisis kind: prevalence when visible}).
# Prevalences per kind sum to about 1.5–2: one to three weak signals per visible crisis.
_SIGNALS: dict[str, tuple[float, dict[str, float]]] = {
    "electricity_cutoff": (0.0005, {"economic": 0.03, "housing": 0.04}),
    "electricity_arrears_months": (0.012, {"economic": 0.25, "housing": 0.15, "isolation": 0.1}),
    "electricity_arrears_amount": (0.008, {"economic": 0.15, "housing": 0.1}),
    "water_cutoff": (0.0003, {"economic": 0.02, "housing": 0.03}),
    "water_arrears_months": (0.008, {"economic": 0.12, "housing": 0.12, "isolation": 0.08}),
    "gas_cutoff": (0.0005, {"economic": 0.03, "housing": 0.04}),
    "gas_arrears_months": (0.008, {"economic": 0.12, "housing": 0.1}),
    "health_insurance_arrears_months": (0.02, {"economic": 0.3, "health": 0.15, "child": 0.1}),
    "health_insurance_arrears_amount": (0.01, {"economic": 0.12}),
    "pension_arrears_months": (0.03, {"economic": 0.15}),
    "telecom_arrears_months": (0.02, {"economic": 0.2, "isolation": 0.1, "child": 0.08}),
    "rent_arrears_months": (0.006, {"housing": 0.35, "economic": 0.08}),
    "public_housing_arrears_months": (0.004, {"housing": 0.2}),
    "nbls_rejected": (0.003, {"economic": 0.06, "health": 0.05, "isolation": 0.04}),
    "emergency_aid_ended": (0.002, {"economic": 0.05, "health": 0.04, "housing": 0.04}),
    "benefit_suspended": (0.004, {"economic": 0.04, "isolation": 0.04}),
    "employment_insurance_lost": (0.02, {"economic": 0.2}),
    "unemployment_benefit_ended": (0.01, {"economic": 0.12}),
    "unpaid_wages_amount": (0.004, {"economic": 0.06}),
    "industrial_accident": (0.001, {"health": 0.05, "economic": 0.02}),
    "catastrophic_medical_costs": (0.004, {"health": 0.25}),
    "suicide_attempt_er_visit": (0.0002, {"isolation": 0.04, "health": 0.03}),
    "long_term_hospital_discharge": (0.003, {"health": 0.18}),
    "mental_health_treatment_dropout": (0.002, {"health": 0.08, "isolation": 0.1}),
    "child_school_absence_days": (0.004, {"child": 0.3}),
    "free_meal_support": (0.03, {"child": 0.35, "economic": 0.05}),
    "child_neglect_report": (0.0005, {"child": 0.15}),
    "infant_checkup_missed": (0.01, {"child": 0.12}),
    "disability_registered": (0.03, {"health": 0.1}),
    "recent_bereavement": (0.006, {"isolation": 0.15}),
    "moved_to_small_rental": (0.003, {"housing": 0.15, "isolation": 0.08}),
    "housing_deposit_unreturned": (0.001, {"housing": 0.05}),
    "financial_delinquency": (0.015, {"economic": 0.15, "housing": 0.05}),
}
_CHILD_INDICATORS = {
    "child_school_absence_days",
    "free_meal_support",
    "child_neglect_report",
    "infant_checkup_missed",
}
# Habitual late payers: households that are one or two months behind on several bills at
# once, in crisis or not. Without them every non-crisis signal was independent noise, so
# a household with three arrears was almost surely in crisis — unlike the field, where
# many households the national system flags for arrears turn out to need nothing
# ("단순 체납"). Their arrears are short and small; a crisis's are long (_months_value).
HABITUAL_SHARE = 0.04
_HABITUAL_PREVALENCE = {
    "electricity_arrears_months": 0.45,
    "electricity_arrears_amount": 0.2,
    "water_arrears_months": 0.35,
    "gas_arrears_months": 0.35,
    "health_insurance_arrears_months": 0.4,
    "health_insurance_arrears_amount": 0.15,
    "pension_arrears_months": 0.3,
    "telecom_arrears_months": 0.45,
    "financial_delinquency": 0.15,
}
# Structural indicators: sent for every household of the kind, crisis or not.
_STRUCTURAL = ("single_person_65_plus", "middle_aged_single_male")

Progress = Callable[[str, int, int], None]


def _unit_hash(text: str) -> tuple[float, float]:
    digest = hashlib.sha256(text.encode()).digest()
    first = int.from_bytes(digest[:8], "big") / 2**64
    second = int.from_bytes(digest[8:16], "big") / 2**64
    return first, second


def dong_table(sigungu_codes: Sequence[str] | None = None) -> pa.Table:
    """Every Dong with its household weight and deprivation (deterministic from codes)."""
    codes = list(sigungu_codes or refdata.sigungu_codes())
    rows: dict[str, list] = {
        key: [] for key in ("sigungu_code", "emd_code", "address_prefix", "weight", "deprivation")
    }
    kind_weight = {"eup": 1.6, "myeon": 0.35}
    for code in codes:
        population = refdata.population_of(code)
        rate = refdata.recipients_of(code).n_nbls_total_hh / population.households
        emds = refdata.emds_of(code, REFERENCE_DATE)
        weights = []
        for emd in emds:
            first, second = _unit_hash(f"bokjihub.dong:{emd.code}")
            weights.append(kind_weight.get(emd.kind, 1.0) * (0.5 + first))
            # log-normal factor around the Gu's rate (σ ≈ 0.5), from the code alone
            normal = math.sqrt(-2 * math.log(max(first, 1e-12))) * math.cos(2 * math.pi * second)
            rows["deprivation"].append(rate * math.exp(0.5 * normal - 0.125))
            rows["sigungu_code"].append(code)
            rows["emd_code"].append(emd.code)
            stem = synthetic._STEM_SUFFIX.sub("", emd.name_ko) or emd.name_ko
            rows["address_prefix"].append(f"{population.name_ko} {stem}로 ")
        total = sum(weights)
        rows["weight"] += [population.households * weight / total for weight in weights]
    table = pa.table(rows)
    deprivation = np.asarray(rows["deprivation"])
    order = np.argsort(np.argsort(deprivation, kind="stable"), kind="stable")
    quintile = 1 + (order * 5) // len(order)
    return table.append_column("deprivation_quintile", pa.array(quintile.astype(np.int8)))


def _type_shares() -> tuple[list[str], np.ndarray]:
    one = synthetic._ONE_PERSON_SHARE
    elderly_alone = 0.27
    shares = dict(synthetic._FIXED_TYPE_SHARES)
    shares["elderly_couple"] = 0.08
    shares["single_elderly"] = one * elderly_alone
    shares["young_single"] = one * (1 - elderly_alone) * 0.49
    shares["other_single"] = one * (1 - elderly_alone) * 0.51
    shares["family"] = 1 - sum(shares.values())
    return list(TYPES), np.array([shares[kind] for kind in TYPES])


def _sizes(types: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    sizes = np.ones(len(types), dtype=np.int8)
    distributions = dict(synthetic._SIZE_DISTRIBUTIONS)
    distributions["family"] = synthetic._FAMILY_BASE_SIZES
    for index, kind in enumerate(TYPES):
        if kind not in distributions:
            continue
        mask = types == index
        values = np.array(list(distributions[kind]), dtype=np.int8)
        weights = np.array(list(distributions[kind].values()))
        sizes[mask] = rng.choice(values, size=int(mask.sum()), p=weights / weights.sum())
    return sizes


def _head_ages(types: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    ranges = {
        "single_elderly": (65, 95),
        "elderly_couple": (65, 92),
        "single_parent": (27, 58),
        "grandparent_grandchild": (58, 88),
        "multicultural": (30, 65),
        "with_disability": (30, 80),
        "young_single": (19, 39),
        "family": (28, 75),
        "other_single": (40, 64),
    }
    low = np.array([ranges[kind][0] for kind in TYPES])[types]
    high = np.array([ranges[kind][1] for kind in TYPES])[types]
    return (low + rng.random(len(types)) * (high - low + 1)).astype(np.int16)


def _person_keys(birth: np.ndarray, sex_digit: np.ndarray, pepper: bytes) -> list[str]:
    """HMAC-SHA256 (hex) of a synthetic 13-digit RRN: birth date, sex digit and a serial
    unique among persons sharing both."""
    days = birth.astype("datetime64[D]")
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    months = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    mday = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    group = (years % 100) * 10_000_0 + months * 1000 + mday * 10 + sex_digit
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_group)) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    serial = np.empty(len(order), dtype=np.int64)
    serial[order] = np.arange(len(order)) - run_start
    front = (years % 100) * 10_000 + months * 100 + mday
    numbers = (front * 10 + sex_digit) * 1_000_000 + serial
    digest = hmac.digest
    return [digest(pepper, b"%013d" % value, "sha256").hex() for value in numbers.tolist()]


def _months_value(rng, crisis: np.ndarray, low: float, high: float) -> np.ndarray:
    weak = 1 + rng.geometric(0.6, len(crisis)) - 1
    strong = 1 + rng.geometric(0.3, len(crisis))
    return np.clip(np.where(crisis, strong, weak), low, high).astype(np.float64)


def _values(indicator, rng: np.random.Generator, crisis: np.ndarray) -> np.ndarray:
    n = len(crisis)
    low, high = indicator.min_value, indicator.max_value
    if indicator.value_type == "flag":
        return np.ones(n)
    if indicator.value_type == "code":
        codes = np.array(list(indicator.codes), dtype=np.float64)
        return rng.choice(codes, size=n, p=[0.35, 0.2, 0.3, 0.15])
    if indicator.unit == "months":
        return _months_value(rng, crisis, low, high)
    if indicator.unit == "won":
        scale = indicator.saturation * np.where(crisis, 0.9, 0.3)
        return np.clip(np.round(rng.lognormal(0, 0.7, n) * scale, -3), low, high)
    if indicator.unit == "days":
        base = indicator.saturation * np.where(crisis, 1.0, 0.4)
        return np.clip(np.round(rng.gamma(2.0, 0.5, n) * base), low, high)
    return np.clip(1 + rng.poisson(np.where(crisis, 0.6, 0.1)), low, high).astype(np.float64)


def generate(
    *,
    households: int,
    seed: int,
    out: str | Path,
    sigungu_codes: Sequence[str] | None = None,
    pepper: bytes = SYNTHETIC_PEPPER,
    progress: Progress | None = None,
    signals: Mapping[str, tuple[float, Mapping[str, float]]] | None = None,
    habitual_share: float | None = None,
) -> dict:
    """Write synthetic feeds, registry, open cases and truth under ``out``; returns a
    summary (counts per file, crisis rate, signals per crisis).

    ``signals`` (indicator → (noise prevalence, {crisis kind: prevalence}), in the
    shape and order of ``_SIGNALS``) and ``habitual_share`` replace the module's
    prevalences for this call only (:mod:`~bokjihub.engine.screening.heldout` shifts
    them); None keeps ``_SIGNALS`` and ``HABITUAL_SHARE``."""
    if households < 1:
        raise ValueError("households must be at least 1")
    signals = _SIGNALS if signals is None else signals
    habitual_share = HABITUAL_SHARE if habitual_share is None else habitual_share
    step = progress or (lambda label, done, total: None)
    total_steps = 7
    out = Path(out)
    (out / "feeds").mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 20260901]))

    step("동 기준표", 0, total_steps)
    dongs = dong_table(sigungu_codes)
    weights = np.asarray(dongs["weight"])
    emd = rng.choice(len(weights), size=households, p=weights / weights.sum()).astype(np.int32)
    deprivation = np.asarray(dongs["deprivation"])[emd]
    mean_dep = float(np.average(np.asarray(dongs["deprivation"]), weights=weights))
    relative = deprivation / mean_dep

    step("가구 구성", 1, total_steps)
    kinds, shares = _type_shares()
    types = rng.choice(len(kinds), size=households, p=shares).astype(np.int8)
    sizes = _sizes(types, rng)
    head_age = _head_ages(types, rng)
    household_keys = pa.array([f"H{index:09d}" for index in range(households)])

    # persons
    step("가구원·주민등록", 2, total_steps)
    person_household = np.repeat(np.arange(households), sizes)
    offsets = np.r_[0, np.cumsum(sizes)[:-1]]
    position = np.arange(len(person_household)) - offsets[person_household]
    person_type = types[person_household]
    head = head_age[person_household]
    is_child_slot = (position >= 1) & np.isin(
        person_type,
        [kinds.index(k) for k in ("single_parent", "grandparent_grandchild")],
    ) | (position >= 2)
    child_age = np.where(
        person_type == kinds.index("grandparent_grandchild"),
        rng.integers(0, 18, len(position)),
        np.clip(head - rng.integers(22, 40, len(position)), 0, 60),
    )
    spouse_age = np.clip(head + rng.integers(-6, 4, len(position)), 19, 100)
    age = np.where(position == 0, head, np.where(is_child_slot, child_age, spouse_age))
    sex = rng.random(len(position)) < 0.5
    spouse = (position == 1) & ~is_child_slot
    sex = np.where(spouse, ~np.repeat(sex[offsets], sizes), sex)
    reference = np.datetime64(REFERENCE_DATE.isoformat())
    birth = reference - (age.astype(np.int64) * 365 + rng.integers(1, 365, len(age))).astype(
        "timedelta64[D]"
    )
    years = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    sex_digit = np.where(years >= 2000, 3, 1) + (~sex).astype(np.int64)
    person_keys = _person_keys(birth, sex_digit, pepper)
    names = _names(rng, sex)
    numbers = pa.array(rng.integers(1, 400, households)).cast(pa.string())
    emd_idx = pa.array(emd)
    address = pc.binary_join_element_wise(
        dongs["address_prefix"].take(emd_idx), numbers, ""
    ).combine_chunks()
    person_idx = pa.array(person_household)
    registry = pa.table(
        {
            "person_key": pa.array(person_keys),
            "household_key": household_keys.take(person_idx),
            "sigungu_code": dongs["sigungu_code"].take(emd_idx).take(person_idx),
            "emd_code": dongs["emd_code"].take(emd_idx).take(person_idx),
            "name": names,
            "birth_date": pa.array(birth.astype("datetime64[D]")),
            "address": address.take(person_idx),
        }
    )
    pq.write_table(registry, out / "registry.parquet")

    step("위기 상태", 3, total_steps)
    base_rate = np.array([synthetic._CRISIS_RATE[kind] for kind in kinds])[types]
    has_child = (
        np.isin(types, [kinds.index("single_parent"), kinds.index("grandparent_grandchild")])
        & (sizes >= 2)
    ) | (sizes >= 3)
    in_crisis, crisis_kind, visible = _crises(rng, types, has_child, base_rate, relative)

    step("기관 신호", 4, total_steps)
    head_person = offsets
    by_agency, signal_count = _signals(
        rng,
        types=types,
        has_child=has_child,
        visible=visible,
        crisis_kind=crisis_kind,
        relative=relative,
        head_person=head_person,
        child_person=offsets + sizes - 1,
        head_male=sex[head_person],
        registry=registry,
        signals=signals,
        habitual_share=habitual_share,
    )

    step("피드 저장", 5, total_steps)
    feed_rows = {}
    for agency, tables in sorted(by_agency.items()):
        table = pa.concat_tables(tables)
        pq.write_table(table, out / "feeds" / f"{agency}.parquet")
        feed_rows[agency] = table.num_rows

    step("정답·진행 중 사례", 6, total_steps)
    open_case = rng.random(households) < np.where(in_crisis, 0.08, 0.01)
    pq.write_table(
        pa.table({"household_key": household_keys.filter(pa.array(open_case))}),
        out / "open_cases.parquet",
    )
    truth = pa.table(
        {
            "household_key": household_keys,
            "sigungu_code": dongs["sigungu_code"].take(emd_idx),
            "emd_code": dongs["emd_code"].take(emd_idx),
            "household_type": pa.array(np.array(kinds, dtype=object)[types].tolist()),
            "in_crisis": pa.array(in_crisis),
            "crisis_kind": pa.array(
                np.where(
                    in_crisis, np.array(CRISIS_KINDS, dtype=object)[crisis_kind], None
                ).tolist(),
                pa.string(),
            ),
            "visible": pa.array(visible),
            "open_case": pa.array(open_case),
            "deprivation": pa.array(deprivation),
            "deprivation_quintile": dongs["deprivation_quintile"].take(emd_idx),
        }
    )
    pq.write_table(truth, out / "truth" / "truth.parquet")
    step("완료", total_steps, total_steps)
    crises = int(in_crisis.sum())
    return {
        "households": households,
        "persons": registry.num_rows,
        "dongs": dongs.num_rows,
        "seed": seed,
        "crisis_rate": round(crises / households, 4),
        "visible_signals_per_visible_crisis": round(
            float(signal_count[visible].mean()) if visible.any() else 0.0, 2
        ),
        "feed_rows": feed_rows,
        "open_cases": int(open_case.sum()),
    }


def _crises(
    rng: np.random.Generator,
    types: np.ndarray,
    has_child: np.ndarray,
    base_rate: np.ndarray,
    relative: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The latent crisis of each household: (in crisis, kind index, visible). The rate is
    ``base_rate`` raised with the Dong's relative deprivation; a child crisis needs a child."""
    kinds = list(TYPES)
    crisis_p = np.clip(base_rate * relative**0.7, 0, 0.6)
    in_crisis = rng.random(len(types)) < crisis_p
    odds = np.array([_KIND_ODDS[kind] for kind in kinds])[types]
    odds[:, CRISIS_KINDS.index("child")] *= has_child
    cumulative = np.cumsum(odds, axis=1)
    draw = rng.random(len(types)) * cumulative[:, -1]
    crisis_kind = (draw[:, None] >= cumulative).sum(axis=1).clip(0, len(CRISIS_KINDS) - 1)
    visible = in_crisis & (rng.random(len(types)) >= HIDDEN_SHARE)
    return in_crisis, crisis_kind, visible


def _signals(
    rng: np.random.Generator,
    *,
    types: np.ndarray,
    has_child: np.ndarray,
    visible: np.ndarray,
    crisis_kind: np.ndarray,
    relative: np.ndarray,
    head_person: np.ndarray,
    child_person: np.ndarray,
    head_male: np.ndarray,
    registry: pa.Table,
    signals: Mapping[str, tuple[float, Mapping[str, float]]],
    habitual_share: float,
    reference_date: date = REFERENCE_DATE,
) -> tuple[dict[str, list[pa.Table]], np.ndarray]:
    """The agencies' rows (agency → tables of feed rows) for households whose crises are
    drawn, and the number of visible-crisis signals per household. ``head_person`` and
    ``child_person`` index ``registry``: who an agency's row is about."""
    kinds = list(TYPES)
    households = len(types)
    by_agency: dict[str, list[pa.Table]] = {}
    signal_count = np.zeros(households, dtype=np.int16)
    noise_scale = relative**0.5
    habitual = rng.random(households) < habitual_share * noise_scale

    def add(indicator, rows, person, values):
        _add_rows(by_agency, indicator, rng, rows, person, values, registry, reference_date)

    for name, (noise, by_kind) in signals.items():
        kind_prev = np.array([by_kind.get(kind, 0.0) for kind in CRISIS_KINDS])
        p = noise * noise_scale + np.where(visible, kind_prev[crisis_kind], 0.0)
        p = p + np.where(habitual, _HABITUAL_PREVALENCE.get(name, 0.0), 0.0)
        if name in _CHILD_INDICATORS:
            p = np.where(has_child, p * 2.5, 0.0)
        fires = rng.random(households) < p
        if name == "disability_registered":
            fires |= types == kinds.index("with_disability")
        rows = np.flatnonzero(fires)
        crisis_rows = visible[rows] & (kind_prev[crisis_kind[rows]] > 0)
        signal_count[rows] += visible[rows]
        person = (child_person if name in _CHILD_INDICATORS else head_person)[rows]
        add(BY_NAME[name], rows, person, _values(BY_NAME[name], rng, crisis_rows))
    single_elderly = np.flatnonzero(types == kinds.index("single_elderly"))
    add(
        BY_NAME["single_person_65_plus"],
        single_elderly,
        head_person[single_elderly],
        np.ones(len(single_elderly)),
    )
    middle = np.flatnonzero((types == kinds.index("other_single")) & head_male)
    add(BY_NAME["middle_aged_single_male"], middle, head_person[middle], np.ones(len(middle)))
    return by_agency, signal_count


def _add_rows(
    by_agency, indicator, rng, rows, person, values, registry, reference_date=REFERENCE_DATE
) -> None:
    n = len(rows)
    if n == 0:
        return
    person_idx = pa.array(person)
    offsets = rng.integers(0, 60, n)
    observed = np.datetime64(reference_date.isoformat()) - offsets.astype("timedelta64[D]")
    keyless = indicator.agency in KEYLESS_AGENCIES
    nulls = pa.nulls(n, pa.string())
    table = pa.table(
        {
            "person_key": nulls if keyless else registry["person_key"].take(person_idx),
            "name": registry["name"].take(person_idx) if keyless else nulls,
            "birth_date": registry["birth_date"].take(person_idx).cast(pa.string())
            if keyless
            else nulls,
            "address": registry["address"].take(person_idx) if keyless else nulls,
            "indicator": pa.array([indicator.name] * n, pa.string()),
            "value": pa.array(values, pa.float64()),
            "observed_on": pa.array(observed.astype("datetime64[D]")).cast(pa.string()),
            "agency": pa.array([indicator.agency] * n, pa.string()),
        }
    )
    by_agency.setdefault(indicator.agency, []).append(table)


def _names(rng: np.random.Generator, male: np.ndarray) -> pa.Array:
    surnames = refdata.surname_counts()
    surname_table = pa.array(list(surnames))
    weights = np.array(list(surnames.values()), dtype=np.float64)
    surname = surname_table.take(
        pa.array(rng.choice(len(weights), size=len(male), p=weights / weights.sum()))
    )
    given = pa.nulls(len(male), pa.string())
    parts = []
    for sex_code, mask in (("M", male), ("F", ~male)):
        refs = refdata.given_names(sex_code)
        table = pa.array([ref.given_name for ref in refs])
        counts = np.array([ref.count for ref in refs], dtype=np.float64)
        picks = rng.choice(len(counts), size=int(mask.sum()), p=counts / counts.sum())
        parts.append((mask, table.take(pa.array(picks))))
    given_np = np.empty(len(male), dtype=object)
    for mask, values in parts:
        given_np[mask] = values.to_numpy(zero_copy_only=False)
    given = pa.array(given_np, pa.string())
    return pc.binary_join_element_wise(surname, given, "")

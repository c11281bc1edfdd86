"""A deterministic synthetic population of one Si/Gun/Gu, for demos and tests.

Nobody in it exists. It is calibrated to public aggregates so that screens, screening
rules and reports behave as they would on real data:

* every Eup/Myeon/Dong of the unit receives households;
* ages follow the unit's 21 five-year bands (MOIS, 2026-08), persons per household follow
  pop_total / households;
* household types follow national rates (one-person ≈ 36 %, more elderly alone where the
  unit is older; single parent ≈ 6 %; grandparent–grandchild ≈ 0.5 %; multicultural
  ≈ 2 %), registered disability ≈ 5 % of persons;
* basic-livelihood households (기초생활보장 수급가구) are exactly the unit's share
  n_nbls_total_hh / households (SSIS, 2025-12), favouring the types that receive it most;
* ``in_crisis`` / ``crisis_factors`` are ground truth for screening experiments.

The same arguments give the same population, byte for byte: every random choice comes
from a ``random.Random`` seeded with a string naming the unit, the seed and the purpose
(string seeds are hashed with SHA-512, so they do not depend on PYTHONHASHSEED).

Pure Python, no Django.
"""

import heapq
import math
import random
import re
from bisect import bisect
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from bokjihub.engine import refdata
from bokjihub.engine.rrn import make_rrn

HOUSEHOLD_TYPES = (
    "single_elderly",
    "elderly_couple",
    "single_parent",
    "grandparent_grandchild",
    "multicultural",
    "with_disability",
    "young_single",
    "family",
    "other_single",
)
RELATIONS = ("head", "spouse", "child", "parent", "grandchild", "grandparent", "sibling", "other")
CRISIS_FACTORS = (
    "rent_arrears",
    "utility_arrears",
    "health_insurance_arrears",
    "isolation",
    "job_loss",
)

# Shares of all households (national orders of magnitude: 통계청 인구주택총조사, 다문화가구
# and 조손가구 statistics). One-person and elderly-couple shares are adjusted per unit below.
_ONE_PERSON_SHARE = 0.36
_FIXED_TYPE_SHARES = {
    "single_parent": 0.06,
    "grandparent_grandchild": 0.005,
    "multicultural": 0.02,
    "with_disability": 0.05,
}
_SIZE_DISTRIBUTIONS = {
    "single_parent": {2: 0.60, 3: 0.33, 4: 0.07},
    "grandparent_grandchild": {2: 0.45, 3: 0.40, 4: 0.15},
    "multicultural": {2: 0.25, 3: 0.35, 4: 0.30, 5: 0.10},
    "with_disability": {2: 0.40, 3: 0.30, 4: 0.25, 5: 0.05},
    "elderly_couple": {2: 1.0},
}
# Family sizes before tilting them to the unit's persons per household.
_FAMILY_BASE_SIZES = {2: 0.35, 3: 0.30, 4: 0.27, 5: 0.06, 6: 0.02}
# Family households must stay families: keep their mean size in this range by moving
# households between one-person and family types where the unit's size demands it.
_FAMILY_MEAN_BOUNDS = (2.3, 4.0)
_NATIONAL_SHARE_65P = 0.20
_DISABILITY_PERSON_SHARE = 0.05  # 등록장애인 ≈ 2.6 million of 51 million

# Relative odds of receiving basic livelihood security, by household type: most recipient
# households are one-person, elderly, single-parent or with a disabled member.
_RECIPIENT_ODDS = {
    "single_elderly": 4.0,
    "single_parent": 3.5,
    "grandparent_grandchild": 5.0,
    "with_disability": 3.0,
    "other_single": 2.2,
    "young_single": 0.9,
    "elderly_couple": 1.2,
    "multicultural": 1.5,
    "family": 0.35,
}
_CRISIS_RATE = {
    "single_elderly": 0.10,
    "single_parent": 0.12,
    "grandparent_grandchild": 0.12,
    "with_disability": 0.08,
    "other_single": 0.08,
    "young_single": 0.05,
    "elderly_couple": 0.04,
    "multicultural": 0.07,
    "family": 0.025,
}
_CRISIS_RECIPIENT_FACTOR = 1.8
_CRISIS_FACTOR_WEIGHTS = {  # order of CRISIS_FACTORS
    "single_elderly": (1.5, 3.0, 2.0, 5.0, 0.2),
    "young_single": (4.0, 2.0, 2.0, 1.5, 4.0),
    "other_single": (3.0, 2.0, 3.0, 3.0, 3.0),  # 중장년 1인 남성: 고독사 위험
    "single_parent": (4.0, 3.0, 2.0, 1.0, 3.0),
}
_CRISIS_FACTOR_DEFAULT = (2.0, 2.0, 3.0, 0.5, 3.0)

# Foreign spouses of multicultural households (법무부 결혼이민자 by nationality, rounded),
# with names as Korean documents write them.
_SPOUSE_NATIONALITIES = {
    "VN": 0.38,
    "CN": 0.30,
    "PH": 0.08,
    "TH": 0.06,
    "JP": 0.05,
    "KH": 0.04,
    "US": 0.03,
    "UZ": 0.03,
    "MN": 0.03,
}
_FOREIGN_NAMES = {
    # nationality: (surnames, female given names, male given names, surname first?)
    "VN": (
        ("응우옌", "쩐", "레", "팜", "호앙", "부"),
        ("티란", "티흐엉", "티마이", "티투", "티항", "티응아"),
        ("반남", "반훙", "득민", "반뚜언"),
        True,
    ),
    "CN": (
        ("왕", "장", "유", "진", "양", "조", "김", "이"),
        ("화", "영매", "춘화", "려", "해연", "미령"),
        ("위", "강", "건국", "해봉"),
        True,
    ),
    "PH": (
        ("산토스", "레예스", "크루즈", "가르시아"),
        ("마리아", "크리스틴", "조이", "로즈"),
        ("마크", "존", "호세"),
        False,
    ),
    "TH": (("숙사왓", "분마", "차이야"), ("쁘라니", "솜차이", "낫타야"), ("솜밧", "차차이"), False),
    "JP": (
        ("다나카", "스즈키", "사토", "야마모토"),
        ("유키", "아야코", "미호", "나오미"),
        ("히로시", "다케시"),
        True,
    ),
    "KH": (("손", "찬", "림"), ("스레이나", "소피아", "다비"), ("소반", "비삿"), True),
    "US": (
        ("스미스", "존슨", "브라운"),
        ("제니퍼", "에밀리", "사라"),
        ("마이클", "데이비드"),
        False,
    ),
    "UZ": (
        ("카리모바", "유수포바", "라히모바"),
        ("딜노자", "굴노라", "니고라"),
        ("자수르", "로스탐"),
        False,
    ),
    "MN": (
        ("바트", "돌고르", "간바트"),
        ("오윤", "사롤", "뭉흐자르갈"),
        ("바야르", "테무진"),
        False,
    ),
}


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    key: str
    surname: str
    given_name: str
    name: str
    sex: str  # "M" / "F"
    birth_date: date
    rrn: str  # 13 digits, format-valid, synthetic
    relation_to_head: str
    nationality: str  # ISO 3166-1 alpha-2, "KR" for nationals
    has_disability: bool


@dataclass(frozen=True, slots=True)
class SyntheticHousehold:
    key: str
    emd_code: str
    road_address: str
    address_detail: str
    household_type: str
    is_basic_livelihood: bool
    persons: tuple[SyntheticPerson, ...]
    in_crisis: bool
    crisis_factors: tuple[str, ...]


@dataclass(frozen=True)
class SyntheticPopulation:
    sigungu_code: str
    seed: int
    reference_date: date
    households: tuple[SyntheticHousehold, ...]
    calibration: dict

    def persons(self):
        for household in self.households:
            yield from household.persons


# A planned member: (relation, sex, lowest age, highest age, offset range from the head's
# age or None). Ages are drawn later, all at once, so they can be calibrated.
_Member = tuple[str, str, int, int, tuple[int, int] | None]
_CHILD = (-45, -18)
_GRANDCHILD = (-75, -40)
_PARENT = (20, 42)


def generate_population(
    *, sigungu_code: str, seed: int, households: int | None = None, reference_date: date
) -> SyntheticPopulation:
    """Synthetic households of one Si/Gun/Gu (see the module notes).

    ``households=None`` uses the unit's real household count (주민등록 세대). Every
    Eup/Myeon/Dong gets at least one household when there are at least as many households
    as EMDs. Raises ``refdata.UnknownSigunguError`` for a code unknown on that date.
    """
    population = refdata.population_of(sigungu_code)
    emds = refdata.emds_of(sigungu_code, reference_date)
    recipients = refdata.recipients_of(sigungu_code)
    count = population.households if households is None else households
    if count < 1:
        raise ValueError("households must be at least 1")

    def stream(purpose: str) -> random.Random:
        return random.Random(f"bokjihub.synthetic:{sigungu_code}:{seed}:{purpose}")

    type_shares, family_sizes = _type_targets(population)
    plans = _plan_households(count, type_shares, family_sizes, stream("structure"))
    _balance_sexes(plans, population.pop_male / population.pop_total, stream("sexes"))
    ages, age_calibration = _calibrated_ages(plans, population, stream)
    disability = _disability(plans, ages, stream("disability"))
    recipient_share = recipients.n_nbls_total_hh / population.households
    receiving = _recipients(plans, round(recipient_share * count), stream("recipients"))
    emd_of = _emd_assignment(count, emds, stream("emd"))
    built = _build(
        sigungu_code=sigungu_code,
        sigungu_name=population.name_ko,
        reference_date=reference_date,
        plans=plans,
        ages=ages,
        disability=disability,
        receiving=receiving,
        emds=emds,
        emd_of=emd_of,
        stream=stream,
    )
    calibration = _calibration(
        built, population, type_shares, recipient_share, recipients.source, age_calibration, emds
    )
    return SyntheticPopulation(sigungu_code, seed, reference_date, tuple(built), calibration)


# ---------------------------------------------------------------- household types and sizes


def _type_targets(population: refdata.PopulationRef) -> tuple[dict[str, float], dict[int, float]]:
    """Household-type shares and the family size distribution for the unit.

    Fixed national shares, then the one-person share is moved (from 36 %) only as far as
    needed for the remaining family households to have a plausible mean size given the
    unit's persons per household; older units get more elderly living alone and couples.
    """
    bands = population.age_bands
    share_65p = sum(bands[13:]) / population.pop_total
    ageing = share_65p / _NATIONAL_SHARE_65P
    shares = dict(_FIXED_TYPE_SHARES)
    shares["elderly_couple"] = min(max(0.08 * ageing, 0.03), 0.20)
    fixed_share = sum(shares.values())
    fixed_persons = sum(share * _mean(_SIZE_DISTRIBUTIONS[kind]) for kind, share in shares.items())
    pph = population.persons_per_household

    def family_mean(one_person: float) -> float:
        return (pph - one_person - fixed_persons) / (1 - one_person - fixed_share)

    one_person = _ONE_PERSON_SHARE
    low, high = _FAMILY_MEAN_BOUNDS
    mean = family_mean(one_person)
    if not low <= mean <= high:
        bound = low if mean < low else high
        # Solve pph = s + fixed_persons + (1 - s - fixed_share) * bound for s.
        one_person = (pph - fixed_persons - (1 - fixed_share) * bound) / (1 - bound)
    one_person = min(max(one_person, 0.15), 0.65)

    elderly_alone = min(max(0.27 * ageing, 0.15), 0.75)  # 1인가구 중 65세 이상 ≈ 27 %
    shares["single_elderly"] = one_person * elderly_alone
    shares["young_single"] = one_person * (1 - elderly_alone) * 0.49
    shares["other_single"] = one_person * (1 - elderly_alone) * 0.51
    shares["family"] = 1 - sum(shares.values())
    target_mean = min(max(family_mean(one_person), 2.05), 5.5)
    return {kind: shares[kind] for kind in HOUSEHOLD_TYPES}, _tilted(
        _FAMILY_BASE_SIZES, target_mean
    )


def _mean(distribution: dict[int, float]) -> float:
    return sum(size * weight for size, weight in distribution.items()) / sum(distribution.values())


def _tilted(base: dict[int, float], target_mean: float) -> dict[int, float]:
    """The distribution ∝ base·e^(t·size) whose mean is target_mean (bisection on t)."""

    def with_tilt(tilt: float) -> dict[int, float]:
        weights = {size: weight * math.exp(tilt * size) for size, weight in base.items()}
        total = sum(weights.values())
        return {size: weight / total for size, weight in weights.items()}

    low, high = -10.0, 10.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if _mean(with_tilt(middle)) < target_mean else (low, middle)
    return with_tilt((low + high) / 2)


def _plan_households(
    count: int, type_shares: dict[str, float], family_sizes: dict[int, float], rng: random.Random
) -> list[tuple[str, list[_Member]]]:
    kinds = list(type_shares)
    cumulative = _cumulative(type_shares.values())
    sizes = {
        kind: (list(dist), _cumulative(dist.values())) for kind, dist in _SIZE_DISTRIBUTIONS.items()
    }
    sizes["family"] = (list(family_sizes), _cumulative(family_sizes.values()))
    plans = []
    for _ in range(count):
        kind = kinds[_pick(cumulative, rng)]
        size = 1
        if kind in sizes:
            values, weights = sizes[kind]
            size = values[_pick(weights, rng)]
        plans.append((kind, _PLANNERS[kind](size, rng)))
    return plans


def _cumulative(weights) -> list[float]:
    total, running = 0.0, []
    for weight in weights:
        total += weight
        running.append(total)
    return running


def _pick(cumulative: list[float], rng: random.Random) -> int:
    return min(bisect(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def _sex(rng: random.Random, male_probability: float) -> str:
    return "M" if rng.random() < male_probability else "F"


def _other_sex(sex: str) -> str:
    return "F" if sex == "M" else "M"


def _children(number: int, rng: random.Random, oldest: int = 54) -> list[_Member]:
    return [("child", _sex(rng, 0.512), 0, oldest, _CHILD) for _ in range(number)]


def _single(lowest: int, highest: int, male_probability: float):
    def plan(size: int, rng: random.Random) -> list[_Member]:
        return [("head", _sex(rng, male_probability), lowest, highest, None)]

    return plan


def _plan_elderly_couple(size: int, rng: random.Random) -> list[_Member]:
    head = _sex(rng, 0.95)
    return [("head", head, 65, 95, None), ("spouse", _other_sex(head), 60, 104, (-8, 3))]


def _plan_single_parent(size: int, rng: random.Random) -> list[_Member]:
    return [("head", _sex(rng, 0.22), 25, 59, None), *_children(size - 1, rng, oldest=24)]


def _plan_grandparent_grandchild(size: int, rng: random.Random) -> list[_Member]:
    head = _sex(rng, 0.4)
    members = [("head", head, 58, 90, None)]
    if size >= 3 and rng.random() < 0.35:
        members.append(("spouse", _other_sex(head), 55, 100, (-6, 4)))
    members += [
        ("grandchild", _sex(rng, 0.512), 0, 24, _GRANDCHILD) for _ in range(size - len(members))
    ]
    return members


def _plan_multicultural(size: int, rng: random.Random) -> list[_Member]:
    # Marriage migrants are mostly wives, often much younger than their Korean husband.
    if rng.random() < 0.88:
        members = [("head", "M", 30, 68, None), ("spouse:foreign", "F", 20, 60, (-20, -2))]
    else:
        members = [("head", "F", 28, 60, None), ("spouse:foreign", "M", 22, 70, (-5, 8))]
    return members + _children(size - 2, rng, oldest=24)


def _plan_with_disability(size: int, rng: random.Random) -> list[_Member]:
    head = _sex(rng, 0.65)
    members = [("head", head, 30, 80, None)]
    if rng.random() < 0.7:
        members.append(("spouse", _other_sex(head), 25, 100, (-6, 4)))
    return members + _children(size - len(members), rng)


def _plan_family(size: int, rng: random.Random) -> list[_Member]:
    head = _sex(rng, 0.75)
    spouse = ("spouse", _other_sex(head), 20, 104, (-6, 4) if head == "M" else (-4, 6))
    if size == 2:
        if rng.random() < 0.75:
            return [("head", head, 27, 64, None), spouse]
        return [("head", head, 45, 85, None), *_children(1, rng)]
    members = [("head", head, 27, 75, None)]
    if rng.random() < 0.92:
        members.append(spouse)
    extra = _family_extra(size, rng)
    if extra == "grandchild":
        members[0] = ("head", head, 58, 85, None)
        return (
            members
            + _children(size - len(members) - 1, rng)
            + [("grandchild", _sex(rng, 0.512), 0, 30, _GRANDCHILD)]
        )
    if extra:
        members.append(extra)
    return members + _children(size - len(members), rng)


def _family_extra(size: int, rng: random.Random):
    """A member beyond the nuclear family, for some larger households."""
    if size < 4:
        return None
    draw = rng.random()
    if draw < 0.10:
        return ("parent", _sex(rng, 0.3), 45, 104, _PARENT)
    if draw < 0.13:
        return ("sibling", _sex(rng, 0.5), 15, 90, (-12, 12))
    if draw < 0.16:
        return "grandchild"
    if draw < 0.175:
        return ("grandparent", _sex(rng, 0.25), 60, 104, (40, 65))
    if draw < 0.185:
        return ("other", _sex(rng, 0.5), 15, 90, None)
    return None


_PLANNERS = {
    "single_elderly": _single(65, 104, 0.30),
    "young_single": _single(19, 39, 0.50),
    "other_single": _single(40, 64, 0.50),
    "elderly_couple": _plan_elderly_couple,
    "single_parent": _plan_single_parent,
    "grandparent_grandchild": _plan_grandparent_grandchild,
    "multicultural": _plan_multicultural,
    "with_disability": _plan_with_disability,
    "family": _plan_family,
}


def _balance_sexes(plans, male_share: float, rng: random.Random) -> None:
    """Flip the sex of randomly chosen people living alone or children (whose sex no
    couple constrains) until the male share matches the unit's; older units have more
    women, through elderly women living alone."""
    free = [
        (household, position)
        for household, (kind, members) in enumerate(plans)
        for position, member in enumerate(members)
        if member[0] == "child" or (len(members) == 1)
    ]
    persons = sum(len(members) for _, members in plans)
    males = sum(member[1] == "M" for _, members in plans for member in members)
    surplus = males - round(male_share * persons)
    flip_from = "M" if surplus > 0 else "F"
    candidates = [spot for spot in free if plans[spot[0]][1][spot[1]][1] == flip_from]
    for household, position in rng.sample(candidates, min(abs(surplus), len(candidates))):
        relation, sex, lowest, highest, offset = plans[household][1][position]
        plans[household][1][position] = (relation, _other_sex(sex), lowest, highest, offset)


# ---------------------------------------------------------------- ages


class _AgeSampler:
    """Draws ages in [lowest, highest] ∝ target band share × correction factor."""

    def __init__(self, shares: tuple[float, ...], factors: list[float]):
        self._weights = [share * factor for share, factor in zip(shares, factors, strict=True)]
        self._tables: dict[tuple[int, int], tuple[list[float], list[tuple[int, int]]]] = {}

    def _table(self, lowest: int, highest: int):
        ranges, weights = [], []
        for (_, first, last), weight in zip(refdata.AGE_BANDS, self._weights, strict=True):
            low, high = max(first, lowest), min(last, highest)
            if low <= high:
                ranges.append((low, high))
                weights.append(weight * (high - low + 1) / (last - first + 1))
        if sum(weights) <= 0:  # no target population in range (e.g. 100+ in a small unit)
            weights = [high - low + 1 for low, high in ranges]
        return _cumulative(weights), ranges

    def draw(self, lowest: int, highest: int, rng: random.Random) -> int:
        table = self._tables.get((lowest, highest))
        if table is None:
            table = self._tables[(lowest, highest)] = self._table(lowest, highest)
        cumulative, ranges = table
        low, high = ranges[_pick(cumulative, rng)]
        return low + int(rng.random() * (high - low + 1))


def _draw_ages(plans, sampler: _AgeSampler, rng: random.Random) -> list[list[int]]:
    ages = []
    for _, members in plans:
        head = sampler.draw(members[0][2], members[0][3], rng)
        household = [head]
        for _, _, lowest, highest, offset in members[1:]:
            if offset is not None:
                low, high = max(lowest, head + offset[0]), min(highest, head + offset[1])
                if low > high:  # the head's age leaves no room: take the nearest allowed age
                    low = high = min(max(head + sum(offset) // 2, lowest), highest)
                lowest, highest = low, high
            household.append(sampler.draw(lowest, highest, rng))
        ages.append(household)
    return ages


def _band_index(age: int) -> int:
    return min(age // 5, 20)


def _calibrated_ages(plans, population: refdata.PopulationRef, stream, rounds: int = 4):
    """Ages whose band shares match the unit's: redraw with factors target/achieved.

    Household structure limits which ages each member may have, so plain band shares
    would over-fill some bands; a few multiplicative corrections (iterative proportional
    fitting on the realised counts) bring every band close to its target.
    """
    shares = population.age_band_shares()
    factors = [1.0] * len(shares)
    for round_number in range(rounds):
        ages = _draw_ages(plans, _AgeSampler(shares, factors), stream(f"ages:{round_number}"))
        counts = Counter(_band_index(age) for household in ages for age in household)
        total = sum(counts.values())
        for band, share in enumerate(shares):
            achieved = counts.get(band, 0) / total
            if share > 0:
                ratio = share / max(achieved, 0.1 / total)
                factors[band] *= min(max(ratio, 0.2), 5.0)
    achieved = [counts.get(band, 0) / total for band in range(len(shares))]
    return ages, {"target": shares, "achieved": achieved}


# ---------------------------------------------------------------- disability and recipients


def _disability_weight(age: int) -> float:
    # Registered disability rises steeply with age (over half of 등록장애인 are 65+).
    if age < 18:
        return 0.25
    if age < 40:
        return 0.45
    if age < 65:
        return 1.0
    return 2.0 if age < 80 else 2.6


def _disability(plans, ages, rng: random.Random) -> list[list[bool]]:
    """Disability flags: one forced member in each with_disability household, the rest
    by age so that about 5 % of all persons have a registered disability."""
    forced = [
        rng.randrange(len(members)) if kind == "with_disability" else -1 for kind, members in plans
    ]
    persons = sum(len(household) for household in ages)
    free_weight = sum(
        _disability_weight(age)
        for household, chosen in zip(ages, forced, strict=True)
        for index, age in enumerate(household)
        if index != chosen
    )
    forced_count = sum(1 for chosen in forced if chosen >= 0)
    scale = max(_DISABILITY_PERSON_SHARE * persons - forced_count, 0) / max(free_weight, 1e-9)
    return [
        [
            index == chosen or rng.random() < min(scale * _disability_weight(age), 0.9)
            for index, age in enumerate(household)
        ]
        for household, chosen in zip(ages, forced, strict=True)
    ]


def _recipients(plans, wanted: int, rng: random.Random) -> set[int]:
    """Exactly ``wanted`` households, drawn without replacement with type odds as weights
    (Efraimidis–Spirakis keys u^(1/w)), so the share matches the table exactly."""
    keys = [rng.random() ** (1 / _RECIPIENT_ODDS[kind]) for kind, _ in plans]
    return set(heapq.nlargest(min(wanted, len(plans)), range(len(plans)), key=keys.__getitem__))


def _crisis(kind: str, receiving: bool, rng: random.Random) -> tuple[str, ...]:
    rate = _CRISIS_RATE[kind] * (_CRISIS_RECIPIENT_FACTOR if receiving else 1.0)
    if rng.random() >= rate:
        return ()
    weights = list(_CRISIS_FACTOR_WEIGHTS.get(kind, _CRISIS_FACTOR_DEFAULT))
    wanted = 1 if (draw := rng.random()) < 0.55 else (2 if draw < 0.88 else 3)
    factors = []
    for _ in range(wanted):
        index = _pick(_cumulative(weights), rng)
        factors.append(CRISIS_FACTORS[index])
        weights[index] = 0.0
    return tuple(sorted(factors, key=CRISIS_FACTORS.index))


# ---------------------------------------------------------------- places and addresses


def _emd_assignment(count: int, emds: list[refdata.EmdRef], rng: random.Random) -> list[int]:
    """EMD index of each household: one for every EMD first, the rest by varied weights.

    No dong-level counts are shipped, so weights are deterministic noise, lower for
    myeon (rural, sparse) and higher for eup (a county's town).
    """
    kind_weight = {"eup": 1.6, "myeon": 0.35}
    weights = [kind_weight.get(emd.kind, 1.0) * (0.5 + rng.random()) for emd in emds]
    base = 1 if count >= len(emds) else 0
    rest = count - base * len(emds)
    total = sum(weights)
    quotas = [rest * weight / total for weight in weights]
    allotted = [base + int(quota) for quota in quotas]
    by_remainder = sorted(range(len(emds)), key=lambda i: int(quotas[i]) - quotas[i])
    for index in by_remainder[: count - sum(allotted)]:
        allotted[index] += 1
    assignment = [index for index, number in enumerate(allotted) for _ in range(number)]
    rng.shuffle(assignment)
    return assignment


_STEM_SUFFIX = re.compile(r"(제?\d+)?(동|읍|면)$")


def _road_names(emd: refdata.EmdRef, rng: random.Random) -> list[str]:
    stem = _STEM_SUFFIX.sub("", emd.name_ko) or emd.name_ko
    numbered = sorted(rng.sample(range(1, 60), 6))
    return [f"{stem}로", f"{stem}대로", *(f"{stem}로{number}길" for number in numbered)]


def _address(
    sigungu_name: str, emd: refdata.EmdRef, roads: list[str], rng: random.Random
) -> tuple[str, str]:
    road = roads[int(rng.random() * len(roads))]
    number = 1 + int(rng.random() * (400 if road.endswith(("로", "대로")) else 80))
    if emd.kind == "dong":
        address = f"{sigungu_name} {road} {number} ({emd.name_ko})"
    else:  # 읍·면 addresses name the 읍/면 before the road
        address = f"{sigungu_name} {emd.name_ko} {road} {number}"
    apartment_share = {"dong": 0.65, "eup": 0.40}.get(emd.kind, 0.10)
    draw = rng.random()
    if draw < apartment_share:
        building = 101 + int(rng.random() * 25)
        floor = 1 + int(rng.random() * 25)
        return address, f"{building}동 {floor}{1 + int(rng.random() * 6):02d}호"
    if draw < apartment_share + (1 - apartment_share) * 0.6:  # 다세대·다가구
        floor = 1 + int(rng.random() * 4)
        return address, rng.choice((f"{floor}층", f"{floor}0{1 + int(rng.random() * 4)}호"))
    return address, ""  # 단독주택


# ---------------------------------------------------------------- persons


class _Names:
    def __init__(self):
        surnames = refdata.surname_counts()
        self._surnames = list(surnames)
        self._surname_weights = _cumulative(surnames.values())
        self._given = {}
        for sex in ("M", "F"):
            refs = refdata.given_names(sex)
            self._given[sex] = (
                [ref.given_name for ref in refs],
                _cumulative(r.count for r in refs),
            )

    def surname(self, rng: random.Random) -> str:
        return self._surnames[_pick(self._surname_weights, rng)]

    def given(self, sex: str, rng: random.Random) -> str:
        names, weights = self._given[sex]
        return names[_pick(weights, rng)]


def _foreign_name(nationality: str, sex: str, rng: random.Random) -> tuple[str, str, str]:
    surnames, female, male, surname_first = _FOREIGN_NAMES[nationality]
    surname, given = rng.choice(surnames), rng.choice(female if sex == "F" else male)
    return surname, given, (surname + given if surname_first else f"{given} {surname}")


_NATIONALITIES = list(_SPOUSE_NATIONALITIES)
_NATIONALITY_WEIGHTS = _cumulative(_SPOUSE_NATIONALITIES.values())


def _birth_dates(reference_date: date) -> list[tuple[int, int]]:
    """For each age 0–104, the ordinals of the first and last birth date giving that
    international age (만 나이) on the reference date."""

    def years_before(years: int) -> date:
        try:
            return reference_date.replace(year=reference_date.year - years)
        except ValueError:  # 29 February in a non-leap year
            return reference_date.replace(year=reference_date.year - years, day=28)

    return [
        ((years_before(age + 1) + timedelta(days=1)).toordinal(), years_before(age).toordinal())
        for age in range(105)
    ]


def _build(
    *,
    sigungu_code,
    sigungu_name,
    reference_date,
    plans,
    ages,
    disability,
    receiving,
    emds,
    emd_of,
    stream,
) -> list[SyntheticHousehold]:
    names, births = _Names(), _birth_dates(reference_date)
    people_rng, address_rng, crisis_rng = stream("people"), stream("address"), stream("crisis")
    road_rng = stream("roads")
    roads = [_road_names(emd, road_rng) for emd in emds]
    used_rrns: set[str] = set()
    households = []
    for index, (kind, members) in enumerate(plans):
        key = f"{sigungu_code}-{index + 1:06d}"
        emd_index = emd_of[index]
        road_address, detail = _address(
            sigungu_name, emds[emd_index], roads[emd_index], address_rng
        )
        persons = _persons(
            key, members, ages[index], disability[index], names, births, used_rrns, people_rng
        )
        is_receiving = index in receiving
        factors = _crisis(kind, is_receiving, crisis_rng)
        households.append(
            SyntheticHousehold(
                key=key,
                emd_code=emds[emd_index].code,
                road_address=road_address,
                address_detail=detail,
                household_type=kind,
                is_basic_livelihood=is_receiving,
                persons=persons,
                in_crisis=bool(factors),
                crisis_factors=factors,
            )
        )
    return households


def _persons(key, members, ages, disabled, names, births, used_rrns, rng):
    """The members of one household, with surnames following Korean practice: children
    take the father's surname, wives keep their own."""
    head_surname = names.surname(rng)
    # With a female head the children's surname is their father's, whether or not he lives here.
    father_line = head_surname if members[0][1] == "M" else names.surname(rng)
    persons = []
    for position, ((relation, sex, *_), age) in enumerate(zip(members, ages, strict=True)):
        nationality = "KR"
        if relation == "spouse:foreign":
            relation = "spouse"
            nationality = _NATIONALITIES[_pick(_NATIONALITY_WEIGHTS, rng)]
            surname, given, name = _foreign_name(nationality, sex, rng)
        else:
            surname = _surname_for(relation, sex, position, head_surname, father_line, names, rng)
            given = names.given(sex, rng)
            name = surname + given
        first, last = births[age]
        born = date.fromordinal(first + int(rng.random() * (last - first + 1)))
        rrn = _unique_rrn(born, sex, nationality != "KR", used_rrns, rng)
        persons.append(
            SyntheticPerson(
                key=f"{key}-{position + 1:02d}",
                surname=surname,
                given_name=given,
                name=name,
                sex=sex,
                birth_date=born,
                rrn=rrn,
                relation_to_head=relation,
                nationality=nationality,
                has_disability=disabled[position],
            )
        )
    return tuple(persons)


def _surname_for(relation, sex, position, head_surname, father_line, names, rng) -> str:
    if position == 0:
        return head_surname
    if relation == "child" or (relation == "spouse" and sex == "M"):
        return father_line
    if relation == "grandchild":
        return father_line if rng.random() < 0.6 else names.surname(rng)
    if relation == "sibling" or (relation in ("parent", "grandparent") and sex == "M"):
        return head_surname
    return names.surname(rng)


def _unique_rrn(born: date, sex: str, foreign: bool, used: set[str], rng: random.Random) -> str:
    while True:
        rrn = make_rrn(birth_date=born, sex=sex, foreign=foreign, rng=rng)
        if rrn not in used:
            used.add(rrn)
            return rrn


# ---------------------------------------------------------------- calibration report


def _calibration(households, population, type_shares, recipient_share, source, ages, emds):
    count = len(households)
    persons = [person for household in households for person in household.persons]
    types = Counter(household.household_type for household in households)
    receiving = sum(household.is_basic_livelihood for household in households)

    def pair(target, achieved):
        return {"target": round(target, 6), "achieved": round(achieved, 6)}

    return {
        "households": count,
        "persons": len(persons),
        "persons_per_household": pair(population.persons_per_household, len(persons) / count),
        "recipient_household_share": {
            **pair(recipient_share, receiving / count),
            "source": source,
        },
        "age_band_share": {
            column: pair(target, achieved)
            for (column, _, _), target, achieved in zip(
                refdata.AGE_BANDS, ages["target"], ages["achieved"], strict=True
            )
        },
        "household_type_share": {
            kind: pair(share, types.get(kind, 0) / count) for kind, share in type_shares.items()
        },
        "male_share": pair(
            population.pop_male / population.pop_total,
            sum(person.sex == "M" for person in persons) / len(persons),
        ),
        "disability_person_share": pair(
            _DISABILITY_PERSON_SHARE,
            sum(person.has_disability for person in persons) / len(persons),
        ),
        "crisis_household_share": {
            "achieved": round(sum(household.in_crisis for household in households) / count, 6)
        },
        "emds_used": pair(len(emds), len({household.emd_code for household in households})),
    }

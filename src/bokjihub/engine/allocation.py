"""Fair allocation of a Si/Gun/Gu's pooled resources to waiting needs across its Dongs.

The field study (Busan Nam-gu): "wealthy Dongs will have more welfare resources and
donators than poor Dongs, causing welfare recipients in poor Dongs to receive fewer
benefits". Pooling the Gu's resources and allocating them with a linear program counters
that, within what each donor allowed (region, target group, kind).

The program (HiGHS through ``scipy.optimize.linprog``), in two stages:

* variables ``y[p]`` for each eligible (resource, need) pair p: the share of need n that
  resource r covers, in [0, 1]; the quantity given is ``y[p] * need_quantity[n]``;
* each need is covered at most once (sum of its shares <= 1), each resource gives at most
  what it holds;
* the need-weighted coverage of a Dong is sum(w_n * coverage_n) / sum(w_n) over its needs;
* stage 1 maximises the smallest Dong coverage t*; stage 2 maximises the Gu's total
  need-weighted coverage while every Dong keeps at least the equity floor
  ``t* * (1 - floor_slack)``.

The baseline is what happens without pooling: each Dong gives its waiting needs (the
heaviest first) only what donors of that Dong hold, plus what Gu-wide donors hold.

Pure numpy/scipy; no Django. Quantities are in the unit of the need's kind (the caller
makes a resource and the needs it may serve commensurable).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

ANY = -1  # no restriction (any Dong, any target group) / a Gu-wide donor with no home Dong

# Stage 2 must keep stage 1's optimum feasible despite HiGHS's tolerances.
FLOOR_TOLERANCE = 1e-7


@dataclass(frozen=True)
class AllocationProblem:
    """Needs and resources as parallel arrays; Dongs, groups and kinds as small integers.

    ``resource_allowed_dong`` / ``resource_allowed_group`` are the donor's restrictions
    (``ANY`` for none); ``resource_home_dong`` is the Dong whose donor it is (``ANY`` for a
    Gu-wide donor), used by the baseline only."""

    dongs: int
    need_dong: np.ndarray
    need_group: np.ndarray
    need_kind: np.ndarray
    need_quantity: np.ndarray
    need_weight: np.ndarray
    resource_kind: np.ndarray
    resource_amount: np.ndarray
    resource_allowed_dong: np.ndarray
    resource_allowed_group: np.ndarray
    resource_home_dong: np.ndarray

    @classmethod
    def build(cls, *, dongs: int, needs: list[tuple], resources: list[tuple]):
        """From rows: needs as (dong, group, kind, quantity, weight), resources as (kind,
        amount, allowed dong, allowed group, home dong)."""
        need = np.array(needs, dtype=float).reshape(-1, 5)
        resource = np.array(resources, dtype=float).reshape(-1, 5)
        return cls(
            dongs=dongs,
            need_dong=need[:, 0].astype(np.int64),
            need_group=need[:, 1].astype(np.int64),
            need_kind=need[:, 2].astype(np.int64),
            need_quantity=need[:, 3],
            need_weight=need[:, 4],
            resource_kind=resource[:, 0].astype(np.int64),
            resource_amount=resource[:, 1],
            resource_allowed_dong=resource[:, 2].astype(np.int64),
            resource_allowed_group=resource[:, 3].astype(np.int64),
            resource_home_dong=resource[:, 4].astype(np.int64),
        )

    @property
    def needs(self) -> int:
        return len(self.need_dong)

    @property
    def resources(self) -> int:
        return len(self.resource_kind)


@dataclass(frozen=True)
class AllocationResult:
    """The lines (resource, need, quantity), the coverage of each need and Dong (NaN for a
    Dong without waiting needs), and the equity measures over Dongs with needs."""

    method: str
    line_resource: np.ndarray
    line_need: np.ndarray
    line_quantity: np.ndarray
    need_coverage: np.ndarray
    dong_coverage: np.ndarray
    min_coverage: float
    gini: float
    weighted_coverage: float
    equity_floor: float | None
    solve_s: float


class AllocationError(RuntimeError):
    """HiGHS found no solution (it should not: giving nothing is always feasible)."""


def eligible_pairs(problem: AllocationProblem) -> tuple[np.ndarray, np.ndarray]:
    """(resource index, need index) of every pair the donor's restrictions allow."""
    p = problem
    allowed = (
        (p.resource_kind[:, None] == p.need_kind[None, :])
        & (
            (p.resource_allowed_dong[:, None] == ANY)
            | (p.resource_allowed_dong[:, None] == p.need_dong[None, :])
        )
        & (
            (p.resource_allowed_group[:, None] == ANY)
            | (p.resource_allowed_group[:, None] == p.need_group[None, :])
        )
        & (p.need_quantity[None, :] > 0)
        & (p.resource_amount[:, None] > 0)
    )
    resource_index, need_index = np.nonzero(allowed)
    return resource_index, need_index


def gini(values) -> float:
    """Gini coefficient of non-negative values (0 = all equal; (n-1)/n = one has all)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    # Sorted form of sum_i sum_j |x_i - x_j| / (2 n^2 mean).
    ranks = np.arange(1, n + 1)
    return float((2 * ranks - n - 1) @ x / (n * x.sum()))


def dong_coverage(problem: AllocationProblem, need_coverage: np.ndarray) -> np.ndarray:
    weight = np.bincount(problem.need_dong, weights=problem.need_weight, minlength=problem.dongs)
    covered = np.bincount(
        problem.need_dong, weights=problem.need_weight * need_coverage, minlength=problem.dongs
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, covered / weight, np.nan)


def _result(problem, method, resource_index, need_index, share, floor, started) -> AllocationResult:
    share = np.clip(share, 0.0, 1.0)
    keep = share > 1e-9
    resource_index, need_index, share = resource_index[keep], need_index[keep], share[keep]
    need_coverage = np.minimum(np.bincount(need_index, weights=share, minlength=problem.needs), 1.0)
    per_dong = dong_coverage(problem, need_coverage)
    with_needs = per_dong[~np.isnan(per_dong)]
    total_weight = problem.need_weight.sum()
    return AllocationResult(
        method=method,
        line_resource=resource_index,
        line_need=need_index,
        line_quantity=share * problem.need_quantity[need_index],
        need_coverage=need_coverage,
        dong_coverage=per_dong,
        min_coverage=float(with_needs.min()) if len(with_needs) else 0.0,
        gini=gini(with_needs),
        weighted_coverage=(
            float(problem.need_weight @ need_coverage / total_weight) if total_weight else 0.0
        ),
        equity_floor=floor,
        solve_s=time.perf_counter() - started,
    )


def _classes(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of the stacked columns and, for each input row, its class number."""
    keys = np.stack(columns, axis=1)
    if len(keys) == 0:
        return keys.reshape(0, len(columns)), np.zeros(0, dtype=np.int64)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    return unique, inverse.reshape(-1)


@dataclass(frozen=True)
class _Classes:
    """Needs grouped by (Dong, group, kind) and resources by (kind, allowed Dong, allowed
    group): every need of a class may take from every resource of an eligible class, so
    the program needs one flow per eligible pair of classes, not per pair of rows (a few
    thousand variables instead of a few hundred thousand)."""

    need_class: np.ndarray
    resource_class: np.ndarray
    resource_class_amount: np.ndarray
    flow_from: np.ndarray  # resource class of each flow
    flow_to: np.ndarray  # need class of each flow
    need_class_kind: np.ndarray


def _group_classes(problem: AllocationProblem) -> _Classes:
    p = problem
    need_keys, need_class = _classes(p.need_dong, p.need_group, p.need_kind)
    resource_keys, resource_class = _classes(
        p.resource_kind, p.resource_allowed_dong, p.resource_allowed_group
    )
    kind, dong, group = (resource_keys[:, i][:, None] for i in range(3))
    allowed = (
        (kind == need_keys[:, 2][None, :])
        & ((dong == ANY) | (dong == need_keys[:, 0][None, :]))
        & ((group == ANY) | (group == need_keys[:, 1][None, :]))
    )
    flow_from, flow_to = np.nonzero(allowed)
    return _Classes(
        need_class=need_class,
        resource_class=resource_class,
        resource_class_amount=np.bincount(
            resource_class, weights=p.resource_amount, minlength=len(resource_keys)
        ),
        flow_from=flow_from,
        flow_to=flow_to,
        need_class_kind=need_keys[:, 2],
    )


def _kind_scale(problem: AllocationProblem) -> np.ndarray:
    """The mean need quantity of each kind: KRW and hours differ by five orders of
    magnitude, and HiGHS is happier when every row's coefficients are near 1."""
    kinds = int(max(problem.need_kind.max(initial=0), problem.resource_kind.max(initial=0))) + 1
    total = np.bincount(problem.need_kind, weights=problem.need_quantity, minlength=kinds)
    count = np.bincount(problem.need_kind, minlength=kinds)
    return np.where(count > 0, total / np.maximum(count, 1), 1.0).clip(min=1e-9)


def _solve(c, a_ub, b_ub, a_eq, bounds):
    solution = linprog(
        c,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=np.zeros(a_eq.shape[0]),
        bounds=bounds,
        method="highs",
    )
    if solution.status != 0:
        raise AllocationError(solution.message)
    return solution.x


def allocate_optimised(problem: AllocationProblem, *, floor_slack: float = 0.0) -> AllocationResult:
    """Max-min Dong coverage first, then the most need-weighted coverage above the floor.

    ``floor_slack`` (0 to 1) lowers the equity floor below the best achievable minimum to
    leave room for total coverage: 0.05 keeps every Dong within 5 % of t*.

    Variables: the coverage s_n of each need and one flow per eligible pair of classes
    (see ``_Classes``), in units of the kind's mean need."""
    if not 0.0 <= floor_slack <= 1.0:
        raise ValueError("floor_slack must be between 0 and 1")
    started = time.perf_counter()
    p = problem
    groups = _group_classes(p)
    flows = len(groups.flow_from)
    if p.needs == 0 or flows == 0:
        empty = np.zeros(0, dtype=np.int64)
        return _result(p, "optimised", empty, empty, np.zeros(0), 0.0, started)
    scale = _kind_scale(p)
    need_scale = scale[p.need_kind]
    flow_scale = scale[groups.need_class_kind[groups.flow_to]]
    classes = len(groups.need_class_kind)
    # Per need class: what its needs take equals what flows into it.
    balance = sparse.hstack(
        [
            sparse.csr_array(
                (p.need_quantity / need_scale, (groups.need_class, np.arange(p.needs))),
                shape=(classes, p.needs),
            ),
            sparse.csr_array(
                (-np.ones(flows), (groups.flow_to, np.arange(flows))), shape=(classes, flows)
            ),
        ],
        format="csr",
    )
    # Per resource class: it gives at most what its resources hold.
    capacity = sparse.hstack(
        [
            sparse.csr_array((len(groups.resource_class_amount), p.needs)),
            sparse.csr_array(
                (np.ones(flows), (groups.flow_from, np.arange(flows))),
                shape=(len(groups.resource_class_amount), flows),
            ),
        ],
        format="csr",
    )
    class_scale = np.ones(len(groups.resource_class_amount))
    class_scale[groups.flow_from] = flow_scale
    capacity_bound = groups.resource_class_amount / class_scale
    dong_weight = np.bincount(p.need_dong, weights=p.need_weight, minlength=p.dongs)
    dongs_with_needs = np.flatnonzero(dong_weight > 0)
    row_of_dong = np.full(p.dongs, -1)
    row_of_dong[dongs_with_needs] = np.arange(len(dongs_with_needs))
    coverage = sparse.hstack(
        [
            sparse.csr_array(
                (
                    p.need_weight / dong_weight[p.need_dong],
                    (row_of_dong[p.need_dong], np.arange(p.needs)),
                ),
                shape=(len(dongs_with_needs), p.needs),
            ),
            sparse.csr_array((len(dongs_with_needs), flows)),
        ],
        format="csr",
    )
    share_bounds = [(0.0, 1.0 if q > 0 else 0.0) for q in p.need_quantity]
    flow_bounds = [(0.0, None)] * flows

    # Stage 1: maximise t subject to t <= coverage_d for every Dong with needs.
    column_t = sparse.csr_array(np.ones((len(dongs_with_needs), 1)))
    stage_one = sparse.vstack(
        [
            sparse.hstack([capacity, sparse.csr_array((capacity.shape[0], 1))]),
            sparse.hstack([-coverage, column_t]),
        ],
        format="csr",
    )
    objective = np.zeros(p.needs + flows + 1)
    objective[-1] = -1.0
    x = _solve(
        objective,
        stage_one,
        np.concatenate([capacity_bound, np.zeros(len(dongs_with_needs))]),
        sparse.hstack([balance, sparse.csr_array((classes, 1))], format="csr"),
        share_bounds + flow_bounds + [(0.0, 1.0)],
    )
    floor = max(float(x[-1]) * (1.0 - floor_slack) - FLOOR_TOLERANCE, 0.0)

    # Stage 2: maximise total need-weighted coverage with every Dong at or above the floor.
    x = _solve(
        np.concatenate([-p.need_weight, np.zeros(flows)]),
        sparse.vstack([capacity, -coverage], format="csr"),
        np.concatenate([capacity_bound, np.full(len(dongs_with_needs), -floor)]),
        balance,
        share_bounds + flow_bounds,
    )
    share = np.clip(x[: p.needs], 0.0, 1.0)
    flow = np.clip(x[p.needs :], 0.0, None) * flow_scale
    lines = _lines(p, groups, share * p.need_quantity, flow, 1e-7 * flow_scale)
    return _result(p, "optimised", *lines, floor, started)


def _lines(problem, groups: _Classes, given, flow, tolerances):
    """Split each class-to-class flow into resource-to-need lines, filling needs and
    emptying resources in order (any split is allowed: all pairs of the two classes are
    eligible). A flow's tolerance is relative to its kind's unit (KRW or hours)."""
    needs_of = _members(groups.need_class, len(groups.need_class_kind))
    resources_of = _members(groups.resource_class, len(groups.resource_class_amount))
    need_left = given.astype(float).copy()
    resource_left = problem.resource_amount.astype(float).copy()
    need_cursor = {c: 0 for c in range(len(needs_of))}
    resource_cursor = {c: 0 for c in range(len(resources_of))}
    rows_r, rows_n, rows_q = [], [], []
    flows = zip(groups.flow_from, groups.flow_to, flow, tolerances, strict=True)
    for source, target, amount, tolerance in flows:
        needs, resources = needs_of[target], resources_of[source]
        while amount > tolerance:
            while (
                need_cursor[target] < len(needs)
                and need_left[needs[need_cursor[target]]] <= tolerance
            ):
                need_cursor[target] += 1
            while (
                resource_cursor[source] < len(resources)
                and resource_left[resources[resource_cursor[source]]] <= tolerance
            ):
                resource_cursor[source] += 1
            if need_cursor[target] == len(needs) or resource_cursor[source] == len(resources):
                break  # rounding: the solver's flow exceeds what is left by a hair
            n, r = needs[need_cursor[target]], resources[resource_cursor[source]]
            quantity = min(amount, need_left[n], resource_left[r])
            rows_r.append(r)
            rows_n.append(n)
            rows_q.append(quantity)
            amount -= quantity
            need_left[n] -= quantity
            resource_left[r] -= quantity
    need_index = np.array(rows_n, dtype=np.int64)
    share = np.array(rows_q, dtype=float) / np.where(
        len(need_index), problem.need_quantity[need_index], 1.0
    )
    return np.array(rows_r, dtype=np.int64), need_index, share


def _members(class_of: np.ndarray, classes: int) -> list[np.ndarray]:
    order = np.argsort(class_of, kind="stable")
    bounds = np.searchsorted(class_of[order], np.arange(classes + 1))
    return [order[bounds[c] : bounds[c + 1]] for c in range(classes)]


def allocate_baseline(problem: AllocationProblem) -> AllocationResult:
    """Each Dong on its own: its needs, heaviest first (then in order), take what the
    eligible resources of its own donors and of Gu-wide donors still hold."""
    started = time.perf_counter()
    resource_index, need_index = eligible_pairs(problem)
    own = (problem.resource_home_dong[resource_index] == ANY) | (
        problem.resource_home_dong[resource_index] == problem.need_dong[need_index]
    )
    resource_index, need_index = resource_index[own], need_index[own]
    # Visit pairs need by need (heaviest need first), own-Dong donors before Gu-wide ones.
    gu_wide = problem.resource_home_dong[resource_index] == ANY
    order = np.lexsort((resource_index, gu_wide, need_index, -problem.need_weight[need_index]))
    remaining = problem.resource_amount.astype(float).copy()
    missing = problem.need_quantity.astype(float).copy()
    share = np.zeros(len(order))
    for position in order:
        r, n = resource_index[position], need_index[position]
        given = min(remaining[r], missing[n])
        if given <= 0:
            continue
        remaining[r] -= given
        missing[n] -= given
        share[position] = given / problem.need_quantity[n]
    return _result(problem, "baseline", resource_index, need_index, share, None, started)


# --- a synthetic Gu, for the benchmark and tests ------------------------------------------

KINDS = 4  # cash, in kind, volunteer service, education: in that order
GROUPS = 5  # children, elderly, disabled, single parent, other: in that order
KIND_SHARE = np.array([0.35, 0.35, 0.18, 0.12])
# A typical need, in its kind's unit: KRW for cash and in kind, hours, sessions.
KIND_SIZE = np.array([300_000.0, 200_000.0, 8.0, 4.0])


def synthetic_instance(
    *, dongs: int, needs: int, resources: int, seed: int, supply_ratio: float = 0.6
) -> tuple[AllocationProblem, np.ndarray]:
    """A Gu whose Dongs differ in wealth: richer Dongs have more donors and fewer waiting
    needs (the field study). Resources cover about ``supply_ratio`` of the total need of
    each kind. Returns the problem and the wealth index of each Dong."""
    rng = np.random.default_rng(seed)
    wealth = rng.lognormal(mean=0.0, sigma=0.7, size=dongs)
    need_dong = rng.choice(dongs, size=needs, p=_shares(1.0 / wealth))
    need_kind = rng.choice(KINDS, size=needs, p=KIND_SHARE)
    need_group = rng.choice(GROUPS, size=needs, p=[0.25, 0.35, 0.15, 0.15, 0.10])
    need_quantity = np.round(KIND_SIZE[need_kind] * rng.uniform(0.3, 2.0, size=needs))
    need_weight = rng.choice(5, size=needs, p=[0.15, 0.25, 0.30, 0.20, 0.10]) + 1.0

    home = rng.choice(dongs, size=resources, p=_shares(wealth**2))
    gu_wide = rng.random(resources) < 0.15  # public bodies, Gu-wide foundations
    home = np.where(gu_wide, ANY, home)
    kind = rng.choice(KINDS, size=resources, p=KIND_SHARE)
    # Most local donors want to help their own Dong; some leave it to the Gu.
    keeps_local = (~gu_wide) & (rng.random(resources) < 0.45)
    allowed_dong = np.where(keeps_local, home, ANY)
    allowed_group = np.where(
        rng.random(resources) < 0.4, rng.choice(GROUPS - 1, size=resources), ANY
    )
    demand = np.bincount(need_kind, weights=need_quantity, minlength=KINDS)
    per_kind = np.maximum(np.bincount(kind, minlength=KINDS), 1)
    amount = np.round(
        demand[kind] * supply_ratio / per_kind[kind] * rng.uniform(0.5, 1.5, size=resources)
    )
    problem = AllocationProblem(
        dongs=dongs,
        need_dong=need_dong,
        need_group=need_group,
        need_kind=need_kind,
        need_quantity=need_quantity,
        need_weight=need_weight,
        resource_kind=kind,
        resource_amount=amount,
        resource_allowed_dong=allowed_dong,
        resource_allowed_group=allowed_group,
        resource_home_dong=home,
    )
    return problem, wealth


def _shares(values: np.ndarray) -> np.ndarray:
    return values / values.sum()

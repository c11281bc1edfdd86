import numpy as np
import pytest

from bokjihub.engine.allocation import (
    ANY,
    AllocationProblem,
    allocate_baseline,
    allocate_optimised,
    eligible_pairs,
    gini,
    synthetic_instance,
)

pytestmark = pytest.mark.accept_services

CASH, IN_KIND = 0, 1
CHILDREN, ELDERLY = 0, 1
RICH, POOR_1, POOR_2 = 0, 1, 2


def small_gu() -> AllocationProblem:
    """Three Dongs: the rich one has the donors, the two poor ones the needs.
    needs: (dong, group, kind, quantity, weight);
    resources: (kind, amount, allowed dong, allowed group, home dong)."""
    return AllocationProblem.build(
        dongs=3,
        needs=[
            (RICH, ELDERLY, CASH, 100, 2),
            (POOR_1, CHILDREN, CASH, 100, 5),
            (POOR_1, ELDERLY, IN_KIND, 50, 3),
            (POOR_2, CHILDREN, CASH, 200, 4),
            (POOR_2, ELDERLY, CASH, 100, 1),
            (POOR_2, CHILDREN, IN_KIND, 80, 2),
        ],
        resources=[
            (CASH, 250, ANY, ANY, RICH),
            (CASH, 100, RICH, ANY, RICH),  # this donor gives only in its own Dong
            (CASH, 80, ANY, CHILDREN, RICH),  # only to children
            (IN_KIND, 60, ANY, ANY, RICH),
            (CASH, 30, ANY, ANY, POOR_1),
        ],
    )


def test_every_line_respects_the_donors_restrictions_and_quantities():
    problem = small_gu()
    result = allocate_optimised(problem)
    r, n = result.line_resource, result.line_need
    assert (problem.resource_kind[r] == problem.need_kind[n]).all()
    allowed_dong = problem.resource_allowed_dong[r]
    assert ((allowed_dong == ANY) | (allowed_dong == problem.need_dong[n])).all()
    allowed_group = problem.resource_allowed_group[r]
    assert ((allowed_group == ANY) | (allowed_group == problem.need_group[n])).all()
    given = np.bincount(r, weights=result.line_quantity, minlength=problem.resources)
    assert (given <= problem.resource_amount + 1e-6).all()
    received = np.bincount(n, weights=result.line_quantity, minlength=problem.needs)
    assert (received <= problem.need_quantity + 1e-6).all()


def test_the_dong_restricted_donor_gives_only_in_its_own_dong():
    result = allocate_optimised(small_gu())
    assert set(result.line_need[result.line_resource == 1]) <= {0}


def test_every_dong_reaches_the_equity_floor_and_the_floor_is_the_best_minimum():
    result = allocate_optimised(small_gu())
    assert result.equity_floor > 0
    assert np.nanmin(result.dong_coverage) >= result.equity_floor - 1e-6
    # A slack lowers the floor proportionally.
    relaxed = allocate_optimised(small_gu(), floor_slack=0.5)
    assert relaxed.equity_floor == pytest.approx(result.equity_floor * 0.5, abs=1e-6)
    assert relaxed.weighted_coverage >= result.weighted_coverage - 1e-9


def test_pooling_raises_the_poorest_dongs_coverage_above_the_baseline():
    problem = small_gu()
    optimised, baseline = allocate_optimised(problem), allocate_baseline(problem)
    assert optimised.min_coverage > baseline.min_coverage
    assert optimised.gini < baseline.gini


def test_the_baseline_gives_each_dong_only_its_own_donors():
    problem = small_gu()
    result = allocate_baseline(problem)
    home = problem.resource_home_dong[result.line_resource]
    assert ((home == ANY) | (home == problem.need_dong[result.line_need])).all()
    # Everything the poor Dongs got in the baseline came from the one POOR_1 donor.
    poor = problem.need_dong[result.line_need] != RICH
    assert set(result.line_resource[poor]) == {4}


def test_the_optimised_solution_matches_the_pairwise_program():
    """The class-aggregated program must reach the same optimum as the plain one with one
    variable per eligible (resource, need) pair, checked here by brute force."""
    from scipy.optimize import linprog

    problem, _ = synthetic_instance(dongs=4, needs=40, resources=15, seed=3)
    resource_index, need_index = eligible_pairs(problem)
    pairs = len(resource_index)
    a_need = np.zeros((problem.needs, pairs))
    a_need[need_index, np.arange(pairs)] = 1
    a_resource = np.zeros((problem.resources, pairs))
    a_resource[resource_index, np.arange(pairs)] = problem.need_quantity[need_index]
    result = allocate_optimised(problem)
    dong_weight = np.bincount(problem.need_dong, weights=problem.need_weight, minlength=4)
    a_dong = np.zeros((4, pairs))
    a_dong[problem.need_dong[need_index], np.arange(pairs)] = (
        problem.need_weight[need_index] / dong_weight[problem.need_dong[need_index]]
    )
    a_dong = a_dong[dong_weight > 0]
    plain = linprog(
        -problem.need_weight[need_index],
        A_ub=np.vstack([a_need, a_resource, -a_dong]),
        b_ub=np.concatenate(
            [
                np.ones(problem.needs),
                problem.resource_amount,
                -np.full(len(a_dong), result.equity_floor),
            ]
        ),
        bounds=(0, 1),
        method="highs",
    )
    assert plain.status == 0
    total_weight = problem.need_weight.sum()
    assert result.weighted_coverage == pytest.approx(-plain.fun / total_weight, abs=1e-6)


def test_a_synthetic_gu_of_two_thousand_needs_is_fairer_after_pooling():
    problem, wealth = synthetic_instance(dongs=18, needs=2000, resources=500, seed=7)
    optimised, baseline = allocate_optimised(problem), allocate_baseline(problem)
    assert optimised.min_coverage > baseline.min_coverage
    assert optimised.gini < baseline.gini
    # The poorest Dong (fewest donors) gains the most from pooling.
    poorest = int(np.argmin(wealth))
    assert optimised.dong_coverage[poorest] > baseline.dong_coverage[poorest]


def test_gini_of_a_known_distribution():
    assert gini([1, 1, 1, 1]) == 0.0
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)
    # sum |xi - xj| over ordered pairs = 2 * (1 + 2 + 1) = 8; 8 / (2 * 9 * 2) = 2/9
    assert gini([1, 2, 3]) == pytest.approx(2 / 9)
    assert gini([]) == 0.0


def test_a_gu_without_resources_covers_nothing():
    problem = AllocationProblem.build(dongs=2, needs=[(0, 0, 0, 10, 3)], resources=[])
    result = allocate_optimised(problem)
    assert result.min_coverage == 0.0
    assert len(result.line_need) == 0


def test_a_slack_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="floor_slack"):
        allocate_optimised(small_gu(), floor_slack=1.5)

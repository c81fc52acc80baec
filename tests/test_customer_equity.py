"""Customer equity (Blattberg and Deighton 1996): the closed form against a hand-worked case and
against the discounted series summed term by term; the response curves through their known
point; the best budget split against a fine grid, at corners too, and in any currency."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customering_utils.economics import customer_equity, optimal_budget_split, response_curve, simple_clv


def test_hand_worked_cases():
    # m = 200, d = 0.1; A = 20 for a = 0.2, R = 30 for r = 0.6: r' / (1 - r') = (0.6/1.1) / (0.5/1.1) = 1.2
    assert customer_equity(200, 0.2, 20, 0.6, 30, 0.10) == pytest.approx(0.2 * 200 - 20 + 0.2 * (200 - 30 / 0.6) * 1.2)
    assert customer_equity(200, 0.2, 20, 0.6, 30, 0.10) == pytest.approx(56.0)
    # A = 30 for a = 0.3, R = 20 for r = 0.5: r' / (1 - r') = 0.5 / 0.6
    assert customer_equity(200, 0.3, 30, 0.5, 20, 0.10) == pytest.approx(70.0)
    # Nobody stays: the first year's margin, less the acquisition spend, less one year of retention spend.
    assert customer_equity(200, 0.2, 20, 0.0, 30, 0.10) == pytest.approx(0.2 * 200 - 20 - 0.2 * 30 / 1.1)


def test_without_spending_it_is_the_first_year_plus_the_simple_clv():
    # With R = 0 and A = 0, a prospect is a * (m + CLV), CLV the simple one of Module 0.
    for retention in (0.0, 0.3, 0.8, 0.95):
        assert customer_equity(120, 0.4, 0, retention, 0, 0.08) == pytest.approx(0.4 * (120 + simple_clv(120, retention, 0.08)))


@settings(max_examples=200, deadline=None)
@given(margin=st.floats(-500, 500), a=st.floats(0, 1), cost_a=st.floats(0, 100), r=st.floats(0, 0.95),
       cost_r=st.floats(0, 100), d=st.floats(0, 0.5))
def test_closed_form_is_the_discounted_series(margin, a, cost_a, r, cost_r, d):
    # Year 0: a m - A. Year t >= 1: the a r^(t-1) customers left each cost R, the a r^t who stay bring m.
    years = np.arange(1, 1000)  # 0.95 ** 1000 is 5e-23: the rest of the series is nothing
    series = a * margin - cost_a + np.sum((a * r**years * margin - a * r ** (years - 1) * cost_r) / (1 + d) ** years)
    assert customer_equity(margin, a, cost_a, r, cost_r, d) == pytest.approx(series, rel=1e-9, abs=1e-7)
    # The paper's form with r' = r / (1 + d), where it is defined and R / r does not overflow (the
    # reason the package computes the other form).
    if r > 1e-6:
        r_prime = r / (1 + d)
        paper = a * margin - cost_a + a * (margin - cost_r / r) * (r_prime / (1 - r_prime))
        assert customer_equity(margin, a, cost_a, r, cost_r, d) == pytest.approx(paper, rel=1e-9, abs=1e-7)


@settings(max_examples=100, deadline=None)
@given(margin=st.floats(1, 500), a=st.floats(0, 1), cost_a=st.floats(0, 100), r=st.floats(0, 0.95),
       cost_r=st.floats(0, 100), d=st.floats(0, 0.5), scale=st.sampled_from([0.01, 100.0]))
def test_a_change_of_currency_scales_customer_equity(margin, a, cost_a, r, cost_r, d, scale):
    assert customer_equity(margin * scale, a, cost_a * scale, r, cost_r * scale, d) == pytest.approx(
        scale * customer_equity(margin, a, cost_a, r, cost_r, d), rel=1e-9, abs=1e-9)


def test_scalars_give_floats_and_arrays_broadcast():
    assert type(customer_equity(200, 0.2, 20, 0.6, 30, 0.1)) is float
    grid = customer_equity(200, np.array([[0.1], [0.2]]), 20, np.array([0.0, 0.5, 0.6]), 30, 0.1)
    assert grid.shape == (2, 3) and grid[1, 2] == pytest.approx(56.0)


@pytest.mark.parametrize("kwargs, message", [
    ({"acquisition_rate": 1.2}, "acquisition_rate should be a rate from 0 to 1"),
    ({"retention_rate": 1.0}, "retention_rate should be a rate from 0 up to but excluding 1"),
    ({"retention_rate": [0.5, np.nan]}, "retention_rate should be a rate"),
    ({"acquisition_cost": -1.0}, "acquisition_cost should be an amount of at least 0 US dollars per prospect"),
    ({"retention_cost": np.inf}, "retention_cost should be an amount of at least 0 US dollars per customer per year"),
    ({"discount_rate": -0.1}, "discount_rate should be a yearly rate of at least 0"),
    ({"margin": "a lot"}, "margin should be a finite margin per customer per year"),
])
def test_bad_input_is_named(kwargs, message):
    arguments = {"margin": 200.0, "acquisition_rate": 0.2, "acquisition_cost": 20.0, "retention_rate": 0.6,
                 "retention_cost": 30.0, "discount_rate": 0.1} | kwargs
    with pytest.raises(ValueError, match=message):
        customer_equity(**arguments)


# ---- response curves --------------------------------------------------------------------------------

def test_response_curve_passes_through_its_point_and_stays_under_its_ceiling():
    curve = response_curve(ceiling=0.5, spend=20.0, rate=0.2)
    assert curve(0.0) == 0.0 and curve(20.0) == pytest.approx(0.2)
    assert curve(40.0) == pytest.approx(0.5 * (1 - 0.6**2))  # twice the spend squares the shortfall
    assert curve.k == pytest.approx(-math.log(0.6) / 20)
    rates = curve(np.array([0.0, 10.0, 100.0, 1e4]))
    assert np.all(np.diff(rates) > 0) and rates[-1] == pytest.approx(0.5) and np.all(rates <= 0.5)


@pytest.mark.parametrize("kwargs, message", [
    ({"ceiling": 1.5}, "ceiling should be a rate above 0 and at most 1"),
    ({"spend": 0.0}, "spend should be a positive amount"),
    ({"rate": 0.5}, r"rate should be above 0 and below the ceiling \(0.5\)"),
    ({"rate": np.nan}, "rate should be a finite number"),
])
def test_response_curve_names_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        response_curve(**({"ceiling": 0.5, "spend": 20.0, "rate": 0.2} | kwargs))
    with pytest.raises(ValueError, match="spending should be a finite amount of at least 0"):
        response_curve(0.5, 20.0, 0.2)(-1.0)


# ---- the best split of a budget ------------------------------------------------------------------------

def grid_best(budget, acquisition, retention, margin, rate, points=200_001):
    shares = np.linspace(0.0, 1.0, points)
    values = customer_equity(margin, acquisition(shares * budget), shares * budget, retention((1 - shares) * budget),
                             (1 - shares) * budget, rate)
    return shares[np.argmax(values)], values.max()


@pytest.mark.parametrize("budget, acquisition, retention, margin, rate", [
    (50.0, (0.5, 20.0, 0.2), (0.8, 20.0, 0.5), 200.0, 0.10),
    (80.0, (0.3, 10.0, 0.1), (0.9, 30.0, 0.6), 150.0, 0.12),
    (20.0, (0.6, 30.0, 0.2), (0.7, 5.0, 0.4), 60.0, 0.05),
])
def test_the_best_split_beats_a_fine_grid(budget, acquisition, retention, margin, rate):
    best = optimal_budget_split(budget, response_curve(*acquisition), response_curve(*retention), margin, rate)
    share, value = grid_best(budget, response_curve(*acquisition), response_curve(*retention), margin, rate)
    # Judged by the objective: at least as good as every one of 200,001 splits, and next to the grid's best.
    assert best["customer_equity"] >= value - 1e-9 * abs(value)
    assert best["acquisition_share"] == pytest.approx(share, abs=1e-4)
    assert best["acquisition_spend"] + best["retention_spend"] == pytest.approx(budget)
    assert best["customer_equity"] == pytest.approx(customer_equity(
        margin, best["acquisition_rate"], best["acquisition_spend"], best["retention_rate"], best["retention_spend"], rate))


def test_corner_solutions_are_found():
    # Retention that buys nothing: every dollar goes to acquisition.
    best = optimal_budget_split(40.0, response_curve(0.5, 20.0, 0.2), lambda spend: 0.3, 100.0, 0.1)
    assert best["acquisition_share"] == 1.0 and best["retention_spend"] == 0.0
    # Acquisition that costs nothing to reach its rate: every dollar goes to retention.
    best = optimal_budget_split(40.0, lambda spend: 0.2, response_curve(0.9, 10.0, 0.5), 100.0, 0.1)
    assert best["acquisition_share"] == 0.0 and best["retention_rate"] == pytest.approx(response_curve(0.9, 10.0, 0.5)(40.0))


def test_the_best_split_is_the_same_in_any_currency():
    dollars = optimal_budget_split(50.0, response_curve(0.5, 20.0, 0.2), response_curve(0.8, 20.0, 0.5), 200.0, 0.1)
    cents = optimal_budget_split(5000.0, response_curve(0.5, 2000.0, 0.2), response_curve(0.8, 2000.0, 0.5), 20000.0, 0.1)
    assert cents["acquisition_share"] == pytest.approx(dollars["acquisition_share"], abs=1e-6)
    assert cents["customer_equity"] == pytest.approx(100 * dollars["customer_equity"], rel=1e-9)


def test_the_best_split_names_bad_input():
    acquisition, retention = response_curve(0.5, 20.0, 0.2), response_curve(0.8, 20.0, 0.5)
    with pytest.raises(ValueError, match="budget should be a positive amount"):
        optimal_budget_split(0.0, acquisition, retention, 200.0, 0.1)
    with pytest.raises(TypeError, match="acquisition_response should be a function of spending"):
        optimal_budget_split(50.0, 0.2, retention, 200.0, 0.1)
    with pytest.raises(ValueError, match=r"retention_response\(50\) gave 1.0; expected a rate from 0 up to but excluding 1"):
        optimal_budget_split(50.0, acquisition, lambda spend: 1.0, 200.0, 0.1)
    with pytest.raises(ValueError, match="grid_points should be a whole number of at least 3"):
        optimal_budget_split(50.0, acquisition, retention, 200.0, 0.1, grid_points=2)

"""The simple customer lifetime value, worked by hand, by its series, and at its edges."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customering_utils.economics import simple_clv


def test_hand_worked_infinite_horizon():
    # 100 * 0.8 / (1 + 0.1 - 0.8) = 80 / 0.3
    assert simple_clv(100, 0.8, 0.1) == pytest.approx(266.6666666667)
    # No discounting: 100 * 0.5 / (1 - 0.5) = 100, the expected 1 further year of a 50% stayer.
    assert simple_clv(100, 0.5, 0.0) == pytest.approx(100.0)
    # Nobody comes back: no future margin.
    assert simple_clv(100, 0.0, 0.1) == 0.0


def test_hand_worked_finite_horizon():
    # Two years: 100 * 0.8 / 1.1 + 100 * 0.64 / 1.21 = 72.727... + 52.892... = 125.619...
    assert simple_clv(100, 0.8, 0.1, periods=2) == pytest.approx(100 * 0.8 / 1.1 + 100 * 0.64 / 1.21)
    assert round(simple_clv(100, 0.8, 0.1, periods=2), 2) == 125.62
    # One year: the margin of next year, if the customer stays, in today's money.
    assert simple_clv(250, 0.6, 0.12, periods=1) == pytest.approx(250 * 0.6 / 1.12)


def test_scalars_give_floats_and_arrays_broadcast():
    assert type(simple_clv(100, 0.8, 0.1)) is float
    assert type(simple_clv(np.float64(100), np.float64(0.8), 0.1, periods=np.int64(3))) is float
    grid = simple_clv(100, np.array([0.0, 0.5, 0.8]), np.array([[0.0], [0.1]]))
    assert grid.shape == (2, 3)
    # retention 0.5, discount 0.1: 50 / 0.6; retention 0.8, discount 0: 80 / 0.2
    assert grid[1, 1] == pytest.approx(50 / 0.6) and grid[0, 2] == pytest.approx(400.0)


def test_inputs_are_not_changed():
    retention = np.array([0.2, 0.4])
    simple_clv(10, retention, 0.1)
    assert retention.tolist() == [0.2, 0.4]


@settings(max_examples=200, deadline=None)
@given(margin=st.floats(-1e4, 1e4), retention=st.floats(0, 0.99), discount=st.floats(0, 0.5),
       periods=st.integers(1, 60))
def test_finite_sum_is_the_series_term_by_term(margin, retention, discount, periods):
    terms = [margin * retention**t / (1 + discount) ** t for t in range(1, periods + 1)]
    assert simple_clv(margin, retention, discount, periods=periods) == pytest.approx(sum(terms), rel=1e-9, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(margin=st.floats(0.01, 1e4), retention=st.floats(0, 0.95), discount=st.floats(0, 0.5))
def test_finite_sums_grow_towards_the_closed_form(margin, retention, discount):
    closed = simple_clv(margin, retention, discount)
    sums = [simple_clv(margin, retention, discount, periods=t) for t in (1, 5, 20, 1000)]
    assert all(a <= b + 1e-9 for a, b in zip(sums, sums[1:], strict=False))
    assert all(s <= closed + 1e-9 for s in sums)
    assert sums[-1] == pytest.approx(closed, rel=1e-9, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(margin=st.floats(0.01, 1e4), low=st.floats(0, 0.98), step=st.floats(0.001, 0.5), discount=st.floats(0, 0.5))
def test_more_retention_or_less_discounting_is_worth_more(margin, low, step, discount):
    high = min(low + step, 0.99)
    assert simple_clv(margin, high, discount) >= simple_clv(margin, low, discount)
    assert simple_clv(margin, low, discount) >= simple_clv(margin, low, discount + step)
    assert simple_clv(2 * margin, low, discount) == pytest.approx(2 * simple_clv(margin, low, discount))


@pytest.mark.parametrize("kwargs, message", [
    ({"retention": 1.0}, "retention should be a probability from 0 up to but excluding 1"),
    ({"retention": -0.1}, "retention should be a probability"),
    ({"retention": np.nan}, "retention should be a probability"),
    ({"retention": [0.5, 1.2]}, "retention should be a probability"),
    ({"discount_rate": -0.05}, "discount_rate should be a finite rate per period of at least 0"),
    ({"discount_rate": np.inf}, "discount_rate should be a finite rate"),
    ({"margin": np.inf}, "margin should be a finite amount per period"),
    ({"periods": 0}, "periods should be None .* or a whole number of periods, at least 1"),
    ({"periods": 2.5}, "periods should be None"),
    ({"periods": True}, "periods should be None"),
])
def test_bad_input_is_named(kwargs, message):
    arguments = {"margin": 100.0, "retention": 0.8, "discount_rate": 0.1} | kwargs
    with pytest.raises(ValueError, match=message):
        simple_clv(**arguments)

"""Revenue per customer, the Pareto table, the Lorenz curve and the Gini, worked by hand and by property."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customering_utils import concentration


def purchases(rows: list[tuple[int, float]]) -> pd.DataFrame:
    """A transactions table from (customer_id, amount) pairs, all on one day."""
    return pd.DataFrame({
        "customer_id": [customer for customer, _ in rows],
        "date": pd.Timestamp("2025-01-01"),
        "amount": [amount for _, amount in rows],
    })


# Five customers. Revenue: 1 -> 10 + 30 = 40; 2 -> 25; 3 -> 20; 4 -> 10; 5 -> 5. Total 100.
FIVE = purchases([(1, 10.0), (2, 25.0), (3, 20.0), (4, 10.0), (5, 5.0), (1, 30.0)])


def test_customer_revenue_sums_and_sorts():
    revenue = concentration.customer_revenue(FIVE)
    assert revenue.to_dict() == {1: 40.0, 2: 25.0, 3: 20.0, 4: 10.0, 5: 5.0}
    assert revenue.index.tolist() == [1, 2, 3, 4, 5]
    assert revenue.name == "revenue" and revenue.index.name == "customer_id"


def test_equal_revenue_keeps_id_order():
    revenue = concentration.customer_revenue(purchases([(9, 5.0), (3, 5.0), (7, 8.0)]))
    assert revenue.index.tolist() == [7, 3, 9]


def test_pareto_table_hand_worked():
    table = concentration.pareto_table(FIVE, shares=[0.2, 0.5, 1.0])
    # top 20%: ceil(0.2 * 5) = 1 customer, 40 of 100. top 50%: ceil(2.5) = 3 customers, 40 + 25 + 20 = 85.
    assert table["customers"].tolist() == [1, 3, 5]
    assert table["revenue"].tolist() == [40.0, 85.0, 100.0]
    assert table["revenue_share"].tolist() == pytest.approx([0.40, 0.85, 1.0])
    assert table.index.name == "top_share" and table.index.tolist() == [0.2, 0.5, 1.0]
    assert table.columns.tolist() == ["customers", "revenue", "revenue_share"]


def test_pareto_default_shares_and_rounding():
    table = concentration.pareto_table(FIVE)
    # 1% of 5 customers is 0.05: at least one customer is always counted.
    assert table.index.tolist() == [0.01, 0.05, 0.10, 0.20, 0.50]
    assert table["customers"].tolist() == [1, 1, 1, 1, 3]
    hundred = purchases([(customer, 1.0) for customer in range(100)])
    # 0.07 * 100 is 7.000000000000001 in floating point; the top 7% is 7 customers, not 8.
    assert concentration.pareto_table(hundred, shares=[0.07])["customers"].tolist() == [7]


def test_lorenz_curve_hand_worked():
    curve = concentration.lorenz_curve(pd.Series([40.0, 25.0, 20.0, 10.0, 5.0]))
    # Ascending 5, 10, 20, 25, 40: cumulative 0, 5, 15, 35, 60, 100 of 100.
    assert curve["customer_share"].tolist() == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert curve["revenue_share"].tolist() == pytest.approx([0, 0.05, 0.15, 0.35, 0.60, 1.0])
    assert curve.columns.tolist() == ["customer_share", "revenue_share"]


@pytest.mark.parametrize("values, expected", [
    ([5, 5, 5, 5], 0.0),  # all equal
    ([0, 0, 0, 10], 0.75),  # weights -3, -1, 1, 3: 3 * 10 / (4 * 10)
    ([1, 2, 3, 4], 0.25),  # (-3 - 2 + 3 + 12) / (4 * 10)
    ([4, 1, 3, 2], 0.25),  # order does not matter
    ([2, 2, 8], 1 / 3),  # pairs |2-2|, |2-8|, |2-8| = 12, twice = 24; 2 * 9 * 4 = 72
    ([7], 0.0),  # one customer: nothing to compare
])
def test_gini_hand_worked(values, expected):
    assert concentration.gini(values) == pytest.approx(expected, abs=1e-12)
    assert isinstance(concentration.gini(values), float)


def test_world_gini_matches_its_definition(world):
    revenue = concentration.customer_revenue(world.transactions).to_numpy()
    sample = revenue[:500]  # the double sum over all pairs, on a sample small enough to run fast
    pairwise = np.abs(sample[:, None] - sample[None, :]).sum() / (2 * sample.size**2 * sample.mean())
    assert concentration.gini(sample) == pytest.approx(pairwise)
    assert 0.3 < concentration.gini(revenue) < 0.9


def test_inputs_are_not_changed():
    table = FIVE.copy()
    values = np.array([3.0, 1.0, 2.0])
    concentration.customer_revenue(table)
    concentration.pareto_table(table)
    concentration.lorenz_curve(values)
    concentration.gini(values)
    pd.testing.assert_frame_equal(table, FIVE)
    assert values.tolist() == [3.0, 1.0, 2.0]


# Amounts of money: zero, or from a tenth of a cent to a million dollars (no subnormal floats).
amounts = st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 1e6)), min_size=1, max_size=60).filter(
    lambda xs: sum(xs) > 0
)


@settings(max_examples=150, deadline=None)
@given(values=amounts, scale=st.floats(0.01, 1000), seed=st.integers(0, 2**32 - 1))
def test_gini_properties(values, scale, seed):
    g = concentration.gini(values)
    n = len(values)
    assert 0 <= g <= (n - 1) / n + 1e-12
    assert concentration.gini([scale * v for v in values]) == pytest.approx(g, abs=1e-9)
    shuffled = np.random.default_rng(seed).permutation(values)
    assert concentration.gini(shuffled) == pytest.approx(g, abs=1e-9)
    x = np.asarray(values)
    assert g == pytest.approx(np.abs(x[:, None] - x[None, :]).sum() / (2 * n * x.sum()), abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(values=amounts)
def test_lorenz_curve_properties(values):
    curve = concentration.lorenz_curve(values)
    x, y = curve["customer_share"].to_numpy(), curve["revenue_share"].to_numpy()
    assert len(curve) == len(values) + 1
    assert (x[0], y[0]) == (0.0, 0.0) and x[-1] == 1.0 and y[-1] == pytest.approx(1.0)
    assert (np.diff(x) > 0).all() and (np.diff(y) >= -1e-12).all()  # monotone
    assert (np.diff(np.diff(y)) >= -1e-12).all()  # convex: smallest customers first
    assert (y <= x + 1e-12).all()  # never above the diagonal
    # The Gini is 1 minus twice the area under the curve (trapezoids).
    area = np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2)
    assert concentration.gini(values) == pytest.approx(1 - 2 * area, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(1, 20), st.floats(0.01, 1000)), min_size=1, max_size=50),
       shares=st.lists(st.floats(0.01, 1.0), min_size=1, max_size=5))
def test_pareto_table_properties(rows, shares):
    table = concentration.pareto_table(purchases(rows), shares=sorted(shares))
    n = len({customer for customer, _ in rows})
    assert (table["customers"] >= 1).all() and (table["customers"] <= n).all()
    assert (np.diff(table["revenue_share"]) >= -1e-12).all()
    # The top customers hold at least their share of revenue.
    assert (table["revenue_share"] >= table["customers"] / n - 1e-9).all()


@pytest.mark.parametrize("function", [concentration.lorenz_curve, concentration.gini])
@pytest.mark.parametrize("values, error, message", [
    ([], ValueError, "values is empty; expected one number per customer"),
    ([1.0, np.nan], ValueError, r"values has 1 missing \(NaN\) entry; expected a number for every customer"),
    ([1.0, -2.0], ValueError, r"values has negative entries \(smallest: -2.0\)"),
    ([0.0, 0.0], ValueError, "values sum to 0"),
    ([1.0, np.inf], ValueError, "values has infinite entries"),
    (pd.DataFrame({"a": [1.0]}), TypeError, "got a DataFrame; pass one column"),
    (["a", "b"], TypeError, "values should be numbers"),
])
def test_bad_values_are_named(function, values, error, message):
    with pytest.raises(error, match=message):
        function(values)


@pytest.mark.parametrize("call, message", [
    (lambda: concentration.customer_revenue(FIVE.drop(columns="amount")), "transactions is missing column 'amount'"),
    (lambda: concentration.customer_revenue(FIVE.assign(amount=[10.0, -25.0, 20.0, 10.0, 5.0, 30.0])),
     r"column 'amount' has 1 negative value \(first: -25.0 at index 1\); expected amounts of at least 0 US dollars"),
    (lambda: concentration.customer_revenue(FIVE.assign(customer_id=[1, None, 3, 4, 5, 1])),
     "column 'customer_id' has 1 missing value"),
    (lambda: concentration.customer_revenue(FIVE.iloc[:0]), "transactions is empty"),
    (lambda: concentration.pareto_table(FIVE, shares=[0.2, 20]),
     "shares should be fractions of customers above 0 and at most 1"),
    (lambda: concentration.pareto_table(FIVE, shares=[0]), "shares should be fractions"),
    (lambda: concentration.pareto_table(FIVE.assign(amount=0.0)), "sums to 0 US dollars"),
])
def test_bad_tables_and_shares_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()



# --- top_share and customer_values ---------------------------------------------------------

def test_top_share_hand_worked_and_as_the_pareto_table():
    # FIVE: revenue 40, 25, 20, 10, 5 (total 100). Top 20% = 1 customer (40); top 50% = ceil(2.5) = 3 (85).
    revenue = concentration.customer_revenue(FIVE)
    assert concentration.top_share(revenue, 0.2) == pytest.approx(0.40)
    assert concentration.top_share(revenue.sample(frac=1, random_state=1), 0.5) == pytest.approx(0.85)
    assert concentration.top_share(revenue) == concentration.top_share(revenue, 0.20)  # the default
    table = concentration.pareto_table(FIVE, shares=[0.2, 0.5, 1.0])
    assert [concentration.top_share(revenue, s) for s in (0.2, 0.5, 1.0)] == pytest.approx(table["revenue_share"].tolist())


def test_top_share_agrees_with_the_pareto_table_on_the_world(world):
    revenue = concentration.customer_revenue(world.transactions)
    table = concentration.pareto_table(world.transactions, shares=[0.01, 0.07, 0.2])
    assert [concentration.top_share(revenue.to_numpy(), s) for s in (0.01, 0.07, 0.2)] == pytest.approx(
        table["revenue_share"].tolist())


def test_customer_values_by_measure_and_year():
    table = FIVE.assign(date=pd.to_datetime(["2024-05-01", "2025-01-01", "2025-02-01", "2024-03-01", "2025-03-01",
                                             "2025-04-01"]))
    assert concentration.customer_values(table).to_dict() == {1: 40.0, 2: 25.0, 3: 20.0, 4: 10.0, 5: 5.0}
    assert concentration.customer_values(table, "purchases").to_dict() == {1: 2, 2: 1, 3: 1, 4: 1, 5: 1}
    # 2025: customer 1's second purchase (30), 2, 3 and 5; customer 4 bought only in 2024.
    assert concentration.customer_values(table, "revenue", year=2025).to_dict() == {1: 30.0, 2: 25.0, 3: 20.0, 5: 5.0}
    assert concentration.customer_values(table, "purchases", year=2024).name == "purchases"


def test_customer_values_agrees_with_customer_revenue_on_the_world(world):
    values = concentration.customer_values(world.transactions)
    pd.testing.assert_series_equal(values.sort_index(), concentration.customer_revenue(world.transactions).sort_index(),
                                   check_names=False)
    assert concentration.customer_values(world.transactions, "purchases").sum() == len(world.transactions)


@settings(max_examples=100, deadline=None)
@given(values=amounts, share=st.floats(0.01, 1.0))
def test_top_share_properties(values, share):
    top = concentration.top_share(values, share)
    assert -1e-12 <= top <= 1 + 1e-12
    n = len(values)
    # The top customers hold at least their share of the total, and all of them hold it all.
    assert top >= np.ceil(round(share * n, 9)) / n - 1e-9
    assert concentration.top_share(values, 1.0) == pytest.approx(1.0)


@pytest.mark.parametrize("call, message", [
    (lambda: concentration.top_share([1.0, 2.0], 0), "share should be a fraction of customers above 0 and at most 1"),
    (lambda: concentration.top_share([1.0, 2.0], 1.5), "share should be a fraction"),
    (lambda: concentration.top_share([1.0, 2.0], True), "share should be a fraction"),
    (lambda: concentration.top_share([0.0, 0.0]), "values sum to 0"),
    (lambda: concentration.customer_values(FIVE, "visits"), r"measure should be one of \['revenue', 'purchases'\]"),
    (lambda: concentration.customer_values(FIVE, year=2030), "transactions have no purchase in 2030"),
    (lambda: concentration.customer_values(FIVE, year="2025"), "year should be a calendar year such as 2025"),
    (lambda: concentration.customer_values(FIVE.drop(columns="date")), "transactions is missing column 'date'"),
])
def test_bad_shares_measures_and_years_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()

"""Active customers and period retention, on tiny purchase tables worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customering_utils import activity


def purchases(rows: list[tuple[int, str]]) -> pd.DataFrame:
    """A transactions table from (customer_id, date) pairs; every amount is $10."""
    return pd.DataFrame(
        {
            "customer_id": [customer for customer, _ in rows],
            "date": pd.to_datetime([day for _, day in rows]),
            "amount": 10.0,
        },
        index=pd.Index(range(1, len(rows) + 1), name="transaction_id"),
    )


# --- active_customers ---------------------------------------------------------------------

def test_active_customers_hand_worked_months():
    table = purchases([(1, "2025-01-01"), (2, "2025-01-20"), (1, "2025-02-10"), (3, "2025-03-01")])
    active = activity.active_customers(table, freq="MS", window_days=31)
    # 1 Jan: window 2 Dec-1 Jan holds customer 1                        -> 1
    # 1 Feb: window 2 Jan-1 Feb holds customer 2 (1 Jan is 31 days back) -> 1
    # 1 Mar: window 30 Jan-1 Mar holds customer 1 (10 Feb) and 3 (1 Mar) -> 2
    assert active.tolist() == [1, 1, 2]
    assert active.index.tolist() == list(pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]))
    assert active.index.name == "date" and active.name == "active_customers"
    assert active.dtype == np.int64


def test_a_customer_who_buys_twice_in_the_window_counts_once():
    table = purchases([(7, "2025-01-01"), (7, "2025-01-02"), (7, "2025-01-03")])
    assert activity.active_customers(table, freq="D", window_days=365).tolist() == [1, 1, 1]


def test_window_edges_first_day_in_and_day_before_out():
    # A 10-day window on 11 January runs from 2 January to 11 January, both included.
    inside = purchases([(1, "2025-01-02"), (2, "2025-01-11")])
    outside = purchases([(1, "2025-01-01"), (2, "2025-01-11")])
    on_11th = pd.Timestamp("2025-01-11")
    assert activity.active_customers(inside, freq="D", window_days=10)[on_11th] == 2
    assert activity.active_customers(outside, freq="D", window_days=10)[on_11th] == 1


def test_times_of_day_are_ignored_and_text_dates_are_read():
    table = pd.DataFrame(
        {"customer_id": [1, 2], "date": ["2025-01-01 09:30", "2025-01-31 23:59"], "amount": [5.0, 6.0]}
    )
    # 31 January, 30-day window: 2 January to 31 January. The 1 January purchase is out, whatever its time.
    active = activity.active_customers(table, freq="D", window_days=30)
    assert active.iloc[0] == 1 and active.iloc[-1] == 1
    assert len(active) == 31


def test_calendar_runs_from_first_to_last_purchase():
    table = purchases([(1, "2024-03-15"), (2, "2024-07-02")])
    # Month starts between 15 March and 2 July: April, May, June, July.
    assert activity.active_customers(table).index.month.tolist() == [4, 5, 6, 7]


def test_active_customers_does_not_change_its_input():
    table = purchases([(1, "2025-01-01"), (2, "2025-02-01")])
    before = table.copy()
    activity.active_customers(table)
    pd.testing.assert_frame_equal(table, before)


def test_world_year_end_matches_the_calendar_year(world):
    # 2025 has 365 days, so "bought in the 365 days to 31 December 2025" is "bought in 2025".
    active = activity.active_customers(world.transactions, freq="ME")
    buyers_2025 = world.transactions.loc[world.transactions["date"].dt.year == 2025, "customer_id"].nunique()
    assert active.index[-1] == pd.Timestamp("2025-12-31")
    assert active.iloc[-1] == buyers_2025
    assert activity.period_retention(world.transactions)["active"].iloc[-1] == buyers_2025


dates = st.dates(min_value=pd.Timestamp("2024-01-01").date(), max_value=pd.Timestamp("2024-06-30").date())


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(1, 8), dates), min_size=1, max_size=30), window=st.integers(1, 120))
def test_active_customers_matches_a_direct_count(rows, window):
    table = purchases([(customer, str(day)) for customer, day in rows])
    days = table["date"].to_numpy()
    ids = table["customer_id"].to_numpy()
    active = activity.active_customers(table, freq="D", window_days=window)
    for day, count in active.items():
        recent = (days > (day - pd.Timedelta(days=window)).to_datetime64()) & (days <= day.to_datetime64())
        assert count == len(set(ids[recent]))
    # With a window longer than the data, everyone who has bought so far is active.
    everyone = activity.active_customers(table, freq="D", window_days=400)
    for day, count in everyone.items():
        assert count == len(set(ids[days <= day.to_datetime64()]))


# --- period_retention ---------------------------------------------------------------------

def test_period_retention_hand_worked_years():
    table = purchases([
        (1, "2023-03-01"), (2, "2023-06-01"), (3, "2023-12-31"), (4, "2023-12-31"),  # 2023: 1, 2, 3, 4
        (1, "2024-01-01"), (3, "2024-05-05"), (3, "2024-08-08"), (5, "2024-09-09"),  # 2024: 1, 3, 5
        (5, "2025-02-02"), (1, "2025-11-11"), (6, "2025-12-31"),                      # 2025: 1, 5, 6
    ])
    table_ = activity.period_retention(table)
    # 2024 kept 1 and 3 of 2023's four: 2 / 4 = 0.5. 2025 kept 1 and 5 of 2024's three: 2 / 3.
    assert table_.index.tolist() == list(pd.to_datetime(["2023-01-01", "2024-01-01", "2025-01-01"]))
    assert table_.index.name == "period"
    assert table_["active"].tolist() == [4, 3, 3]
    assert table_["retained"].iloc[0] is pd.NA
    assert table_["retained"].iloc[1:].tolist() == [2, 2]
    assert np.isnan(table_["retention"].iloc[0])
    assert table_["retention"].iloc[1:].tolist() == pytest.approx([0.5, 2 / 3])
    assert table_.columns.tolist() == ["active", "retained", "retention"]


def test_a_first_partial_period_starts_on_the_calendar_boundary():
    table = purchases([(1, "2024-03-15"), (1, "2024-05-01"), (2, "2024-08-20")])
    quarters = activity.period_retention(table, freq="QS")
    # Q1 (from 1 January): customer 1. Q2: customer 1 again (1/1). Q3: customer 2 only (0/1).
    assert quarters.index.tolist() == list(pd.to_datetime(["2024-01-01", "2024-04-01", "2024-07-01"]))
    assert quarters["active"].tolist() == [1, 1, 1]
    assert quarters["retention"].iloc[1:].tolist() == [1.0, 0.0]


def test_an_empty_period_has_no_active_customers_and_no_retention_after_it():
    table = purchases([(1, "2022-05-01"), (1, "2024-05-01")])
    table_ = activity.period_retention(table)
    assert table_["active"].tolist() == [1, 0, 1]
    assert table_["retained"].iloc[1:].tolist() == [0, 0]
    assert table_["retention"].iloc[1] == 0.0
    assert np.isnan(table_["retention"].iloc[2])  # nobody to retain from 2023


def test_world_retention_matches_sets_of_buyers(world):
    tx = world.transactions
    year = tx["date"].dt.year
    buyers = {y: set(tx.loc[year == y, "customer_id"]) for y in (2023, 2024, 2025)}
    table = activity.period_retention(tx)
    assert table["active"].tolist() == [len(buyers[y]) for y in (2023, 2024, 2025)]
    assert table["retention"].iloc[2] == pytest.approx(len(buyers[2024] & buyers[2025]) / len(buyers[2024]))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(1, 8), dates), min_size=1, max_size=30))
def test_retention_is_a_share_of_the_previous_period(rows):
    table = activity.period_retention(purchases([(c, str(d)) for c, d in rows]), freq="MS")
    previous = table["active"].shift(1).iloc[1:]
    retained = table["retained"].iloc[1:].astype(int)
    assert (retained <= previous).all() and (retained <= table["active"].iloc[1:]).all()
    shares = table["retention"].iloc[1:].dropna()
    assert ((shares >= 0) & (shares <= 1)).all()


# --- bad input --------------------------------------------------------------------------

GOOD = purchases([(1, "2025-01-01"), (2, "2025-02-01")])


@pytest.mark.parametrize("function", [activity.active_customers, activity.period_retention])
@pytest.mark.parametrize("table, error, message", [
    (GOOD.drop(columns="date"), ValueError, "transactions is missing column 'date'"),
    (GOOD.drop(columns="customer_id"), ValueError, "transactions is missing column 'customer_id'"),
    (GOOD.iloc[:0], ValueError, r"transactions is empty \(0 rows\)"),
    (GOOD.assign(customer_id=[1.0, np.nan]), ValueError,
     r"column 'customer_id' has 1 missing value \(first at transaction_id 2\); expected an id on every row"),
    (GOOD.assign(date=["2025-01-01", "next week"]), ValueError,
     r"column 'date' should hold dates \(YYYY-MM-DD\), but transaction_id 2 has 'next week'"),
    (GOOD.assign(date=[pd.NaT, pd.Timestamp("2025-01-01")]), ValueError, "column 'date' has 1 missing value"),
    (GOOD[["customer_id", "date"]].to_dict(), TypeError, "transactions should be a pandas DataFrame, got dict"),
])
def test_bad_tables_are_named(function, table, error, message):
    with pytest.raises(error, match=message):
        function(table)


@pytest.mark.parametrize("call, message", [
    (lambda: activity.active_customers(GOOD, window_days=0),
     "window_days should be a whole number of days, at least 1"),
    (lambda: activity.active_customers(GOOD, window_days=30.5), "window_days should be a whole number of days"),
    (lambda: activity.active_customers(GOOD, freq="monthly"), "freq should be a pandas frequency such as 'MS'"),
    (lambda: activity.period_retention(GOOD, freq="yearly"), "freq should be a pandas frequency"),
    (lambda: activity.active_customers(GOOD, freq="YE"), "no 'YE' date falls between the first purchase"),
])
def test_bad_options_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- window_errors ------------------------------------------------------------------------

def test_window_errors_hand_worked():
    # On 31 March: customer 1 bought on 1 March and stays; 2 bought on 20 March and has left;
    # 3 bought on 1 February and stays. A 31-day window runs from 1 March to 31 March.
    table = purchases([(1, "2025-03-01"), (2, "2025-03-20"), (3, "2025-02-01")])
    still = pd.Series({1: True, 2: False, 3: True})
    errors = activity.window_errors(table, still, on="2025-03-31", windows=[31, 60])
    assert errors.index.tolist() == [31, 60] and errors.index.name == "window_days"
    # 31 days: 1 and 2 active; 2 counted but gone, 3 missed. 60 days: all three; 2 counted but gone.
    assert errors["active"].tolist() == [2, 3]
    assert errors["still_customers"].tolist() == [2, 2]
    assert errors["counted_but_gone"].tolist() == [1, 1]
    assert errors["missed"].tolist() == [1, 0]
    assert errors["misclassified"].tolist() == [2, 1]
    assert errors["misclassified_share"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert errors["overcount"].tolist() == pytest.approx([0.0, 0.5])
    assert errors.attrs["on"] == pd.Timestamp("2025-03-31")


def test_window_errors_edges_and_later_purchases():
    # A 10-day window on 11 January runs from 2 January to 11 January, both included;
    # a purchase after the day counted on is ignored.
    table = purchases([(1, "2025-01-02"), (2, "2025-01-01"), (3, "2025-01-12"), (3, "2024-12-01")])
    still = pd.Series({1: True, 2: True, 3: True, 4: True})  # 4 never bought: not active
    errors = activity.window_errors(table, still, on="2025-01-11", windows=10)
    assert errors.loc[10, "active"] == 1  # customer 1 only
    assert errors.loc[10, "missed"] == 3 and errors.loc[10, "counted_but_gone"] == 0


def test_window_errors_matches_active_customers_and_the_lessons_crosstab(world):
    still = ~world.truth.customers["churned"]
    errors = activity.window_errors(world.transactions, still, on="2025-12-31", windows=[90, 365, 730])
    for window in (90, 365, 730):
        counts = activity.active_customers(world.transactions, freq="ME", window_days=window)
        assert errors.loc[window, "active"] == counts.iloc[-1]
    # The numbers lesson 0a quotes: 6,972 counted active against 6,210 still there; 1,885 + 1,123 wrong.
    assert errors.loc[365, ["active", "still_customers", "counted_but_gone", "missed"]].tolist() == [
        6972, 6210, 1885, 1123]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(1, 8), dates), min_size=1, max_size=30),
       alive=st.lists(st.booleans(), min_size=8, max_size=8), window=st.integers(1, 200))
def test_window_errors_counts_add_up(rows, alive, window):
    table = purchases([(customer, str(day)) for customer, day in rows])
    still = pd.Series(alive, index=range(1, 9))
    errors = activity.window_errors(table, still, on="2024-06-30", windows=[window]).iloc[0]
    assert errors["active"] - errors["counted_but_gone"] == int(still.sum()) - errors["missed"]  # both kinds right
    assert errors["misclassified"] == errors["counted_but_gone"] + errors["missed"]
    days, ids = table["date"].to_numpy(), table["customer_id"].to_numpy()
    day = pd.Timestamp("2024-06-30")
    recent = (days > (day - pd.Timedelta(days=window)).to_datetime64()) & (days <= day.to_datetime64())
    assert errors["active"] == len(set(ids[recent]))


@pytest.mark.parametrize("still, kwargs, error, message", [
    ([True, True], {}, TypeError, "still_customer should be a pandas Series of True/False indexed by customer_id"),
    (pd.Series({1: 1, 2: 0}), {}, ValueError, "still_customer should hold True or False for every customer"),
    (pd.Series({1: True}), {}, ValueError, r"still_customer has no row for 1 customer who bought up to 2025-03-01 \(first: 2\)"),
    (pd.Series([True, True, False], index=[1, 2, 2]), {}, ValueError, "still_customer has customer 2 twice"),
    (pd.Series({1: True, 2: True}), {"windows": [30, 0]}, ValueError, "window_days should be a whole number of days"),
    (pd.Series({1: True, 2: True}), {"windows": []}, ValueError, "windows is empty"),
    (pd.Series({1: True, 2: True}), {"on": "soon"}, ValueError, "on should be a date such as '2025-12-31'"),
])
def test_window_errors_rejects_what_it_cannot_use(still, kwargs, error, message):
    options = {"on": "2025-03-01", **kwargs}
    with pytest.raises(error, match=message):
        activity.window_errors(GOOD, still, **options)

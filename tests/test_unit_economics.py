"""Unit economics: acquisition cost, CLV from acquisition and by channel, CLV:CAC, cohort margin
curves and the payback period, by hand, against Module 1's CLV and the data world's own
counts, unchanged by the order of rows or a change of currency, with clear errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customering_utils import clv, economics, intervals, periods

END = "2025-12-31"


@pytest.fixture(scope="module")
def fitted(world):
    summary = clv.summarize(world.transactions, end=END)
    return summary, clv.BetaGeo().fit(summary), clv.GammaGamma().fit(summary)


def small_marketing() -> pd.DataFrame:
    return pd.DataFrame({"month": ["2025-01-01", "2025-01-01", "2025-02-01", "2025-02-01"],
                         "channel": ["search", "referral", "search", "referral"],
                         "spend": [1000.0, 100.0, 1200.0, 0.0], "new_customers": [20, 5, 30, 0]})


# ---- acquisition cost -----------------------------------------------------------------------------

def test_acquisition_cost_by_hand():
    marketing = small_marketing()
    before = marketing.copy()
    table = economics.acquisition_cost(marketing, overhead=0.10)
    pd.testing.assert_frame_equal(marketing, before)  # the input is left as it was
    assert table.index.names == ["channel", "month"]
    # search: (1000 + 100) / 20 in January, (1200 + 120) / 30 in February
    assert table.loc[("search", pd.Timestamp("2025-01-01")), "cac"] == pytest.approx(55.0)
    assert table.loc[("search", pd.Timestamp("2025-02-01")), "cac"] == pytest.approx(44.0)
    assert math.isnan(table.loc[("referral", pd.Timestamp("2025-02-01")), "cac"])  # no customers, no CAC
    by_channel = economics.acquisition_cost(marketing, overhead=0.10, by="channel")
    assert by_channel["cac"].to_dict() == pytest.approx({"referral": 22.0, "search": 48.4})
    overall = economics.acquisition_cost(marketing, overhead=0.10, by=None)
    assert overall.loc["all", "cac"] == pytest.approx((2300 * 1.1) / 55)
    assert "media spend + overhead + rewards" in overall.attrs["definition"]


def test_fixed_overhead_and_rewards_add_what_they_say():
    marketing = small_marketing()
    # $550 of fixed overhead over 55 new customers: $10 on every customer's CAC
    plain = economics.acquisition_cost(marketing, by="channel")
    loaded = economics.acquisition_cost(marketing, by="channel", overhead_amount=550.0)
    assert (loaded["cac"] - plain["cac"]).tolist() == pytest.approx([10.0, 10.0])
    # a $4 reward on each referral: 5 customers, $20 more cost
    rewarded = economics.acquisition_cost(marketing, by="channel", rewards={"referral": 4.0})
    assert rewarded.loc["referral", "rewards"] == 20.0 and rewarded.loc["referral", "cac"] == pytest.approx(24.0)
    assert rewarded.loc["search", "rewards"] == 0.0


def test_a_channel_is_never_free_unless_said_so():
    free = small_marketing().assign(spend=[1000.0, 0.0, 1200.0, 0.0])
    with pytest.raises(ValueError, match="channel 'referral' brought 5 new customers but has no spend"):
        economics.acquisition_cost(free)
    stated = economics.acquisition_cost(free, by="channel", rewards={"referral": 0.0})
    assert stated.loc["referral", "cac"] == 0.0


def test_acquisition_cost_on_the_data_world(world):
    table = economics.acquisition_cost(world.marketing, by="channel")
    assert table["new_customers"].sum() == len(world.customers)
    assert table["cost"].sum() == pytest.approx(world.marketing["spend"].sum())
    # The world's referral spend is the $20 bonus of each referred customer.
    assert table.loc["referral", "cac"] == pytest.approx(world.truth.params["channel_cac"][4])
    # Counting new customers from the customers table gives the marketing table's counts.
    counted = economics.acquisition_cost(world.marketing, customers=world.customers)
    stated = economics.acquisition_cost(world.marketing)
    pd.testing.assert_frame_equal(counted, stated)
    # The true mean CAC of each channel lies close to the observed one (noise of 12% a month).
    truth = dict(zip(world.truth.params["channels"], world.truth.params["channel_cac"], strict=True))
    for channel, cac in table["cac"].items():
        assert cac == pytest.approx(truth[channel], rel=0.05)


def test_acquisition_cost_ignores_the_order_of_rows_and_follows_the_currency(world):
    table = economics.acquisition_cost(world.marketing, overhead=0.2, by="channel", overhead_amount=1e4)
    shuffled = world.marketing.sample(frac=1.0, random_state=3)
    pd.testing.assert_frame_equal(economics.acquisition_cost(shuffled, overhead=0.2, by="channel", overhead_amount=1e4),
                                  table)
    cents = world.marketing.assign(spend=world.marketing["spend"] * 100)
    in_cents = economics.acquisition_cost(cents, overhead=0.2, by="channel", overhead_amount=1e6)
    np.testing.assert_allclose(in_cents["cac"], 100 * table["cac"], rtol=1e-12)


@pytest.mark.parametrize("change, message", [
    (lambda m: m.drop(columns="spend"), "marketing is missing column 'spend'"),
    (lambda m: m.assign(spend=[1.0, -2.0, 3.0, 0.0]), "marketing column 'spend' has 1 missing, unreadable, infinite or negative"),
    (lambda m: m.assign(month=["2025-01-01", "soon", "2025-02-01", "2025-02-01"]), "marketing column 'month' has 1 missing"),
    (lambda m: m.assign(new_customers=[20, 5.5, 30, 0]), "not whole numbers"),
    (lambda m: m.assign(channel=["search"] * 4), "more than one row for 2025-01 and channel 'search'"),
    (lambda m: m.iloc[:0], "marketing is empty"),
])
def test_acquisition_cost_names_bad_input(change, message):
    with pytest.raises(ValueError, match=message):
        economics.acquisition_cost(change(small_marketing()))


@pytest.mark.parametrize("kwargs, message", [
    ({"overhead": -0.1}, "overhead should be a share of media spend of at least 0"),
    ({"overhead_amount": np.inf}, "overhead_amount should be an amount of at least 0"),
    ({"by": "age_band"}, "by should name 'channel' and/or 'month'"),
    ({"rewards": {"tv": 5.0}}, "rewards names channel 'tv', which marketing does not have"),
    ({"rewards": {"referral": -5.0}}, r"rewards\['referral'\] should be an amount of at least 0"),
])
def test_acquisition_cost_names_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        economics.acquisition_cost(small_marketing(), **kwargs)


def test_customers_outside_the_marketing_table_are_named():
    customers = pd.DataFrame({"acquisition_date": pd.to_datetime(["2025-01-03", "2025-01-09"]),
                              "channel": ["search", "tv"]})
    with pytest.raises(ValueError, match="acquired in 2025-01 through channel 'tv', which marketing has no row for"):
        economics.acquisition_cost(small_marketing().drop(columns="new_customers"), customers=customers)


# ---- CLV from acquisition -----------------------------------------------------------------------

def test_clv_at_acquisition_by_hand():
    bg = clv.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    gg = clv.GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    tx = pd.DataFrame({"customer_id": [1, 1, 1], "amount": [100.0, 50.0, 70.0],
                       "date": pd.to_datetime(["2025-01-01", "2025-01-15", "2025-03-01"])})
    value = economics.clv_at_acquisition(tx, bg, gg, end="2025-03-31", horizon=4, margin=0.3, annual_discount_rate=0.1)
    # Four weeks from 1 January: the purchases of day 0 and day 14; the March one is outside.
    assert value.loc[1] == pytest.approx(0.3 * 100 + 0.3 * 50 * 1.1 ** (-14 / 365.25))
    assert value.attrs["horizon"] == 4.0 and value.attrs["time_unit"] == "W"


def test_clv_at_acquisition_is_realised_margin_plus_module_1s_clv_for_the_rest(world, fitted):
    summary, bg, gg = fitted
    horizon, margin, rate = 104.0, 0.3, 0.1
    value = economics.clv_at_acquisition(world.transactions, bg, gg, END, horizon=horizon, margin=margin,
                                         annual_discount_rate=rate)
    step = periods.per_period_rate(rate, "W")
    tx = world.transactions.assign(age=lambda t: (t["date"] - t.groupby("customer_id")["date"].transform("min")).dt.days / 7)
    inside = tx[tx["age"] < horizon]
    realised = (margin * inside["amount"] * (1 + step) ** -inside["age"]).groupby(inside["customer_id"]).sum()
    # Customers observed a whole number of weeks: the rest of the horizon is Module 1's CLV, a T later.
    whole = summary[(summary["T"] % 1 == 0) & (summary["T"] < horizon) & (summary["T"] > 0)].head(40)
    assert len(whole) >= 20
    for who, row in whole.iterrows():
        rest = clv.customer_lifetime_value(bg, gg, whole.loc[[who]], horizon=horizon - row["T"], margin=margin,
                                           annual_discount_rate=rate).iloc[0]
        assert value.loc[who] == pytest.approx(realised.loc[who] + rest * (1 + step) ** -row["T"], rel=1e-9)
    # Customers acquired two years or more ago: all realised.
    old = summary.index[summary["T"] >= horizon]
    np.testing.assert_allclose(value.loc[old], realised.reindex(old), rtol=1e-12)


def test_clv_at_acquisition_names_bad_input(fitted, world):
    _, bg, gg = fitted
    with pytest.raises(ValueError, match="horizon should be a positive length of time in weeks"):
        economics.clv_at_acquisition(world.transactions, bg, gg, END, horizon=0)
    with pytest.raises(ValueError, match="margin should be a share of revenue"):
        economics.clv_at_acquisition(world.transactions, bg, gg, END, margin=30)
    with pytest.raises(clv.NotFittedError, match="not fitted yet"):
        economics.clv_at_acquisition(world.transactions, clv.BetaGeo(), gg, END)


# ---- CLV by channel, and CLV:CAC ------------------------------------------------------------------

def test_clv_by_channel_by_hand_and_against_the_bootstrap():
    ids = pd.Index([4, 1, 3, 2, 5], name="customer_id")
    values = pd.Series([40.0, 10.0, 30.0, 20.0, 7.0], index=ids)
    customers = pd.DataFrame({"channel": ["social", "search", "social", "search", "display"]}, index=ids)
    table = economics.clv_by_channel(values, customers, n_resamples=500, seed=4)
    assert table.index.tolist() == ["display", "search", "social"]
    assert table["customers"].tolist() == [1, 2, 2]
    assert table["clv"].tolist() == [7.0, 15.0, 35.0] and table["clv_total"].tolist() == [7.0, 30.0, 70.0]
    expected = intervals.bootstrap([30.0, 40.0], np.mean, n_resamples=500, seed=4)  # social's customers 3 and 4, by id
    assert (table.loc["social", "clv_lower"], table.loc["social", "clv_upper"]) == (expected.lower, expected.upper)
    assert math.isnan(table.loc["display", "clv_lower"])  # one customer: no interval


def test_clv_by_channel_ignores_row_order_and_follows_the_currency(world, fitted):
    summary, bg, gg = fitted
    values = clv.customer_lifetime_value(bg, gg, summary)
    table = economics.clv_by_channel(values, world.customers, n_resamples=300)
    shuffled = economics.clv_by_channel(values.sample(frac=1.0, random_state=1),
                                        world.customers.sample(frac=1.0, random_state=2), n_resamples=300)
    pd.testing.assert_frame_equal(shuffled, table)
    cents = economics.clv_by_channel(values * 100, world.customers, n_resamples=300)
    np.testing.assert_allclose(cents[["clv", "clv_lower", "clv_upper"]], 100 * table[["clv", "clv_lower", "clv_upper"]],
                               rtol=1e-12)
    assert (table["clv_lower"] < table["clv"]).all() and (table["clv"] < table["clv_upper"]).all()
    # The channels lean towards frequent buyers as the simulation's value tilt says: referral first, display last.
    assert table["clv"].idxmax() == "referral" and table["clv"].idxmin() == "display"


def test_clv_to_cac_carries_the_interval_through():
    table = pd.DataFrame({"clv": [15.0, 35.0], "clv_lower": [10.0, 30.0], "clv_upper": [20.0, 40.0]},
                         index=pd.Index(["search", "social"], name="channel"))
    ratio = economics.clv_to_cac(table, pd.Series({"social": 20.0, "search": 10.0}))
    assert ratio["clv_to_cac"].tolist() == [1.5, 1.75]
    assert ratio["clv_to_cac_lower"].tolist() == [1.0, 1.5] and ratio["clv_to_cac_upper"].tolist() == [2.0, 2.0]
    costs = pd.DataFrame({"cac": [10.0, 20.0]}, index=["search", "social"])  # as acquisition_cost gives it
    pd.testing.assert_frame_equal(economics.clv_to_cac(table, costs), ratio)
    assert economics.clv_to_cac(table, 5.0)["clv_to_cac"].tolist() == [3.0, 7.0]
    with pytest.raises(ValueError, match="cac has no value for 'social'"):
        economics.clv_to_cac(table, pd.Series({"search": 10.0}))
    with pytest.raises(ValueError, match="cac of 'search' is nan; expected a positive cost"):
        economics.clv_to_cac(table, pd.Series({"search": np.nan, "social": 1.0}))
    with pytest.raises(ValueError, match="clv_table is missing column 'clv_lower'"):
        economics.clv_to_cac(table.drop(columns="clv_lower"), 5.0)


def test_clv_by_channel_names_bad_input():
    ids = pd.Index([1, 2], name="customer_id")
    customers = pd.DataFrame({"channel": ["search", "social"]}, index=ids)
    with pytest.raises(TypeError, match="values should be one value per customer"):
        economics.clv_by_channel(pd.DataFrame({"clv": [1.0, 2.0]}, index=ids), customers)
    with pytest.raises(ValueError, match="values has 1 missing, infinite or non-numeric value"):
        economics.clv_by_channel(pd.Series([1.0, np.nan], index=ids), customers)
    with pytest.raises(ValueError, match="1 customers of values are not in customers .first: 3"):
        economics.clv_by_channel(pd.Series([1.0, 2.0, 3.0], index=[1, 2, 3]), customers)
    with pytest.raises(ValueError, match="customers is missing column 'segment'"):
        economics.clv_by_channel(pd.Series([1.0, 2.0], index=ids), customers, by="segment")


# ---- cohort margin curves and payback -------------------------------------------------------------

def small_cohorts() -> tuple[pd.DataFrame, pd.DataFrame]:
    customers = pd.DataFrame({"acquisition_date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-03"]),
                              "channel": ["search", "social", "search"]}, index=pd.Index([1, 2, 3], name="customer_id"))
    tx = pd.DataFrame({"customer_id": [1, 2, 1, 3, 3, 1], "amount": [100.0, 40.0, 50.0, 80.0, 20.0, 10.0],
                       "date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-10", "2025-02-03", "2025-03-15",
                                               "2025-04-02"])})
    return customers, tx


def test_cohort_margin_curves_by_hand():
    customers, tx = small_cohorts()
    curves = economics.cohort_margin_curves(tx, customers, margin=0.5, end="2025-03-31")
    assert curves.index.names == ["cohort", "age"]
    assert curves["customers"].tolist() == [2, 2, 2, 1, 1]
    assert curves["margin"].tolist() == [70.0, 25.0, 0.0, 40.0, 10.0]  # April's purchase is after the end
    assert curves["margin_per_customer"].tolist() == [35.0, 12.5, 0.0, 40.0, 10.0]
    # Ended mid-April: April is not a whole month, so nothing changes.
    mid_april = economics.cohort_margin_curves(tx, customers, margin=0.5, end="2025-04-20")
    pd.testing.assert_frame_equal(mid_april, curves)
    by_channel = economics.cohort_margin_curves(tx, customers, margin=0.5, by="channel", end="2025-03-31")
    assert by_channel.loc[("social", pd.Timestamp("2025-01-01"), 0), "margin_per_customer"] == 20.0
    assert by_channel.loc[("search", pd.Timestamp("2025-01-01"), 1), "margin_per_customer"] == 25.0


def test_cohort_margin_curves_in_quarters_by_hand():
    customers, tx = small_cohorts()
    quarters = economics.cohort_margin_curves(tx, customers, margin=0.5, freq="QS", end="2025-06-30")
    # One cohort (the first quarter of 2025): $290 of revenue in it, $10 in the second quarter.
    assert quarters["customers"].tolist() == [3, 3]
    assert quarters["margin"].tolist() == [145.0, 5.0]
    with pytest.raises(ValueError, match="no customer was acquired before the last whole quarter"):
        economics.cohort_margin_curves(tx, customers, margin=0.5, freq="QS", end="2025-03-30")


def test_cohort_margin_curves_on_the_data_world(world):
    margin = world.truth.params["gross_margin"]
    curves = economics.cohort_margin_curves(world.transactions, world.customers, margin=margin, by="channel")
    # Every purchase of 2023-2025 falls in a whole month of its customer's cohort: nothing lost.
    assert curves["margin"].sum() == pytest.approx(margin * world.transactions["amount"].sum(), rel=1e-12)
    sizes = curves.groupby(["channel", "cohort"])["customers"].first().groupby("channel").sum()
    assert sizes.to_dict() == world.customers["channel"].value_counts().to_dict()
    shuffled = economics.cohort_margin_curves(world.transactions.sample(frac=1.0, random_state=5),
                                              world.customers.sample(frac=1.0, random_state=6), margin=margin, by="channel")
    pd.testing.assert_frame_equal(shuffled, curves)


def test_cohort_margin_curves_names_bad_input():
    customers, tx = small_cohorts()
    with pytest.raises(ValueError, match="freq should be 'MS' .months., 'QS' .quarters. or 'YS'"):
        economics.cohort_margin_curves(tx, customers, margin=0.5, freq="W")
    with pytest.raises(ValueError, match="customer 1 bought on 2025-01-05, before their acquisition_date 2025-01-06"):
        economics.cohort_margin_curves(tx, customers.assign(acquisition_date=customers["acquisition_date"]
                                                            + pd.Timedelta(days=1)), margin=0.5)
    with pytest.raises(ValueError, match="customers is missing column 'acquisition_date'"):
        economics.cohort_margin_curves(tx, customers.drop(columns="acquisition_date"), margin=0.5)
    with pytest.raises(ValueError, match="margin should be a share of revenue"):
        economics.cohort_margin_curves(tx, customers, margin=0.0)


def test_payback_period_by_hand():
    assert economics.payback_period([10, 8, 6, 5], cac=20, discount_rate=0.0) == pytest.approx(2 + 2 / 6)
    assert economics.payback_period([10, 8, 6, 5], cac=5, discount_rate=0.0) == pytest.approx(0.5)  # half the first month
    assert economics.payback_period([10, 8, 6, 5], cac=0, discount_rate=0.1) == 0.0
    assert economics.payback_period([10, 8, 6, 5], cac=29, discount_rate=0.0) == pytest.approx(4.0)  # the last month exactly
    assert economics.payback_period([10, 8, 6, 5], cac=29.01, discount_rate=0.0) == math.inf
    # A yearly 12.68% rate is 1% a month: month 1's $8 is worth 8 / 1.01 today.
    monthly = (1.01**12) - 1
    cumulative = 10 + 8 / 1.01
    assert economics.payback_period([10, 8, 6], cac=20, discount_rate=monthly) == pytest.approx(
        2 + (20 - cumulative) / (6 / 1.01**2))
    # Quarters: four periods a year.
    assert economics.payback_period([10, 8, 6], cac=20, discount_rate=monthly, periods_per_year=4) == pytest.approx(
        2 + (20 - 10 - 8 / 1.01**3) / (6 / 1.01**6))


@settings(max_examples=100, deadline=None)
@given(curve=st.lists(st.floats(0, 100), min_size=1, max_size=30), cac=st.floats(0.01, 500), rate=st.floats(0, 0.5),
       scale=st.sampled_from([0.01, 100.0, 1000.0]))
def test_payback_period_properties(curve, cac, rate, scale):
    months = economics.payback_period(curve, cac, rate)
    # A change of currency changes nothing.
    assert economics.payback_period(np.array(curve) * scale, cac * scale, rate) == pytest.approx(months, rel=1e-9)
    # Discounting never brings the payback earlier; a higher CAC never either.
    assert economics.payback_period(curve, cac, 0.0) <= months + 1e-9
    assert economics.payback_period(curve, cac * 1.5, rate) >= months - 1e-9
    if math.isfinite(months):
        # At the payback time the discounted margin, accrued evenly within each period, is the CAC.
        discounted = np.array(curve) * (1 + rate) ** (-np.arange(len(curve)) / 12)
        whole = int(math.floor(months))
        earned = discounted[:whole].sum() + (months - whole) * (discounted[whole] if whole < len(curve) else 0.0)
        assert earned == pytest.approx(cac, rel=1e-9, abs=1e-9)
    else:
        assert (np.array(curve) * (1 + rate) ** (-np.arange(len(curve)) / 12)).sum() < cac


@pytest.mark.parametrize("kwargs, error, message", [
    ({"margin_curve": []}, ValueError, "margin_curve is empty"),
    ({"margin_curve": [1.0, np.nan]}, ValueError, "margin_curve has missing or infinite values"),
    ({"margin_curve": pd.DataFrame({"a": [1.0]})}, TypeError, "margin_curve should be one margin per period"),
    ({"cac": -1.0}, ValueError, "cac should be a cost of at least 0 US dollars"),
    ({"discount_rate": -0.1}, ValueError, "discount_rate should be a yearly rate of at least 0"),
    ({"periods_per_year": 0}, ValueError, "periods_per_year should be a whole number of at least 1"),
])
def test_payback_period_names_bad_input(kwargs, error, message):
    arguments = {"margin_curve": [10.0, 8.0], "cac": 12.0, "discount_rate": 0.1} | kwargs
    with pytest.raises(error, match=message):
        economics.payback_period(**arguments)


def test_cohort_payback_by_hand():
    ids = pd.Index([1, 2, 3, 4], name="customer_id")
    customers = pd.DataFrame({"acquisition_date": pd.to_datetime(["2025-01-01"] * 4), "channel": "search"}, index=ids)
    tx = pd.DataFrame({"customer_id": [1, 2, 3, 4] * 3, "amount": [20.0, 20.0, 40.0, 0.0] * 3,
                       "date": pd.to_datetime(["2025-01-01"] * 4 + ["2025-02-01"] * 4 + ["2025-03-01"] * 4)})
    table = economics.cohort_payback(tx, customers, cac=25.0, margin=0.5, discount_rate=0.0, end="2025-03-31",
                                     n_resamples=400, seed=2)
    row = table.loc["search"]
    # $10 of margin per customer a month on average: $25 after 2.5 months.
    assert row["payback"] == pytest.approx(2.5) and row["paid_back"] and row["periods_observed"] == 3
    assert row["margin_observed"] == pytest.approx(30.0)
    assert row["payback_lower"] <= 2.5 <= row["payback_upper"]
    # A resample of four customers 4 (who never buy) never pays back: the upper end can be infinite.
    assert row["payback_upper"] == math.inf and "perhaps not within the data" in row["statement"]
    # The same data, the rows in another order: the same table.
    again = economics.cohort_payback(tx.sample(frac=1.0, random_state=1), customers.iloc[::-1], cac=25.0, margin=0.5,
                                     discount_rate=0.0, end="2025-03-31", n_resamples=400, seed=2)
    pd.testing.assert_frame_equal(again, table)


def test_cohort_payback_on_the_data_world(world):
    margin, rate = world.truth.params["gross_margin"], world.truth.params["annual_discount_rate"]
    cac = economics.acquisition_cost(world.marketing, by="channel")
    table = economics.cohort_payback(world.transactions, world.customers, cac, margin=margin, discount_rate=rate,
                                     n_resamples=300)
    curves = economics.cohort_margin_curves(world.transactions, world.customers, margin=margin, by="channel")
    for channel, row in table.iterrows():
        pooled = curves.loc[channel].groupby("age")[["margin", "customers"]].sum()
        months = economics.payback_period(pooled["margin"] / pooled["customers"], row["cac"], rate)
        assert row["payback"] == pytest.approx(months, rel=1e-9) or row["payback"] == months == math.inf
    # Referral's cheap, loyal customers pay back first; display's dear ones not within the three years.
    assert table["payback"].idxmin() == "referral"
    assert not table.loc["display", "paid_back"]
    assert table.loc["display", "statement"].startswith("does not pay back within the 36 months of data")
    finite = table[table["paid_back"]]
    assert (finite["payback_lower"] <= finite["payback"]).all() and (finite["payback"] <= finite["payback_upper"]).all()


def test_cohort_payback_names_bad_input():
    customers, tx = small_cohorts()
    with pytest.raises(ValueError, match="cac has no value for 'social'"):
        economics.cohort_payback(tx, customers, pd.Series({"search": 10.0}), margin=0.5, discount_rate=0.1)
    with pytest.raises(ValueError, match="cac of 'search' is -1.0; expected a cost of at least 0"):
        economics.cohort_payback(tx, customers, pd.Series({"search": -1.0, "social": 1.0}), margin=0.5, discount_rate=0.1)
    with pytest.raises(ValueError, match="n_resamples should be a whole number of at least 1"):
        economics.cohort_payback(tx, customers, 10.0, margin=0.5, discount_rate=0.1, n_resamples=0)

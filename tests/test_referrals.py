"""Customer referral value (after Kumar, Petersen and Leone 2007): by hand, its terms one at a
time, on the data world against the referrals the simulation made, unchanged by the order of
rows or a change of currency, with clear errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customering_utils import clv, referrals


def small_base() -> tuple[pd.DataFrame, pd.Series]:
    ids = pd.Index([1, 2, 3, 4, 5], name="customer_id")
    customers = pd.DataFrame({"referred_by": pd.array([pd.NA, pd.NA, 1, 1, 2], dtype="Int64")}, index=ids)
    values = pd.Series([20.0, 200.0, 100.0, 60.0, 40.0], index=ids)
    return customers, values


def test_referral_value_by_hand():
    customers, values = small_base()
    before = customers.copy(), values.copy()
    table = referrals.referral_value(customers, values, incremental_share=0.5, reward=10.0, acquisition_cost_saved=30.0)
    pd.testing.assert_frame_equal(customers, before[0])
    pd.testing.assert_series_equal(values, before[1])
    # Customer 1 referred 3 and 4 (worth 100 and 60): 0.5 * 160 + 0.5 * 2 * 30 - 2 * 10 = 90
    assert table.loc[1, ["referrals", "referred_value", "referral_value"]].tolist() == [2, 160.0, 90.0]
    # Customer 2 referred 5 (worth 40): 0.5 * 40 + 0.5 * 30 - 10 = 25
    assert table.loc[2, "referral_value"] == 25.0
    assert table.loc[[3, 4, 5], "referral_value"].tolist() == [0.0, 0.0, 0.0]
    assert table["total_value"].tolist() == [110.0, 225.0, 100.0, 60.0, 40.0]
    # Against their own value: customer 1 is worth far more through the customers they brought.
    assert table.loc[1, "referral_value"] > table.loc[1, "own_value"]
    assert table.attrs == {"incremental_share": 0.5, "reward": 10.0, "acquisition_cost_saved": 30.0}


def test_each_term_does_what_it_says():
    customers, values = small_base()
    # Every referral new, nothing paid, nothing saved: the referral value is the referred customers' value.
    plain = referrals.referral_value(customers, values, incremental_share=1.0)
    assert (plain["referral_value"] == plain["referred_value"]).all()
    # Nobody new: what the referrals saved, less what they cost.
    anyway = referrals.referral_value(customers, values, incremental_share=0.0, reward=5.0, acquisition_cost_saved=45.0)
    assert (anyway["referral_value"] == 40.0 * anyway["referrals"]).all()
    # The referral value rises one for one with the share of referrals who would not have come anyway.
    low = referrals.referral_value(customers, values, incremental_share=0.2)
    high = referrals.referral_value(customers, values, incremental_share=0.7)
    np.testing.assert_allclose(high["referral_value"] - low["referral_value"], 0.5 * low["referred_value"])
    # Own values, when given, are the customers' own; the referred customers keep theirs.
    own = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=values.index)
    separate = referrals.referral_value(customers, values, incremental_share=1.0, own_values=own)
    assert separate["own_value"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert separate.loc[1, "referred_value"] == 160.0


def test_order_of_rows_and_currency_change_nothing():
    customers, values = small_base()
    table = referrals.referral_value(customers, values, incremental_share=0.4, reward=3.0, acquisition_cost_saved=12.0)
    shuffled = referrals.referral_value(customers.iloc[[4, 2, 0, 3, 1]], values.iloc[[3, 1, 4, 0, 2]],
                                        incremental_share=0.4, reward=3.0, acquisition_cost_saved=12.0)
    pd.testing.assert_frame_equal(shuffled, table)
    cents = referrals.referral_value(customers, values * 100, incremental_share=0.4, reward=300.0,
                                     acquisition_cost_saved=1200.0)
    np.testing.assert_allclose(cents[["own_value", "referral_value"]], 100 * table[["own_value", "referral_value"]])


def test_referral_value_on_the_data_world(world):
    summary = clv.summarize(world.transactions, end="2025-12-31")
    value = clv.customer_lifetime_value(clv.BetaGeo().fit(summary), clv.GammaGamma().fit(summary), summary)
    table = referrals.referral_value(world.customers, value, incremental_share=0.5, reward=20.0,
                                     acquisition_cost_saved=45.0)
    assert len(table) == len(world.customers)
    # The counts are the simulation's own: each referral-channel customer was referred by a promoter.
    pd.testing.assert_series_equal(table["referrals"], world.truth.customers["referrals"].reindex(table.index),
                                   check_names=False)
    assert table["referrals"].sum() == (world.customers["channel"] == "referral").sum()
    # The referred value adds up to the CLV of the referred customers.
    referred = world.customers.index[world.customers["referred_by"].notna()]
    assert table["referred_value"].sum() == pytest.approx(value.loc[referred].sum())
    # Some customers are worth more through their referrals than themselves.
    assert (table["referral_value"] > table["own_value"]).sum() > 100


@pytest.mark.parametrize("kwargs, message", [
    ({"incremental_share": 1.5}, "incremental_share should be a share from 0 to 1"),
    ({"incremental_share": None}, "incremental_share should be a share from 0 to 1"),
    ({"reward": -1.0}, "reward should be an amount of at least 0 US dollars"),
    ({"acquisition_cost_saved": np.inf}, "acquisition_cost_saved should be an amount of at least 0"),
])
def test_bad_settings_are_named(kwargs, message):
    customers, values = small_base()
    with pytest.raises(ValueError, match=message):
        referrals.referral_value(customers, values, **({"incremental_share": 0.5} | kwargs))


def test_bad_tables_are_named():
    customers, values = small_base()
    with pytest.raises(ValueError, match="values has no value for 1 referred customers .first: 5"):
        referrals.referral_value(customers, values.drop(5), incremental_share=0.5)
    with pytest.raises(ValueError, match="values has no value for 1 customers who referred someone .first: 2"):
        referrals.referral_value(customers, values.drop(2), incremental_share=0.5)
    with pytest.raises(ValueError, match="customers is missing column 'referred_by'"):
        referrals.referral_value(customers.rename(columns={"referred_by": "referrer"}), values, incremental_share=0.5)
    with pytest.raises(ValueError, match="a customer who referred themselves"):
        referrals.referral_value(customers.assign(referred_by=pd.array([1, pd.NA, 1, 1, 2], dtype="Int64")), values,
                                 incremental_share=0.5)
    with pytest.raises(ValueError, match="values has 1 missing or infinite values .first at customer 3"):
        referrals.referral_value(customers, values.replace(100.0, np.nan), incremental_share=0.5)
    with pytest.raises(TypeError, match="values should be one value per customer"):
        referrals.referral_value(customers, values.to_frame("clv"), incremental_share=0.5)

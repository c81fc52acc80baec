"""The Kaplan-Meier estimate by hand, and equal to lifelines' (``KaplanMeierFitter``, whose
default band is the same exponential Greenwood one) to 1e-10 on the data world's customers
after a resolved or an unresolved ticket, and on random samples with ties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from customering_utils.survival import kaplan_meier


def lifelines_table(durations, observed, confidence=0.95) -> pd.DataFrame:
    """lifelines' estimate, band and event table, in kaplan_meier's columns."""
    from lifelines import KaplanMeierFitter

    fitter = KaplanMeierFitter(alpha=1 - confidence).fit(np.asarray(durations, dtype=float),
                                                         np.asarray(observed, dtype=bool))
    band = fitter.confidence_interval_
    events = fitter.event_table
    return pd.DataFrame({"at_risk": events["at_risk"], "events": events["observed"], "censored": events["censored"],
                         "survival": fitter.survival_function_.iloc[:, 0], "lower": band.iloc[:, 0],
                         "upper": band.iloc[:, 1]})


def assert_same_as_lifelines(table: pd.DataFrame, durations, observed, confidence=0.95) -> None:
    expected = lifelines_table(durations, observed, confidence)
    np.testing.assert_array_equal(table.index.to_numpy(), expected.index.to_numpy())
    for column in ("at_risk", "events", "censored"):
        np.testing.assert_array_equal(table[column].to_numpy(), expected[column].to_numpy(), err_msg=column)
    for column in ("survival", "lower", "upper"):
        np.testing.assert_allclose(table[column].to_numpy(), expected[column].to_numpy(), rtol=0, atol=1e-10,
                                   err_msg=column)


def test_kaplan_meier_by_hand():
    # Watched for 2, 3, 3, 5 and 8 months; one of the two at month 3, and the one at 8, censored.
    table = kaplan_meier([2, 3, 3, 5, 8], [True, True, False, True, False])
    assert table.index.tolist() == [0.0, 2.0, 3.0, 5.0, 8.0]
    assert table["at_risk"].tolist() == [5, 5, 4, 2, 1]
    assert table["events"].tolist() == [0, 1, 1, 1, 0] and table["censored"].tolist() == [0, 0, 1, 0, 1]
    # S = 4/5, then 4/5 * 3/4, then 3/5 * 1/2, and unchanged by the censoring at 8
    np.testing.assert_allclose(table["survival"], [1.0, 0.8, 0.6, 0.3, 0.3], rtol=1e-15)
    # the band at month 3: Greenwood's V = 1/(5*4) + 1/(4*3), sigma = sqrt(V) / |log 0.6|,
    # and the band is 0.6 ** exp(+-1.96 sigma)
    sigma = math.sqrt(1 / 20 + 1 / 12) / abs(math.log(0.6))
    z = stats.norm.ppf(0.975)
    assert table.loc[3.0, "lower"] == pytest.approx(0.6 ** math.exp(z * sigma), rel=1e-12)
    assert table.loc[3.0, "upper"] == pytest.approx(0.6 ** math.exp(-z * sigma), rel=1e-12)
    assert (table.loc[0.0, "lower"], table.loc[0.0, "upper"]) == (1.0, 1.0)
    assert table.attrs == {"confidence": 0.95}


def test_kaplan_meier_when_everyone_leaves_and_at_time_zero():
    # all five leave: S reaches 0 at the last time, where the band is 0 to 0
    table = kaplan_meier([2, 3, 3, 5, 8], [1, 1, 1, 1, 1])
    np.testing.assert_allclose(table["survival"], [1.0, 0.8, 0.4, 0.2, 0.0])
    assert (table.loc[8.0, "lower"], table.loc[8.0, "upper"]) == (0.0, 0.0)
    # a customer who leaves at time 0 is at risk there: no separate row before it
    at_zero = kaplan_meier([0, 0, 4, 6], [1, 0, 1, 0])
    assert at_zero.index.tolist() == [0.0, 4.0, 6.0]
    np.testing.assert_allclose(at_zero["survival"], [0.75, 0.375, 0.375])
    # nobody seen to leave: survival stays 1
    assert kaplan_meier([3, 1, 2], [0, 0, 0])["survival"].eq(1.0).all()


def customers_after_their_first_ticket(world) -> pd.DataFrame:
    """For each customer who raised a ticket: days from their first ticket to their drop-out
    (``observed``), or to the end of the data (censored), and whether that ticket was resolved.
    A customer who dropped out at the purchase that raised the ticket leaves at day 0."""
    first = world.tickets.sort_values("created_at").groupby("customer_id").first()
    truth = world.truth.customers.loc[first.index]
    stop = truth["churn_date"].where(truth["churned"], pd.Timestamp(world.truth.params["end"]))
    days = (stop - first["created_at"].dt.normalize()).dt.days.clip(lower=0)
    return pd.DataFrame({"days": days.astype(float), "observed": truth["churned"], "resolved": first["resolved"]})


def test_kaplan_meier_equals_lifelines_on_customers_after_resolved_and_unresolved_tickets(world):
    customers = customers_after_their_first_ticket(world)
    assert customers["observed"].any() and not customers["observed"].all() and (customers["days"] == 0).any()
    curves = {}
    for resolved, group in customers.groupby("resolved"):
        curves[resolved] = table = kaplan_meier(group["days"], group["observed"])
        assert_same_as_lifelines(table, group["days"], group["observed"])
    assert_same_as_lifelines(kaplan_meier(customers["days"], customers["observed"]), customers["days"],
                             customers["observed"])
    # the world's story: an unresolved ticket raises drop-out, so fewer stay a year
    def after_a_year(table):
        return table.loc[:365].iloc[-1]
    assert after_a_year(curves[False])["upper"] < after_a_year(curves[True])["lower"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.booleans()), min_size=1, max_size=40),
       st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_kaplan_meier_equals_lifelines_on_samples_with_ties(pairs, confidence):
    durations = [float(duration) for duration, _ in pairs]
    observed = [flag for _, flag in pairs]
    assert_same_as_lifelines(kaplan_meier(durations, observed, confidence), durations, observed, confidence)


def test_kaplan_meier_does_not_depend_on_row_order_or_the_unit_of_time():
    rng = np.random.default_rng(4)
    durations = rng.integers(0, 60, size=200).astype(float)
    observed = rng.random(200) < 0.6
    table = kaplan_meier(durations, observed)
    order = rng.permutation(200)
    pd.testing.assert_frame_equal(kaplan_meier(durations[order], observed[order]), table)
    in_weeks = kaplan_meier(durations / 7, observed)
    np.testing.assert_allclose(in_weeks.index.to_numpy() * 7, table.index.to_numpy())
    pd.testing.assert_frame_equal(in_weeks.reset_index(drop=True), table.reset_index(drop=True))
    as_series = kaplan_meier(pd.Series(durations, index=rng.permutation(200)), pd.Series(observed.astype(int)))
    pd.testing.assert_frame_equal(as_series, table)


@pytest.mark.parametrize("durations, observed, error, message", [
    ([1, -2], [1, 1], ValueError, "durations should be finite lengths of time of at least 0; entry 1 is -2.0"),
    ([1, np.nan], [1, 1], ValueError, "durations should be finite lengths of time of at least 0"),
    ([1, 2, 3], [1, 1], ValueError, "observed should have one entry per duration; got 2 for 3 durations"),
    ([1, 2], [1, 2], ValueError, r"observed should hold True/False \(or 1/0\); entry 1 is 2"),
    ([], [], ValueError, "durations is empty"),
    (["soon", 2], [1, 1], ValueError, "durations should be numbers"),
    (pd.DataFrame({"days": [1]}), [1], TypeError, "durations should be one value per customer"),
])
def test_kaplan_meier_bad_input_is_named(durations, observed, error, message):
    with pytest.raises(error, match=message):
        kaplan_meier(durations, observed)

"""Lesson 4b's figures and widget: the budget explorer's numbers, and figures drawn from the right values."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from customering_utils import economics, plots, widgets
from customering_utils.widgets.channel_budget import budget_outcome, mix_payback


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def plan():
    return pd.DataFrame({"spend": [1000.0, 1000.0, 400.0], "new_customers": [50, 20, 20], "clv": [40.0, 60.0, 90.0]},
                        index=pd.Index(["search", "display", "referral"], name="channel"))


@pytest.fixture
def curves():
    return pd.DataFrame({"search": [8.0] * 24, "display": [5.0] * 24, "referral": [12.0] * 24})


def test_budget_outcome_passes_through_today_and_agrees_with_the_response_curve(plan):
    today = budget_outcome(plan, headroom=3.0)
    assert np.allclose(today["new_customers"], plan["new_customers"])
    assert np.allclose(today["cac"], plan["spend"] / plan["new_customers"])
    curve = economics.response_curve(ceiling=1.0, spend=1000.0, rate=1 / 3)
    more = budget_outcome(plan, {"search": 2500.0}, headroom=3.0)
    assert more.loc["search", "new_customers"] == pytest.approx(150 * curve(2500.0))
    assert more.loc["display", "new_customers"] == pytest.approx(20)  # untouched channels keep today's
    assert more.loc["search", "cac"] > today.loc["search", "cac"]  # extra spend costs more per customer
    assert more.loc["search", "value"] == pytest.approx(40.0 * more.loc["search", "new_customers"])


def test_budget_outcome_refuses_impossible_inputs(plan):
    with pytest.raises(ValueError, match="headroom"):
        budget_outcome(plan, headroom=1.0)
    with pytest.raises(ValueError, match="not in plan"):
        budget_outcome(plan, {"tv": 10.0})
    with pytest.raises(ValueError, match="at least 0"):
        budget_outcome(plan, {"search": -1.0})


def test_mix_payback_weights_the_curves_by_new_customers(plan, curves):
    outcome = budget_outcome(plan)
    weights = outcome["new_customers"]
    curve = (curves[outcome.index] * weights).sum(axis=1) / weights.sum()
    expected = economics.payback_period(curve.to_numpy(), outcome["spend"].sum() / weights.sum(), 0.10)
    assert mix_payback(outcome, curves, 0.10) == pytest.approx(expected)
    assert math.isinf(mix_payback(outcome, curves * 0.01, 0.10))


def test_explorer_readout_follows_the_controls_and_the_package(plan, curves):
    explorer = widgets.channel_budget_explorer(plan, curves)
    giver, taker, amount, readout, picture = explorer.children
    assert (giver.value, taker.value) == ("display", "referral")  # least value per dollar to most
    first, first_picture = readout.value, picture.value
    assert "<b>90 new customers</b>" in first
    amount.value = 600.0
    after = budget_outcome(plan, {"display": 400.0, "referral": 1000.0})
    assert readout.value != first and picture.value != first_picture
    assert f"<b>${after['value'].sum():,.0f}</b>" in readout.value
    assert f"payback <b>{mix_payback(after, curves, 0.10):.1f} months</b>" in readout.value
    giver.value = "search"
    assert amount.max == 1000.0  # the slider reaches the giving channel's whole spend
    taker.value = "search"  # moving from a channel to itself changes nothing
    assert "(+0)" in readout.value


def test_explorer_needs_two_channels_and_their_curves(plan, curves):
    with pytest.raises(ValueError, match="two channels"):
        widgets.channel_budget_explorer(plan.iloc[:1], curves)
    with pytest.raises(ValueError, match="no column"):
        widgets.channel_budget_explorer(plan, curves.drop(columns="referral"))


def test_signal_value_draws_the_losses_and_greys_the_signals_without_value():
    table = pd.DataFrame({"loss": [0.05, 0.01, -0.001], "lower": [0.03, -0.002, -0.004],
                          "upper": [0.07, 0.02, 0.002]}, index=["first order", "channel", "age band"])
    ax = plots.signal_value(table)
    bars = ax.patches
    assert [bar.get_width() for bar in bars] == [0.05, 0.01, -0.001]
    assert [to_hex(bar.get_facecolor()).upper() for bar in bars] == [
        plots.PALETTE["blue"], plots.PALETTE["grey"], plots.PALETTE["grey"]]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["first order", "channel", "age band"]
    assert ax.get_title() and "R²" in ax.get_xlabel()


def test_own_and_referral_value_splits_the_two_kinds_of_customer():
    table = pd.DataFrame({"own_value": [20.0, 200.0, 50.0, 5.0], "referral_value": [90.0, 25.0, 50.0, 60.0]})
    ax = plots.own_and_referral_value(table)
    more, rest = ax.collections
    assert more.get_offsets().tolist() == [[20.0, 90.0], [5.0, 60.0]]
    assert rest.get_offsets().tolist() == [[200.0, 25.0], [50.0, 50.0]]
    assert to_hex(more.get_facecolor()[0]).upper() == plots.PALETTE["vermillion"]
    assert "(2)" in ax.get_legend().get_texts()[0].get_text()
    assert "US$" in ax.get_xlabel() and "US$" in ax.get_ylabel()

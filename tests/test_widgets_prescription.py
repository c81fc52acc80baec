"""The prescription's curves, figures and explorer: hand-worked returns three ways, the off-policy estimate
against the difference in means, the harmed counted, a new readout and figure when a control moves, the same
output every run, and clear errors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from customering_utils import plots, widgets


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def small() -> dict:
    """Four customers, two doses costing $1 and $2 (cost $1 a dose level), a purchase worth $10.

    Expected returns (uplift x 10 - cost): customer 0: 4, 5 -> dose 2 (5); customer 1: 2, 2 -> dose 1 on the tie (2);
    customer 2: -0.5, -1 -> dose 1 (-0.5); customer 3: -1, -2 -> dose 1 (-1). Ranked 0, 1, 2, 3.
    The experiment gave doses 2, 0, 1, 0: p0 = 0.5, p1 = 0.25, p2 = 0.25.
    """
    index = pd.Index([10, 11, 12, 13], name="customer_id")
    uplift = pd.DataFrame({1: [0.5, 0.3, 0.05, 0.0], 2: [0.7, 0.4, 0.1, 0.0]}, index=index)
    truth = pd.DataFrame({1: [0.2, 0.1, 0.3, -0.1], 2: [0.3, 0.1, 0.4, -0.2]}, index=index)
    return {"uplift": uplift, "value": 10.0, "cost": 1.0, "assigned": pd.Series([2, 0, 1, 0], index=index),
            "outcome": pd.Series([12.0, 4.0, 6.0, 2.0], index=index),
            "true_uplift": truth, "true_value": pd.Series([10.0, 10.0, 20.0, 10.0], index=index),
            "harmed": pd.Series([False, False, False, True], index=index)}


def _curves(small: dict, **options) -> pd.DataFrame:
    return plots.policy_curves(small["uplift"], small["value"], small["cost"], small["assigned"], small["outcome"],
                               true_uplift=small["true_uplift"], true_value=small["true_value"],
                               harmed=small["harmed"], **options)


# ---- plots.policy_curves ----------------------------------------------------------------------


def test_policy_curves_give_the_hand_worked_returns_three_ways(small):
    curves = _curves(small, shares=[0, 0.25, 0.5, 1.0])
    assert curves.index.name == "share" and curves.index.tolist() == [0.0, 0.25, 0.5, 1.0]
    assert curves["treated"].tolist() == [0, 1, 2, 4]
    assert curves["expected"].tolist() == pytest.approx([0.0, 5.0, 7.0, 5.5])
    # Off-policy: customer 0 got its dose 2 (12 / 0.25 - 2 = 46); customer 1 control (-4 / 0.5 - 1 = -9);
    # customer 2 got its dose 1 (6 / 0.25 - 1 = 23); customer 3 control (-2 / 0.5 - 1 = -5).
    assert curves["estimate"].tolist() == pytest.approx([0.0, 46.0, 37.0, 55.0])
    # Truth: 0.3 x 10 - 2 = 1; 0.1 x 10 - 1 = 0; 0.3 x 20 - 1 = 5; -0.1 x 10 - 1 = -2.
    assert curves["truth"].tolist() == pytest.approx([0.0, 1.0, 1.0, 4.0])
    assert curves["harmed"].tolist() == [0, 0, 0, 1]
    assert (curves["lower"] <= curves["estimate"]).all() and (curves["estimate"] <= curves["upper"]).all()
    assert curves.loc[0.0, ["lower", "upper"]].tolist() == [0.0, 0.0]
    assert curves.attrs == {"harmed_total": 1, "prescribed_share": 0.5, "prescribed": 2, "costs": {1: 1.0, 2: 2.0},
                            "confidence": 0.95}


def test_treating_everyone_at_one_dose_is_the_difference_in_means_less_the_cost():
    rng = np.random.default_rng(1)
    n = 400
    assigned = pd.Series(rng.integers(0, 2, n))
    outcome = pd.Series(rng.gamma(2.0, 10.0, n) + 5 * assigned)
    curves = plots.policy_curves(pd.Series(np.ones(n)), 20.0, 3.0, assigned, outcome, shares=[1.0])
    by_means = n * (outcome[assigned == 1].mean() - outcome[assigned == 0].mean() - 3.0)
    assert curves.loc[1.0, "estimate"] == pytest.approx(by_means)
    assert curves.loc[1.0, "expected"] == pytest.approx(n * (20.0 - 3.0))


def test_the_best_dose_wins_and_a_tie_goes_to_the_smaller_dose(small):
    index = [7, 10, 11, 12, 13]
    tie = pd.DataFrame({1: [0.3], 2: [0.4]}, index=[7])  # returns 3 - 1 = 2 and 4 - 2 = 2: a tie
    curves = plots.policy_curves(pd.concat([tie, small["uplift"]]), 10.0, 1.0, pd.Series([0, 2, 0, 1, 0], index=index),
                                 pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=index),
                                 true_uplift=pd.concat([pd.DataFrame({1: [0.5], 2: [0.9]}, index=[7]), small["true_uplift"]]),
                                 true_value=10.0, shares=[0.4])
    # The top two: customer 10 (5, at dose 2), then customer 7 (2), ahead of customer 11 (also 2) by its place.
    # Customer 7 gets dose 1 on the tie: true return 0.5 x 10 - 1 = 4 (dose 2 would give 0.9 x 10 - 2 = 7).
    assert curves.loc[0.4, "expected"] == pytest.approx(7.0)
    assert curves.loc[0.4, "truth"] == pytest.approx((0.3 * 10 - 2) + 4.0)


def test_costs_per_dose_and_a_value_per_customer_are_used(small):
    value = pd.Series([10.0, 10.0, 100.0, 10.0], index=small["uplift"].index)
    curves = plots.policy_curves(small["uplift"], value, {1: 0.5, 2: 4.0}, small["assigned"], small["outcome"],
                                 shares=[0.25, 0.5])
    # Customer 2 now returns 0.05 x 100 - 0.5 = 4.5 at dose 1 (dose 2: 10 - 4 = 6, best); customer 0: 4.5 or 3 -> 4.5.
    assert curves.loc[0.25, "expected"] == pytest.approx(6.0)
    assert curves.loc[0.5, "expected"] == pytest.approx(10.5)
    assert curves.attrs["costs"] == {1: 0.5, 2: 4.0}


def test_policy_curves_give_the_same_answer_for_the_same_seed(small):
    one, two = _curves(small, seed=3), _curves(small, seed=3)
    pd.testing.assert_frame_equal(one, two)
    assert one.index.tolist() == [round(0.05 * k, 2) for k in range(21)]
    other = _curves(small, seed=4, n_resamples=300, confidence=0.8)
    assert other["estimate"].tolist() == one["estimate"].tolist()
    assert not np.allclose(other["lower"], one["lower"]) and other.attrs["confidence"] == 0.8


@pytest.mark.parametrize("change, error, message", [
    ({"assigned": pd.Series([2, 0, 2, 0], index=[10, 11, 12, 13])}, ValueError, "each of the doses"),
    ({"assigned": pd.Series([2, 0, 1, 0])}, ValueError, "assigned should be indexed like uplift"),
    ({"outcome": pd.Series([1.0, np.nan, 2.0, 3.0], index=[10, 11, 12, 13])}, ValueError, "none missing"),
    ({"outcome": [1.0, 2.0, 3.0, 4.0]}, TypeError, "outcome should be a pandas Series"),
    ({"uplift": pd.DataFrame({2: [0.1] * 4, 1: [0.2] * 4}, index=[10, 11, 12, 13])}, ValueError, "increasing order"),
    ({"uplift": pd.DataFrame({0: [0.1] * 4}, index=[10, 11, 12, 13])}, ValueError, "numbers above 0"),
    ({"cost": {1: 1.0}}, ValueError, "no cost for dose 2"),
    ({"cost": -1.0}, ValueError, "at least 0"),
    ({"cost": "cheap"}, TypeError, "cost should be a number"),
    ({"value": "ten"}, TypeError, "value should be a number"),
])
def test_policy_curves_reject_bad_input(small, change, error, message):
    data = small | change
    with pytest.raises(error, match=message):
        plots.policy_curves(data["uplift"], data["value"], data["cost"], data["assigned"], data["outcome"])


@pytest.mark.parametrize("options, message", [
    ({"shares": [0.5, 1.5]}, "shares should be shares of customers from 0 to 1"),
    ({"n_resamples": 1}, "n_resamples should be a whole number of at least 2"),
    ({"confidence": 95}, "confidence should be a share between 0 and 1"),
    ({"true_uplift": pd.DataFrame({1: [0.1] * 4, 2: [0.1] * 4}, index=[10, 11, 12, 13])}, "together"),
    ({"true_uplift": pd.DataFrame({1: [0.1] * 4}, index=[10, 11, 12, 13]), "true_value": 1.0}, "shaped like uplift"),
    ({"harmed": pd.Series([0.5, 0.0, 0.0, 1.0], index=[10, 11, 12, 13])}, "True or False"),
])
def test_policy_curves_reject_bad_options(small, options, message):
    with pytest.raises(ValueError, match=message):
        plots.policy_curves(small["uplift"], small["value"], small["cost"], small["assigned"], small["outcome"], **options)


# ---- plots.returns_by_share and plots.harmed_by_share ---------------------------------------------


def test_returns_by_share_draws_the_three_returns_with_the_band_and_the_marks(small):
    curves = _curves(small, shares=[0, 0.5, 1.0])
    ax = plots.returns_by_share(curves, share=0.5)
    lines = {line.get_label(): line for line in ax.get_lines()}
    estimate, expected, truth = (lines["experiment: estimate and 95% interval"], lines["model's expectation"], lines["truth"])
    assert estimate.get_xdata().tolist() == [0.0, 50.0, 100.0]
    assert estimate.get_ydata().tolist() == pytest.approx(curves["estimate"].tolist())
    assert expected.get_ydata().tolist() == pytest.approx([0.0, 7.0, 5.5])
    assert truth.get_ydata().tolist() == pytest.approx([0.0, 1.0, 4.0])
    assert [to_hex(line.get_color()).upper() for line in (estimate, expected, truth)] == [
        plots.PALETTE["blue"], plots.PALETTE["orange"], plots.PALETTE["black"]]
    assert list(lines["the model's prescription"].get_xdata()) == [50.0, 50.0]
    assert list(lines["50% treated"].get_xdata()) == [50.0, 50.0]
    assert len(ax.collections) == 1  # the interval's band
    assert ax.get_xlabel() == "customers treated, best expected return first (% of customers)"
    assert ax.get_ylabel() == "return against treating no one (US$)"


def test_harmed_by_share_draws_the_harmed_against_a_random_choice(small):
    ax = plots.harmed_by_share(_curves(small, shares=[0, 0.5, 1.0]), title="Harmed")
    ranked, random_choice = ax.get_lines()[:2]
    assert ranked.get_ydata().tolist() == [0.0, 0.0, 1.0]
    assert random_choice.get_ydata().tolist() == pytest.approx([0.0, 0.5, 1.0])
    assert to_hex(ranked.get_color()).upper() == plots.PALETTE["vermillion"]
    assert ax.get_title() == "Harmed" and ax.get_ylabel() == "truly harmed customers treated (count)"


def test_the_figures_draw_into_the_axes_they_are_given_and_reject_bad_curves(small):
    curves = _curves(small, shares=[0, 1.0])
    _, (left, right) = plt.subplots(1, 2)
    assert plots.returns_by_share(curves, ax=left) is left
    assert plots.harmed_by_share(curves, ax=right) is right
    with pytest.raises(TypeError, match="curves should be a DataFrame"):
        plots.returns_by_share(curves.to_numpy())
    with pytest.raises(ValueError, match="missing the columns"):
        plots.returns_by_share(curves.drop(columns="upper"))
    with pytest.raises(ValueError, match="increasing order"):
        plots.returns_by_share(curves.iloc[::-1])
    with pytest.raises(ValueError, match="share should be a share of customers"):
        plots.returns_by_share(curves, share=50)
    without = curves.copy()
    without.attrs = {}
    with pytest.raises(ValueError, match="harmed_total"):
        plots.harmed_by_share(without)


# ---- widgets.prescription_explorer ------------------------------------------------------------------


def _explorer(small: dict, **options):
    return widgets.prescription_explorer(small["uplift"], small["value"], small["assigned"], small["outcome"],
                                         true_uplift=small["true_uplift"], true_value=small["true_value"],
                                         harmed=small["harmed"], **options)


def test_explorer_reads_out_the_prescription_the_three_returns_and_the_harmed(small):
    explorer = _explorer(small, cost=1.0, share=0.5)
    price, treated, readout, picture = explorer.children
    assert price.value == 1.0 and treated.value == 0.5
    assert "At <b>$1.00</b> a dose level (dose 1 $1.00, dose 2 $2.00), the model prescribes <b>50%</b>" in readout.value
    assert "(2 customers: 1 at dose 1, 1 at dose 2)" in readout.value
    assert "the model expects <b>$7</b>; the experiment estimates <b>$37</b> (95% interval" in readout.value
    assert "the truth is <b>$1</b>." in readout.value
    assert "Truly harmed customers treated: <b>0</b> of 1 (a random choice of as many would hold 0)." in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_the_controls_changes_the_readout_and_the_figure(small):
    explorer = _explorer(small, cost=1.0, share=0.5)
    price, treated, readout, picture = explorer.children
    first_text, first_picture = readout.value, picture.value
    price.value = 2.5  # returns: customer 0 2.5 or 2 -> dose 1; customer 1 0.5 or -1 -> dose 1; the rest below 0
    assert "At <b>$2.50</b> a dose level" in readout.value and "the model expects <b>$3</b>" in readout.value
    assert readout.value != first_text and picture.value != first_picture
    treated.value = 1.0
    assert "Treating the top <b>100%</b> by expected return (4 customers" in readout.value
    assert "Truly harmed customers treated: <b>1</b> of 1" in readout.value
    treated.value = 0.0
    assert "(0 customers)" in readout.value and "holds 0" not in readout.value


def test_explorer_starts_at_the_prescription_and_gives_the_same_output_every_run(small):
    one, two = _explorer(small, cost=1.0), _explorer(small, cost=1.0)
    assert one.children[1].value == 0.5  # the model prescribes half the customers
    assert one.children[2].value == two.children[2].value and one.children[3].value == two.children[3].value


def test_explorer_without_the_truth_leaves_it_out(small):
    explorer = widgets.prescription_explorer(small["uplift"], small["value"], small["assigned"], small["outcome"],
                                             cost=1.0, share=0.25)
    text = explorer.children[2].value
    assert "the truth" not in text and "harmed" not in text
    assert "the experiment estimates <b>$46</b>" in text


def test_explorer_rejects_bad_input(small):
    with pytest.raises(ValueError, match="cost should be from 0 to max_cost"):
        _explorer(small, cost=5.0)
    with pytest.raises(ValueError, match="cost should be a number of US dollars"):
        _explorer(small, cost=-1.0)
    with pytest.raises(ValueError, match="share should be a share of customers from 0 to 1"):
        _explorer(small, share=1.5)
    with pytest.raises(ValueError, match="assigned should hold dose 0"):
        widgets.prescription_explorer(small["uplift"], 10.0, small["assigned"] * 0, small["outcome"])


def test_prescription_figures_and_explorer_are_exported():
    assert {"policy_curves", "returns_by_share", "harmed_by_share"} <= set(plots.__all__)
    assert "prescription_explorer" in widgets.__all__

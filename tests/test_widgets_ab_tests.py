"""The experiment figures and the power explorer: effects drawn with their intervals in the right units, power
curves as percentages on a log scale, a dose curve with its band and the truth, powers that agree with
experiments.power, wrong signs and exaggeration that agree with a simulation, a readout and a figure that follow
the controls, the same output every run, and clear errors."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from customering_utils import experiments, plots, widgets
from customering_utils.plots.ab_tests import arm_differences, dose_response_curve, power_curves
from customering_utils.widgets.ab_tests import _smallest_lift, planned_test_errors, power_explorer

#: A small two-arm test: 20 of 200 bought in A, 36 of 200 in B, 21 of 200 in C.
TRIAL = pd.DataFrame({"arm": ["A"] * 200 + ["B"] * 200 + ["C"] * 200,
                      "bought": [1] * 20 + [0] * 180 + [1] * 36 + [0] * 164 + [1] * 21 + [0] * 179})


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def doses_trial(seed: int = 3) -> pd.DataFrame:
    """Four doses, 2,000 customers each, means rising 2.0, 2.95, 3.30, 3.43 (a saturating curve) with unit noise."""
    rng = np.random.default_rng(seed)
    dose = np.repeat([0, 1, 2, 3], 2_000)
    return pd.DataFrame({"dose": dose, "sales": rng.normal(2.0 + 1.5 * (1 - np.exp(-dose / 1.0)), 1.0)})


# ---- plots.arm_differences --------------------------------------------------------------------


def test_arm_differences_draws_each_treated_arm_in_points_grey_when_its_interval_holds_zero():
    table = experiments.ab_table(TRIAL, "arm", "bought")
    ax = arm_differences(table)
    b_bar, c_bar = ax.containers  # one errorbar per treated arm, in the table's order
    assert b_bar.lines[0].get_xdata().tolist() == pytest.approx([8.0])  # 18% - 10%, in points
    assert c_bar.lines[0].get_xdata().tolist() == pytest.approx([0.5])
    assert to_hex(b_bar.lines[0].get_color()).upper() == plots.PALETTE["blue"]  # leaves out 0
    assert to_hex(c_bar.lines[0].get_color()).upper() == plots.PALETTE["grey"]  # holds 0
    low, high = table.loc["B", ["difference_lower", "difference_upper"]] * 100
    segment = b_bar.lines[2][0].get_segments()[0]  # the interval's bar
    assert sorted(segment[:, 0]) == pytest.approx([low, high])
    rows = {label.get_text(): tick for label, tick in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)}
    assert rows["B"] > rows["C"]  # the first treated arm at the top
    assert ax.get_xlabel() == "difference from A (percentage points)"
    assert ax.get_title() == "bought: each arm minus A"


def test_arm_differences_draws_a_mean_in_its_own_unit():
    spend = pd.DataFrame({"arm": ["control"] * 4 + ["mailed"] * 4, "spend": [0.0, 2.0, 0.0, 1.0, 3.0, 5.0, 4.0, 6.0]})
    ax = arm_differences(experiments.ab_table(spend, "arm", "spend"), unit="US$ a customer", title="Spend")
    assert ax.containers[0].lines[0].get_xdata().tolist() == pytest.approx([3.75])
    assert ax.get_xlabel() == "difference from control (US$ a customer)"
    assert ax.get_title() == "Spend"


@pytest.mark.parametrize("table, error, message", [
    ([1, 2], TypeError, "table should be a pandas DataFrame"),
    (pd.DataFrame({"difference": [0.0]}), ValueError, r"missing columns \['difference_lower', 'difference_upper'\]"),
    (pd.DataFrame({"difference": [0.0], "difference_lower": [np.nan], "difference_upper": [np.nan]}, index=["A"]),
     ValueError, "no treated arm"),
])
def test_arm_differences_names_bad_input(table, error, message):
    with pytest.raises(error, match=message):
        arm_differences(table)


# ---- plots.power_curves -----------------------------------------------------------------------


def test_power_curves_draws_percentages_on_a_log_scale_with_the_target_and_the_marks():
    curves = pd.DataFrame({"big": [0.3, 0.9, 1.0], "small": [0.1, 0.4, 0.8]}, index=[100, 1_000, 10_000])
    ax = power_curves(curves, marks={"the test": 2_000, "a tenth": 200})
    big, small, target, test, tenth = ax.get_lines()
    assert big.get_ydata().tolist() == pytest.approx([30.0, 90.0, 100.0])
    assert small.get_xdata().tolist() == [100.0, 1_000.0, 10_000.0]
    assert big.get_linestyle() != small.get_linestyle()  # lines that coincide stay visible
    assert list(target.get_ydata()) == [80.0, 80.0]
    assert list(test.get_xdata()) == [2_000, 2_000] and list(tenth.get_xdata()) == [200, 200]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "big", "small", "80% power", "the test: 2,000 an arm", "a tenth: 200 an arm"]
    assert ax.get_xscale() == "log"
    assert ax.get_xlabel() == "customers in each arm (log scale)"


def test_power_curves_takes_a_solvers_power_of_just_over_one_as_one():
    curves = pd.DataFrame({"effect": [0.5, 1.0 + 2e-16]}, index=[10, 100])
    assert power_curves(curves).get_lines()[0].get_ydata().tolist() == pytest.approx([50.0, 100.0])


@pytest.mark.parametrize("curves, error, message", [
    ([0.1, 0.2], TypeError, "curves should be a pandas DataFrame"),
    (pd.DataFrame({"a": [0.5]}, index=[10]), ValueError, "at least 2 sizes"),
    (pd.DataFrame({"a": [0.5, 0.6]}, index=[100, 10]), ValueError, "positive numbers, increasing"),
    (pd.DataFrame({"a": [0.5, 60.0]}, index=[10, 100]), ValueError, "chances between 0 and 1"),
    (pd.DataFrame({"a": [0.5, np.nan]}, index=[10, 100]), ValueError, "chances between 0 and 1"),
])
def test_power_curves_names_bad_input(curves, error, message):
    with pytest.raises(error, match=message):
        power_curves(curves)


# ---- plots.dose_response_curve -----------------------------------------------------------------


def test_dose_response_curve_draws_the_effects_the_fitted_curve_its_band_and_the_truth():
    trial = doses_trial()
    table = experiments.dose_response(trial, outcome="sales")
    curve = experiments.fit_saturating_curve(trial, outcome="sales")
    truth = pd.Series([0.0, 0.95, 1.30, 1.43], index=[0, 1, 2, 3])
    ax = dose_response_curve(table, curve, truth={"truth": truth}, unit="sales a customer")
    points = ax.containers[0].lines[0]
    assert points.get_ydata().tolist() == pytest.approx(table["effect"].tolist())
    fitted = next(line for line in ax.get_lines() if line.get_label().startswith("fitted curve"))
    grid = fitted.get_xdata()
    assert grid[0] == 0 and grid[-1] == 3
    assert fitted.get_ydata() == pytest.approx(curve.effect(grid))
    dashed = next(line for line in ax.get_lines() if line.get_label() == "truth")
    assert dashed.get_ydata().tolist() == pytest.approx(truth.tolist())
    assert [text.get_text() for text in ax.get_legend().get_texts()][0] == "measured, with 95% interval"
    assert ax.get_ylabel() == "effect against dose 0 (sales a customer)"
    assert ax.get_xlabel() == "dose (experience touches)"


def test_dose_response_curve_band_is_the_delta_method_on_the_curves_covariance():
    trial = doses_trial()
    curve = experiments.fit_saturating_curve(trial, outcome="sales")
    ax = dose_response_curve(experiments.dose_response(trial, outcome="sales"), curve)
    band = next(c for c in ax.collections if "Poly" in type(c).__name__).get_paths()[0].vertices  # fill_between
    at_one = band[np.isclose(band[:, 0], 1.0), 1]  # the band's lower and upper edge at dose 1
    # The same by finite differences of the effect in (e_max, log scale).
    e, log_s = curve.e_max.estimate, math.log(curve.scale.estimate)

    def effect(e_max, log_scale):
        return e_max * (1 - math.exp(-1.0 / math.exp(log_scale)))

    step = 1e-6
    gradient = np.array([(effect(e + step, log_s) - effect(e - step, log_s)) / (2 * step),
                         (effect(e, log_s + step) - effect(e, log_s - step)) / (2 * step)])
    covariance = curve.covariance.loc[["e_max", "log_scale"], ["e_max", "log_scale"]].to_numpy()
    half = 1.959964 * math.sqrt(gradient @ covariance @ gradient)
    assert sorted(set(np.round(at_one, 9))) == pytest.approx([effect(e, log_s) - half, effect(e, log_s) + half], rel=1e-5)


@pytest.mark.parametrize("table, error, message", [
    ("not a table", TypeError, "table should be a pandas DataFrame"),
    (pd.DataFrame({"effect": [0.0, 1.0]}), ValueError, r"missing columns \['effect_lower', 'effect_upper'\]"),
])
def test_dose_response_curve_names_bad_input(table, error, message):
    with pytest.raises(error, match=message):
        dose_response_curve(table)


# ---- widgets.planned_test_errors ----------------------------------------------------------------


@pytest.mark.parametrize("n, difference, baseline, alpha", [
    (2_000, 0.003, 0.006, 0.05), (21_306, 0.0452, 0.1062, 0.05), (500, 0.05, 0.30, 0.01), (8_000, 0.005, 0.1062, 0.10),
])
def test_power_is_experiments_power(n, difference, baseline, alpha):
    errors = planned_test_errors(n, difference, baseline, alpha)
    assert errors["power"] == pytest.approx(experiments.power(n, difference, baseline=baseline, alpha=alpha), rel=1e-9)


def test_wrong_signs_and_exaggeration_agree_with_a_simulation_on_cohens_scale():
    n, difference, baseline = 1_500, 0.02, 0.10
    errors = planned_test_errors(n, difference, baseline)
    h = 2 * math.asin(math.sqrt(baseline + difference)) - 2 * math.asin(math.sqrt(baseline))
    assert errors["cohens_h"] == pytest.approx(h)
    assert errors["lift_in_standard_errors"] == pytest.approx(h / math.sqrt(2 / n))
    observed = np.random.default_rng(0).normal(errors["lift_in_standard_errors"], 1.0, 2_000_000)  # in standard errors
    significant = np.abs(observed) > 1.959964
    assert errors["power"] == pytest.approx(significant.mean(), abs=0.002)
    assert errors["wrong_sign"] == pytest.approx((observed < 0).mean(), abs=0.002)
    assert errors["wrong_sign_if_significant"] == pytest.approx((observed[significant] < 0).mean(), abs=0.001)
    exaggeration = np.abs(observed[significant]).mean() / errors["lift_in_standard_errors"]
    assert errors["exaggeration"] == pytest.approx(exaggeration, rel=0.005)


def test_a_large_test_has_no_wrong_signs_and_no_exaggeration():
    errors = planned_test_errors(1_000_000, 0.02, 0.10)
    assert errors["power"] == pytest.approx(1.0)
    assert errors["wrong_sign"] < 1e-12 and errors["wrong_sign_if_significant"] < 1e-12
    assert errors["exaggeration"] == pytest.approx(1.0, abs=1e-6)


def test_smallest_lift_is_found_with_eighty_percent_power():
    lift = _smallest_lift(21_306, 0.1062)
    assert experiments.power(21_306, lift, baseline=0.1062) == pytest.approx(0.80, abs=1e-6)
    assert math.isnan(_smallest_lift(3, 0.99))  # no rate above 0.99 can be told apart with 3 customers


@pytest.mark.parametrize("arguments, error, message", [
    ((1, 0.01, 0.1), ValueError, "n should be the customers in each arm, at least 2"),
    ((100, 0.0, 0.1), ValueError, "difference should be the planned lift"),
    ((100, 0.5, 0.6), ValueError, "difference should be the planned lift"),
    ((100, 0.01, 1.0), ValueError, "baseline should be the control arm's rate"),
    ((100, 0.01, 0.1, 1.5), ValueError, "alpha should be the test's false-alarm rate"),
    ((100, "0.01", 0.1), TypeError, "difference should be one finite number"),
    ((True, 0.01, 0.1), TypeError, "n should be one finite number"),
])
def test_planned_test_errors_names_bad_input(arguments, error, message):
    with pytest.raises(error, match=message):
        planned_test_errors(*arguments)


# ---- widgets.power_explorer ---------------------------------------------------------------------


def test_explorer_reads_out_power_size_smallest_lift_and_errors():
    explorer = power_explorer(baseline=0.0057, difference=0.0031, n=2_130)
    baseline, lift, size, readout, picture = explorer.children
    assert (baseline.value, lift.value, round(size.value)) == (0.57, 0.31, 2_130)
    power = experiments.power(2_130, 0.0031, baseline=0.0057)
    needed = experiments.sample_size(0.0031, baseline=0.0057)
    errors = planned_test_errors(2_130, 0.0031, 0.0057)
    text = readout.value
    assert f"power <b>{power:.1%}</b>" in text
    assert f"For 80% power it needs <b>{needed:,}</b> customers in each arm" in text
    assert f"{100 * _smallest_lift(2_130, 0.0057):.2f} points" in text
    assert f"wrong sign {errors['wrong_sign']:.1%} of the time" in text
    assert f"overstate the lift <b>{errors['exaggeration']:.2f} times</b>" in text
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_the_controls_changes_the_readout_and_the_figure():
    explorer = power_explorer(baseline=0.0057, difference=0.0031, n=2_130)
    baseline, lift, size, readout, picture = explorer.children
    first_text, first_picture = readout.value, picture.value
    size.value = 21_306
    assert f"power <b>{experiments.power(21_306, 0.0031, baseline=0.0057):.1%}</b>" in readout.value
    assert readout.value != first_text and picture.value != first_picture
    lift.value = 1.0
    assert "a true lift of 1.00 points" in readout.value
    baseline.value = 20.0
    assert "a control rate of 20.00%" in readout.value


def test_explorer_works_at_the_ends_of_its_sliders():
    explorer = power_explorer(baseline=0.45, difference=0.05, n=1_000)
    baseline, lift, size, readout, picture = explorer.children
    baseline.value, lift.value, size.value = 50.0, 10.0, 1_000_000
    assert "a control rate of 50.00% and a true lift of 10.00 points: power <b>100.0%</b>" in readout.value
    baseline.value, lift.value, size.value = 0.05, 0.05, 100
    assert "a control rate of 0.05% and a true lift of 0.05 points" in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_explorer_shows_the_same_output_every_time():
    first, second = power_explorer(0.1, 0.01, 5_000), power_explorer(0.1, 0.01, 5_000)
    assert first.children[3].value == second.children[3].value
    assert first.children[4].value == second.children[4].value  # the same PNG bytes
    assert first.model_id not in first._repr_mimebundle_()["text/plain"]


@pytest.mark.parametrize("arguments, error, message", [
    ((0.0001, 0.01, 1_000), ValueError, "the explorer covers baselines from 0.0005 to 0.5"),
    ((0.1, 0.2, 1_000), ValueError, "lifts from 0.0005 to 0.10"),
    ((0.1, 0.01, 50), ValueError, "100 to"),
    ((0.1, -0.01, 1_000), ValueError, "difference should be the planned lift"),
])
def test_explorer_names_bad_input(arguments, error, message):
    with pytest.raises(error, match=message):
        power_explorer(*arguments)


def test_figures_and_explorer_are_exported_from_the_package():
    assert plots.arm_differences is arm_differences and plots.power_curves is power_curves
    assert plots.dose_response_curve is dose_response_curve
    assert {"arm_differences", "power_curves", "dose_response_curve"} <= set(plots.__all__)
    assert widgets.power_explorer is power_explorer and widgets.planned_test_errors is planned_test_errors
    assert {"power_explorer", "planned_test_errors"} <= set(widgets.__all__)

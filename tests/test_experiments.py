"""The experiments module: Welch's and Newcombe's intervals by hand and against Newcombe's own table;
Cohen's sample sizes against his tables; the A/B table on Hillstrom against plain pandas; the
saturating dose-response curve recovering a known truth, unchanged by row order and units."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from customering_utils import datasets, experiments
from customering_utils.clv import FitError

Z95 = stats.norm.ppf(0.975)


# ---- two arms ------------------------------------------------------------------------------------

def test_welch_by_hand():
    treated, control = np.array([3.0, 5.0, 4.0, 6.0]), np.array([1.0, 2.0, 3.0, 2.0])
    # means 4.5 and 2; variances 5/3 and 2/3; SE^2 = 5/12 + 2/12 = 7/12
    se2_t, se2_c = (5 / 3) / 4, (2 / 3) / 4
    se = math.sqrt(se2_t + se2_c)
    df = (se2_t + se2_c) ** 2 / (se2_t ** 2 / 3 + se2_c ** 2 / 3)  # Welch-Satterthwaite, 5.07
    half = stats.t.ppf(0.975, df) * se
    result = experiments.difference_in_means(treated, control)
    assert result.estimate == 2.5 and result.standard_error == pytest.approx(se)
    assert (result.lower, result.upper) == pytest.approx((2.5 - half, 2.5 + half))
    assert result.p_value == pytest.approx(2 * stats.t.sf(2.5 / se, df))
    assert "Welch" in result.method
    # order matters: control minus treated is the mirror image
    mirror = experiments.difference_in_means(control, treated)
    assert (mirror.estimate, mirror.lower, mirror.upper) == pytest.approx((-2.5, -result.upper, -result.lower))
    # a 90% interval is narrower, inside the 95% one
    narrow = experiments.difference_in_means(treated, control, confidence=0.90)
    assert result.lower < narrow.lower < narrow.upper < result.upper


@pytest.mark.parametrize("counts, published", [
    # Newcombe (1998), Statistics in Medicine 17, 873-890, Table II, method 10 (hybrid score)
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
])
def test_newcombe_interval_is_newcombes_table(counts, published):
    result = experiments.difference_in_proportions(*counts)
    assert result.estimate == pytest.approx(counts[0] / counts[1] - counts[2] / counts[3])
    assert (round(result.lower, 4), round(result.upper, 4)) == published


def test_newcombe_interval_is_built_from_the_two_wilson_intervals():
    from customering_utils.intervals import proportion

    treated, control = proportion(56, 70), proportion(48, 80)
    result = experiments.difference_in_proportions(56, 70, 48, 80)
    d = treated.estimate - control.estimate
    assert result.lower == pytest.approx(d - math.hypot(treated.estimate - treated.lower, control.upper - control.estimate))
    assert result.upper == pytest.approx(d + math.hypot(treated.upper - treated.estimate, control.estimate - control.lower))


def test_two_proportion_z_test_by_hand():
    x1, n1, x0, n0 = 267, 21_307, 122, 21_306  # Hillstrom: conversions, men's e-mail against none
    pooled = (x1 + x0) / (n1 + n0)
    z = (x1 / n1 - x0 / n0) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    result = experiments.difference_in_proportions(x1, n1, x0, n0)
    assert result.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
    # the same test as Pearson's chi-square on the 2x2 table without continuity correction
    chi2 = stats.chi2_contingency([[x1, n1 - x1], [x0, n0 - x0]], correction=False)
    assert result.p_value == pytest.approx(chi2.pvalue, rel=1e-9)
    unpooled = math.sqrt(x1 / n1 * (1 - x1 / n1) / n1 + x0 / n0 * (1 - x0 / n0) / n0)
    assert result.standard_error == pytest.approx(unpooled)
    # nobody converted in either arm: nothing to test
    assert experiments.difference_in_proportions(0, 50, 0, 60).p_value == 1.0


@pytest.mark.parametrize("call, message", [
    (lambda: experiments.difference_in_proportions(5, 4, 1, 10), r"the treated arm should have at least 1 trial and no more successes"),
    (lambda: experiments.difference_in_proportions(1.5, 4, 1, 10), r"treated_successes should be a whole number"),
    (lambda: experiments.difference_in_proportions(1, 4, 1, 0), r"the control arm should have at least 1 trial"),
    (lambda: experiments.difference_in_proportions(1, 4, 1, 10, confidence=95), r"confidence should be a share"),
    (lambda: experiments.difference_in_means([1.0], [1.0, 2.0]), r"treated should hold at least 2 values"),
    (lambda: experiments.difference_in_means([1.0, np.nan], [1.0, 2.0]), r"treated has 1 missing or infinite"),
    (lambda: experiments.difference_in_means([1.0, 1.0], [2.0, 2.0]), r"both arms hold a single repeated value"),
    (lambda: experiments.difference_in_means(pd.DataFrame({"a": [1, 2]}), [1.0, 2.0]), r"got a DataFrame"),
    (lambda: experiments.difference_in_means(["a", "b"], [1.0, 2.0]), r"treated should hold numbers"),
])
def test_bad_input_is_named(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


# ---- the A/B table on Hillstrom ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def hillstrom() -> pd.DataFrame:
    return datasets.load_hillstrom()


def test_ab_table_on_hillstrom_matches_plain_pandas(hillstrom):
    before = hillstrom.copy()
    table = experiments.ab_table(hillstrom, "segment", "visit")
    pd.testing.assert_frame_equal(hillstrom, before)  # the input is left as it was
    assert table.index.tolist() == ["No E-Mail", "Mens E-Mail", "Womens E-Mail"] and table.index.name == "segment"
    assert table.attrs["kind"] == "proportion" and table.attrs["control"] == "No E-Mail"
    by_arm = hillstrom.groupby("segment", observed=True)["visit"].agg(["size", "sum", "mean"])
    assert table["n"].tolist() == by_arm["size"].tolist() and table["successes"].tolist() == by_arm["sum"].tolist()
    assert table["rate"].tolist() == pytest.approx(by_arm["mean"].tolist())
    assert table.loc["No E-Mail", "difference"] == 0 and np.isnan(table.loc["No E-Mail", "p_value"])
    for arm in ("Mens E-Mail", "Womens E-Mail"):
        expected = experiments.difference_in_proportions(by_arm.loc[arm, "sum"], by_arm.loc[arm, "size"],
                                                         by_arm.loc["No E-Mail", "sum"], by_arm.loc["No E-Mail", "size"])
        assert (table.loc[arm, "difference"], table.loc[arm, "difference_lower"], table.loc[arm, "difference_upper"],
                table.loc[arm, "p_value"]) == pytest.approx((expected.estimate, expected.lower, expected.upper, expected.p_value))
    # The e-mails raised visits: the men's by 7.7 points (18.3% against 10.6%), the women's by 4.5.
    assert round(table.loc["Mens E-Mail", "difference"], 4) == 0.0766
    assert round(table.loc["Womens E-Mail", "difference"], 4) == 0.0452
    assert (table.loc[["Mens E-Mail", "Womens E-Mail"], "difference_lower"] > 0).all()


def test_ab_table_of_spend_uses_welch(hillstrom):
    table = experiments.ab_table(hillstrom, "segment", "spend")
    assert table.attrs["kind"] == "mean" and "Welch" in table.attrs["test"]
    spend = {arm: group.to_numpy() for arm, group in hillstrom.groupby("segment", observed=True)["spend"]}
    welch = experiments.difference_in_means(spend["Mens E-Mail"], spend["No E-Mail"])
    assert table.loc["Mens E-Mail", ["difference", "difference_lower", "difference_upper"]].tolist() == pytest.approx(
        [welch.estimate, welch.lower, welch.upper])
    # Each arm's mean with its t interval: mean +- t * sd / sqrt(n)
    x = spend["No E-Mail"]
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    assert table.loc["No E-Mail", ["mean_lower", "mean_upper"]].tolist() == pytest.approx([x.mean() - half, x.mean() + half])
    assert round(table.loc["Mens E-Mail", "difference"], 4) == 0.7698  # $1.42 against $0.65 per customer
    # a 0/1 outcome can be asked for as a mean too; a numeric outcome cannot be a proportion
    assert experiments.ab_table(hillstrom, "segment", "visit", kind="mean").attrs["kind"] == "mean"
    with pytest.raises(ValueError, match=r"kind='proportion' needs a 0/1 outcome, but column 'spend'"):
        experiments.ab_table(hillstrom, "segment", "spend", kind="proportion")


def test_ab_table_control_and_errors(hillstrom):
    table = experiments.ab_table(hillstrom, "segment", "conversion", control="Womens E-Mail")
    assert table.index[0] == "Womens E-Mail" and table.loc["Womens E-Mail", "difference"] == 0
    plain = pd.DataFrame({"arm": ["b", "a", "b", "a"], "y": [1, 0, 0, 0]})
    assert experiments.ab_table(plain, "arm", "y").index.tolist() == ["a", "b"]  # smallest value is the control
    with pytest.raises(ValueError, match=r"data is missing column 'visits'"):
        experiments.ab_table(hillstrom, "segment", "visits")
    with pytest.raises(ValueError, match=r"control arm 'Email' is not in column 'segment'"):
        experiments.ab_table(hillstrom, "segment", "visit", control="Email")
    with pytest.raises(ValueError, match=r"column 'segment' has a single arm"):
        experiments.ab_table(hillstrom[hillstrom["segment"] == "No E-Mail"], "segment", "visit")
    with pytest.raises(ValueError, match=r"column 'zip_code' should hold numbers"):
        experiments.ab_table(hillstrom, "segment", "zip_code")
    with pytest.raises(ValueError, match=r"column 'y' has 1 missing or infinite values"):
        experiments.ab_table(plain.assign(y=[1, np.nan, 0, 0]), "arm", "y")
    with pytest.raises(ValueError, match=r"kind should be 'auto', 'proportion' or 'mean'"):
        experiments.ab_table(plain, "arm", "y", kind="rate")


# ---- planning a test -----------------------------------------------------------------------------

@pytest.mark.parametrize("h, cohen", [(0.2, 392), (0.5, 63), (0.8, 25)])
def test_sample_size_for_rates_is_cohens(h, cohen):
    """Cohen (1988), Statistical Power Analysis, Table 6.4.1 (alpha = .05 two-sided, power .80): n per
    group for h = .20, .50, .80 is 392, 63, 25, his rounding of n = 2 (z_.975 + z_.80)^2 / h^2."""
    formula = 2 * (stats.norm.ppf(0.975) + stats.norm.ppf(0.80)) ** 2 / h ** 2
    assert round(formula) == cohen
    # a pair of rates whose Cohen's h is exactly h
    baseline = 0.3
    target = math.sin(math.asin(math.sqrt(baseline)) + h / 2) ** 2
    assert experiments.sample_size(target - baseline, baseline=baseline) == math.ceil(formula)


@pytest.mark.parametrize("d, cohen", [(0.2, 393), (0.5, 64), (0.8, 26)])
def test_sample_size_for_means_is_cohens(d, cohen):
    """Cohen (1988), Table 2.4.1 (alpha = .05 two-sided, power .80): n per group for d = .20, .50, .80
    is 393, 64, 26 (the t test's power, not the normal approximation), rounded; ours rounds up."""
    from statsmodels.stats.power import TTestIndPower

    exact = TTestIndPower().solve_power(effect_size=d, alpha=0.05, power=0.80)
    assert round(exact) == cohen
    assert experiments.sample_size(d * 12.5, sd=12.5) == math.ceil(exact)


def test_sample_size_and_power_agree():
    n = experiments.sample_size(0.01, baseline=0.106)
    assert experiments.power(n, 0.01, baseline=0.106) >= 0.80 > experiments.power(n - 1, 0.01, baseline=0.106)
    # twice as many in control: fewer treated customers needed, more in all
    unequal = experiments.sample_size(0.01, baseline=0.106, ratio=2.0)
    assert unequal < n and unequal * 3 > 2 * n
    # one-sided needs fewer; a larger effect needs fewer; more power needs more
    assert experiments.sample_size(0.01, baseline=0.106, alternative="larger") < n
    assert experiments.sample_size(0.02, baseline=0.106) < n < experiments.sample_size(0.01, baseline=0.106, power=0.9)
    # power grows with n, from alpha/2-ish to 1
    powers = [experiments.power(size, 0.5, sd=2.0) for size in (10, 100, 1_000)]
    assert powers == sorted(powers) and powers[-1] > 0.999


@pytest.mark.parametrize("kwargs, message", [
    ({"difference": 0.01}, r"give baseline= .* or sd="),
    ({"difference": 0.01, "baseline": 0.1, "sd": 1.0}, r"not both and not neither"),
    ({"difference": 0.0, "baseline": 0.1}, r"difference should be the smallest effect worth detecting"),
    ({"difference": 0.95, "baseline": 0.1}, r"both be rates strictly between 0 and 1"),
    ({"difference": 1.0, "sd": -1.0}, r"sd should be the outcome's standard deviation"),
    ({"difference": 0.01, "baseline": 0.1, "alpha": 5}, r"alpha should be the test's false-alarm rate"),
    ({"difference": 0.01, "baseline": 0.1, "power": 80}, r"power should be a chance between 0 and 1"),
    ({"difference": 0.01, "baseline": 0.1, "alternative": "greater"}, r"alternative should be 'two-sided'"),
    ({"difference": -0.01, "baseline": 0.1, "alternative": "larger"}, r"difference has the other sign"),
])
def test_planning_errors_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        experiments.sample_size(**kwargs)


# ---- dose and response -------------------------------------------------------------------------------

def test_dose_response_on_the_world_matches_plain_pandas(world):
    table = experiments.dose_response(world.experiments)
    plain = world.experiments.groupby("dose")["outcome_purchases"].agg(["size", "mean"])
    assert table.index.tolist() == [0, 1, 2, 3] and table["n"].tolist() == plain["size"].tolist()
    assert table["mean"].tolist() == pytest.approx(plain["mean"].tolist())
    assert table["effect"].tolist() == pytest.approx((plain["mean"] - plain.loc[0, "mean"]).tolist())
    assert table.loc[0, "effect"] == 0 and np.isnan(table.loc[0, "effect_lower"])
    assert (table.loc[[1, 2, 3], "effect_lower"] > 0).all(), "every dose raised purchases"


def _trial(e_max=1.5, scale=1.2, baseline=2.0, n=3_000, doses=(0, 1, 2, 3), seed=7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dose = np.repeat(np.asarray(doses, dtype=float), n)
    mean = baseline + e_max * (1 - np.exp(-dose / scale))
    return pd.DataFrame({"dose": dose, "sales": rng.poisson(mean).astype(float)})


def test_saturating_curve_recovers_a_known_truth():
    hits = 0
    for seed in range(20):
        curve = experiments.fit_saturating_curve(_trial(seed=seed, doses=(0, 0.5, 1, 2, 3, 5)), outcome="sales")
        hits += curve.e_max.contains(1.5) + curve.scale.contains(1.2) + curve.baseline.contains(2.0)
        assert curve.dof == 3 and curve.chi_square < 20
    assert hits >= 52, f"the 95% intervals held the truth {hits} times of 60"
    curve = experiments.fit_saturating_curve(_trial(n=20_000, doses=(0, 0.5, 1, 2, 3, 5)), outcome="sales")
    assert curve.e_max.estimate == pytest.approx(1.5, rel=0.05) and curve.scale.estimate == pytest.approx(1.2, rel=0.1)
    assert curve.half_dose == pytest.approx(curve.scale.estimate * math.log(2))
    assert curve.effect(0) == 0 and curve.predict([0])[0] == pytest.approx(curve.baseline.estimate)
    assert curve.effect(1e6) == pytest.approx(curve.e_max.estimate)
    # the doses' table it fitted, with each mean's standard error
    assert curve.doses["standard_error"].gt(0).all() and curve.doses.index.tolist() == [0, 0.5, 1, 2, 3, 5]


def test_saturating_curve_ignores_row_order_and_follows_units():
    trial = _trial()
    curve = experiments.fit_saturating_curve(trial, outcome="sales")
    shuffled = experiments.fit_saturating_curve(trial.sample(frac=1.0, random_state=3), outcome="sales")
    for name in ("baseline", "e_max", "scale"):
        a, b = getattr(curve, name), getattr(shuffled, name)
        assert (b.estimate, b.lower, b.upper) == pytest.approx((a.estimate, a.lower, a.upper), rel=1e-7)
    # outcome in cents instead of dollars: baseline and ceiling x100, scale unchanged, same fit
    cents = experiments.fit_saturating_curve(trial.assign(sales=trial["sales"] * 100), outcome="sales")
    assert cents.e_max.estimate == pytest.approx(100 * curve.e_max.estimate, rel=1e-6)
    assert cents.baseline.upper == pytest.approx(100 * curve.baseline.upper, rel=1e-6)
    assert cents.scale.estimate == pytest.approx(curve.scale.estimate, rel=1e-6)
    assert cents.chi_square == pytest.approx(curve.chi_square, rel=1e-6, abs=1e-9)
    # doses counted in half-touches: the scale doubles, its interval with it; the rest is unchanged
    halves = experiments.fit_saturating_curve(trial.assign(dose=trial["dose"] * 2), outcome="sales")
    assert (halves.scale.estimate, halves.scale.lower, halves.scale.upper) == pytest.approx(
        (2 * curve.scale.estimate, 2 * curve.scale.lower, 2 * curve.scale.upper), rel=1e-6)
    assert halves.e_max.estimate == pytest.approx(curve.e_max.estimate, rel=1e-6)


def test_saturating_curve_on_the_world(world):
    """The world's dose shape is this curve's, with scale 1.2 (WorldParameters.dose_scale), on the
    purchase rate; 4,688 customers pin the scale down only loosely."""
    curve = experiments.fit_saturating_curve(world.experiments)
    assert curve.e_max.lower > 0 and curve.scale.contains(world.truth.params["dose_scale"])


def test_saturating_curve_refuses_what_it_cannot_fit():
    dose = np.repeat([0.0, 1.0, 2.0, 3.0], 5_000)
    refused = 0
    for seed in range(6):
        # A straight line: by chance the doses' means bend a little one way or the other. Bent the
        # wrong way, no curve of diminishing returns fits and the fit is refused; bent the right
        # way, the fit's interval for the scale admits an (almost) straight line.
        rng = np.random.default_rng(seed)
        straight = pd.DataFrame({"dose": dose, "sales": rng.normal(1 + 0.5 * dose, 1.0)})
        try:
            curve = experiments.fit_saturating_curve(straight, outcome="sales")
        except FitError as error:
            assert "do not pin the curve down" in str(error) and "no diminishing returns" in str(error)
            refused += 1
        else:
            assert curve.scale.upper > 10 * 3, curve.scale
    assert 0 < refused < 6
    rng = np.random.default_rng(0)
    flat = pd.DataFrame({"dose": dose, "sales": rng.normal(1.0, 1.0, len(dose))})
    with pytest.raises(FitError, match=r"no effect at all|if any: the best ceiling is 0.0"):
        experiments.fit_saturating_curve(flat, outcome="sales")
    step = pd.DataFrame({"dose": dose, "sales": rng.normal(np.where(dose > 0, 2.0, 1.0), 0.01)})
    with pytest.raises(FitError, match=r"rise all at once"):
        experiments.fit_saturating_curve(step, outcome="sales")
    with pytest.raises(ValueError, match=r"has 2 distinct doses; a curve .* needs at least 3"):
        experiments.fit_saturating_curve(straight[straight["dose"] < 2], outcome="sales")
    with pytest.raises(ValueError, match=r"column 'dose' has no dose 0"):
        experiments.dose_response(straight[straight["dose"] > 0], outcome="sales")
    with pytest.raises(ValueError, match=r"column 'dose' has 1 missing or negative doses"):
        experiments.dose_response(straight.assign(dose=np.r_[-1.0, dose[1:]]), outcome="sales")

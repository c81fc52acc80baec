"""The base's next-year value as a risky asset: the simulation's mean is the sum of Module 1's CLVs
(within simulation error, draw by draw), its spread grows with the models' uncertainty, the order
of rows changes nothing, and value at risk is computed as defined, with clear errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from customering_utils import clv, concentration, datasets, risk

HORIZON = 39.0  # weeks: CDNOW's hold-out period


@pytest.fixture(scope="module")
def cdnow():
    summary = clv.summarize(datasets.load_cdnow(), end="1997-09-30")
    return summary, clv.BetaGeo().fit(summary), clv.GammaGamma().fit(summary)


def within_simulation_error(differences: np.ndarray, z: float = 4.0) -> bool:
    """The mean of ``differences`` is 0 within ``z`` standard errors."""
    return abs(differences.mean()) < z * differences.std(ddof=1) / math.sqrt(len(differences))


@pytest.mark.parametrize("rate", [0.10, 0.0])
def test_the_mean_is_the_sum_of_the_customers_clv(cdnow, rate):
    summary, bg, gg = cdnow
    draws = risk.base_value_distribution(bg, gg, summary, horizon=HORIZON, n_draws=400, seed=5, margin=0.3,
                                         annual_discount_rate=rate, parameter_uncertainty=False)
    expected = clv.customer_lifetime_value(bg, gg, summary, horizon=HORIZON, margin=0.3, annual_discount_rate=rate).sum()
    assert draws.attrs["expected_value"] == pytest.approx(expected)
    assert within_simulation_error(draws["base_value"].to_numpy() - expected)


def test_with_the_models_uncertainty_each_draw_is_centred_on_its_own_models_clv(cdnow):
    summary, bg, gg = cdnow
    n = 60
    draws = risk.base_value_distribution(bg, gg, summary, horizon=HORIZON, n_draws=n, seed=2)
    # The models of draw i are bg.parameter_draws(n, seed)[i] and gg.parameter_draws(n, seed + 1)[i].
    models = zip(bg.parameter_draws(n, seed=2), gg.parameter_draws(n, seed=3), strict=True)
    expected = np.array([clv.customer_lifetime_value(b, g, summary, horizon=HORIZON).sum() for b, g in models])
    assert within_simulation_error(draws["base_value"].to_numpy() - expected)
    # The customers' randomness alone spreads the values less than it and the models' uncertainty together.
    alone = risk.base_value_distribution(bg, gg, summary, horizon=HORIZON, n_draws=300, seed=3, parameter_uncertainty=False)
    both = risk.base_value_distribution(bg, gg, summary, horizon=HORIZON, n_draws=300, seed=3)
    assert both["base_value"].std() > 1.1 * alone["base_value"].std()


def test_the_order_of_rows_and_the_seed(cdnow):
    summary, bg, gg = cdnow
    draws = risk.base_value_distribution(bg, gg, summary, horizon=HORIZON, n_draws=30, seed=7)
    shuffled = summary.sample(frac=1.0, random_state=11)
    pd.testing.assert_frame_equal(risk.base_value_distribution(bg, gg, shuffled, horizon=HORIZON, n_draws=30, seed=7), draws)
    again = risk.base_value_distribution(bg, gg, summary, horizon=HORIZON, n_draws=30, seed=7)
    pd.testing.assert_frame_equal(again, draws)
    other = risk.base_value_distribution(bg, gg, summary, horizon=HORIZON, n_draws=30, seed=8)
    assert not np.allclose(other["base_value"], draws["base_value"])


def test_the_top_customers(cdnow):
    summary, bg, gg = cdnow
    draws = risk.base_value_distribution(bg, gg, summary, horizon=HORIZON, n_draws=50, seed=1, top=0.2)
    assert draws.attrs["top_customers"] == math.ceil(0.2 * len(summary))
    assert (draws["top_value"] <= draws["base_value"]).all()
    np.testing.assert_allclose(draws["top_share"], draws["top_value"] / draws["base_value"])
    # On average the draws put on the top 20% the share their expected values give them.
    expected = clv.customer_lifetime_value(bg, gg, summary, horizon=HORIZON)
    assert draws["top_share"].mean() == pytest.approx(concentration.top_share(expected, 0.2), abs=0.02)
    everyone = risk.base_value_distribution(bg, gg, summary, horizon=HORIZON, n_draws=20, seed=1, top=1.0)
    np.testing.assert_allclose(everyone["top_value"], everyone["base_value"])
    assert list(draws.columns) == ["base_value", "top_value", "top_share"] and draws.index.name == "draw"


def test_on_the_data_world(world):
    summary = clv.summarize(world.transactions, end="2025-12-31")
    bg, gg = clv.BetaGeo().fit(summary), clv.GammaGamma().fit(summary)
    margin, rate = world.truth.params["gross_margin"], world.truth.params["annual_discount_rate"]
    draws = risk.base_value_distribution(bg, gg, summary, n_draws=200, seed=0, margin=margin, annual_discount_rate=rate)
    expected = draws.attrs["expected_value"]
    assert abs(draws["base_value"].mean() - expected) < 0.01 * expected  # the fits' uncertainty is small here
    at_risk = risk.value_at_risk(draws["base_value"])
    assert 0 < at_risk < 0.1 * expected
    assert 0.55 < draws["top_share"].mean() < 0.7  # most of next year's value rests on a fifth of the customers


def test_value_at_risk_by_hand():
    # 1..20: the mean is 10.5, numpy's 5th percentile 1 + 0.05 * 19 = 1.95
    assert risk.value_at_risk(range(1, 21)) == pytest.approx(10.5 - 1.95)
    assert risk.value_at_risk(range(1, 21), level=0.5) == pytest.approx(0.0)
    values = np.random.default_rng(0).normal(1000, 50, 200_000)
    assert risk.value_at_risk(values, level=0.95) == pytest.approx(1.6449 * 50, rel=0.01)  # a normal's 95% VaR
    assert risk.value_at_risk(values * 100) == pytest.approx(100 * risk.value_at_risk(values))
    assert risk.value_at_risk(pd.Series(values).sample(frac=1.0, random_state=1)) == pytest.approx(risk.value_at_risk(values))


@pytest.mark.parametrize("draws, level, error, message", [
    (pd.DataFrame({"base_value": [1.0, 2.0]}), 0.95, TypeError, "pick its column, such as draws\\['base_value'\\]"),
    ([1.0], 0.95, ValueError, "draws should hold at least 2 simulated values"),
    ([1.0, np.nan], 0.95, ValueError, "draws should hold finite values only"),
    ([1.0, 2.0], 95, ValueError, "level should be a share between 0 and 1"),
])
def test_value_at_risk_names_bad_input(draws, level, error, message):
    with pytest.raises(error, match=message):
        risk.value_at_risk(draws, level=level)


@pytest.mark.parametrize("kwargs, message", [
    ({"margin": 0.0}, "margin should be a share of revenue above 0 and at most 1"),
    ({"annual_discount_rate": -0.1}, "annual_discount_rate should be a yearly rate of at least 0"),
    ({"horizon": 0.0}, "horizon should be a positive length of time in weeks"),
    ({"n_draws": 0}, "n_draws should be a whole number of at least 1"),
    ({"top": 0.0}, "top should be a share of customers above 0 and at most 1"),
])
def test_base_value_distribution_names_bad_input(cdnow, kwargs, message):
    summary, bg, gg = cdnow
    with pytest.raises(ValueError, match=message):
        risk.base_value_distribution(bg, gg, summary, **({"n_draws": 5} | kwargs))


def test_models_and_summaries_that_do_not_fit_are_named(cdnow):
    summary, bg, gg = cdnow
    published = clv.BetaGeo.from_params(**bg.params_)
    with pytest.raises(clv.NotFittedError, match="parameter draws need a model fitted to data"):
        risk.base_value_distribution(published, gg, summary, n_draws=5)
    assert len(risk.base_value_distribution(published, gg, summary, n_draws=5, parameter_uncertainty=False)) == 5
    in_days = clv.summarize(datasets.load_cdnow(), end="1997-09-30", time_unit="D")
    with pytest.raises(ValueError, match="the summary measures time in days but the model's rates are per week"):
        risk.base_value_distribution(bg, gg, in_days, n_draws=5)
    with pytest.raises(clv.NotFittedError, match="not fitted yet"):
        risk.base_value_distribution(clv.BetaGeo(), gg, summary, n_draws=5)

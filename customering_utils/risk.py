r"""The customer base as a risky asset: how much its next year's value could fall short, and how much rests on a few.

Module 1's models give each customer's *expected* value; the base's value next year is
uncertain for two reasons, and :func:`base_value_distribution` simulates both:

1. **the models' parameters are estimates**: each draw of the simulation uses parameters
   drawn from the fits' uncertainty (:meth:`customering_utils.clv.BetaGeo.parameter_draws`);
2. **customers are random**: given the parameters, each customer may have left already
   (with the probability P(alive) says), buys at their own rate if not, drops out after a
   purchase with their own probability, and spends a random amount each time, exactly as
   BG/NBD and Gamma-Gamma tell the story.

From the simulated values, :func:`value_at_risk` reads how far below its expected value
the base's value falls in the worst 5% of cases (for ``level=0.95``), and the share of the
value resting on the largest customers (the top 20% by expected value) says how much one
loss of a few could cost.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from . import clv, periods

__all__ = ["base_value_distribution", "value_at_risk"]

#: Customer-draws simulated at once: bounds the memory of a simulation (a few tens of MB).
_CHUNK = 1_000_000


def base_value_distribution(
    bgnbd: clv.BetaGeo,
    gamma_gamma: clv.GammaGamma,
    summary: pd.DataFrame,
    horizon: float = 52.0,
    n_draws: int = 200,
    seed: int = 0,
    margin: float = 0.30,
    annual_discount_rate: float = 0.10,
    top: float = 0.20,
    parameter_uncertainty: bool = True,
) -> pd.DataFrame:
    r"""Simulated values of the base's discounted margin over the next ``horizon``: one row per draw.

    Each draw does what the models say could happen next, for every customer of
    ``summary`` (with :math:`x` repeat purchases, the last at :math:`t_x`, observed for
    :math:`T`, and mean repeat spend :math:`m_x`):

    1. parameters: with ``parameter_uncertainty``, draw ``i`` of
       ``bgnbd.parameter_draws(n_draws, seed)`` and of
       ``gamma_gamma.parameter_draws(n_draws, seed + 1)``; otherwise the fitted ones;
    2. alive or not: the customer is still alive with probability P(alive) (FHL 2005, eq. 11);
    3. if alive, their purchase rate and drop-out probability are drawn from what their
       history says of them, :math:`\lambda \sim \mathrm{Gamma}(r + x, \alpha + T)` and
       :math:`p \sim \mathrm{Beta}(a, b + x)`, and their spend rate
       :math:`\nu \sim \mathrm{Gamma}(q + p_{GG}\,x, v + x\,m_x)` (shape, rate);
    4. they buy after exponential gaps of mean :math:`1/\lambda` until the horizon, each
       purchase worth a Gamma(:math:`p_{GG}`, :math:`\nu`) amount, and drop out after each
       with probability :math:`p`;
    5. each purchase's gross margin is discounted to today at the end of the step (week, for
       a weekly model) it falls in, as :func:`customering_utils.clv.customer_lifetime_value`
       discounts.

    So the draws' mean is the sum of the customers' CLVs (over the same parameters), and
    their spread adds the customers' own randomness to the models' uncertainty. The
    customers' randomness comes from ``numpy.random.default_rng([seed, 2])``, with the
    customers taken in order of their ids: the same ``seed`` gives the same draws, whatever
    the order of the summary's rows.

    Parameters
    ----------
    bgnbd : customering_utils.clv.BetaGeo
        A fitted purchase model (fitted to data, for ``parameter_uncertainty``).
    gamma_gamma : customering_utils.clv.GammaGamma
        A fitted spend model.
    summary : DataFrame
        Customer histories as :func:`customering_utils.clv.summarize` makes them, in the
        purchase model's unit of time, indexed by ``customer_id``.
    horizon : float, default 52.0
        How far ahead, in the model's unit of time (52 weeks: next year).
    n_draws : int, default 200
        How many values of the base to simulate, at least 1.
    seed : int, default 0
        Seed of the simulation.
    margin : float, default 0.30
        Gross margin as a share of revenue, above 0 and at most 1.
    annual_discount_rate : float, default 0.10
        Yearly rate at which later margin is discounted, at least 0.
    top : float, default 0.20
        The share of customers, largest expected value first, whose part of each draw is
        reported (above 0 and at most 1).
    parameter_uncertainty : bool, default True
        Whether each draw uses parameters drawn from the fits' uncertainty; False leaves
        only the customers' own randomness.

    Returns
    -------
    DataFrame
        One row per draw (index ``draw``), with ``base_value`` (the base's discounted margin
        over the horizon, US dollars), ``top_value`` (the part of it from the top ``top``
        share of customers by expected value, US dollars) and ``top_share`` (their share).
        ``attrs`` holds the settings and ``expected_value``, the sum of the customers' CLVs
        under the fitted models.

    Examples
    --------
    >>> from customering_utils import datasets
    >>> summary = clv.summarize(datasets.load_cdnow(), end="1997-09-30")
    >>> bg, gg = clv.BetaGeo().fit(summary), clv.GammaGamma().fit(summary)
    >>> draws = base_value_distribution(bg, gg, summary, horizon=39, n_draws=100, seed=1)
    >>> round(draws.attrs["expected_value"])  # the sum of the customers' CLVs, US$
    17379
    >>> round(float(draws["base_value"].mean()), -2), round(value_at_risk(draws["base_value"]), -2)  # mean, 95% VaR
    (17500.0, 1600.0)
    >>> round(float(draws["top_share"].mean()), 2)  # the top 20% of customers hold most of it
    0.72
    """
    purchases_params = bgnbd._fitted()
    spend_params = gamma_gamma._fitted()
    unit = bgnbd.time_unit_
    if not 0 < _number(margin) <= 1:
        raise ValueError(f"margin should be a share of revenue above 0 and at most 1 (for example 0.30), got {margin!r}")
    if not (np.isfinite(_number(annual_discount_rate)) and _number(annual_discount_rate) >= 0):
        raise ValueError(f"annual_discount_rate should be a yearly rate of at least 0 (0.10 for 10%), got {annual_discount_rate!r}")
    if not (np.isfinite(_number(horizon)) and _number(horizon) > 0):
        raise ValueError(f"horizon should be a positive length of time in {periods.unit_name(unit)}, got {horizon!r}")
    if isinstance(n_draws, bool) or not isinstance(n_draws, (int, np.integer)) or n_draws < 1:
        raise ValueError(f"n_draws should be a whole number of at least 1, got {n_draws!r}")
    if not 0 < _number(top) <= 1:
        raise ValueError(f"top should be a share of customers above 0 and at most 1 (0.2 for the top 20%), got {top!r}")
    if summary.index.has_duplicates:
        raise ValueError("summary has a customer more than once; expected one row per customer")
    histories = summary.sort_index()  # the order of the rows must not change the draws
    x, _, T = bgnbd._history(histories)
    spend_x, m_x = gamma_gamma._spend(histories)
    horizon, margin = float(horizon), float(margin)
    step_rate = periods.per_period_rate(float(annual_discount_rate), unit)

    expected = clv.customer_lifetime_value(bgnbd, gamma_gamma, histories, horizon=horizon, margin=margin,
                                           annual_discount_rate=annual_discount_rate)
    n = len(histories)
    order = np.lexsort((np.arange(n), -expected.to_numpy()))  # largest first; ties by customer id
    is_top = np.zeros(n, dtype=bool)
    is_top[order[: math.ceil(round(float(top) * n, 9))]] = True

    if parameter_uncertainty:
        purchase_models = bgnbd.parameter_draws(int(n_draws), seed=seed)
        spend_models = gamma_gamma.parameter_draws(int(n_draws), seed=seed + 1)
    else:
        purchase_models = [bgnbd] * int(n_draws)
        spend_models = [gamma_gamma] * int(n_draws)
    rng = np.random.default_rng([seed, 2])
    base, on_top = np.zeros(int(n_draws)), np.zeros(int(n_draws))
    per_chunk = max(1, _CHUNK // n)
    for start in range(0, int(n_draws), per_chunk):
        stop = min(start + per_chunk, int(n_draws))
        draws = np.arange(start, stop)
        alive = np.stack([purchase_models[i].p_alive(histories).to_numpy() for i in draws])
        params = {name: np.array([purchase_models[i].params_[name] for i in draws])[:, None] for name in ("r", "alpha", "a", "b")}
        params |= {name: np.array([spend_models[i].params_[name] for i in draws])[:, None] for name in ("p", "q", "v")}
        draw_of, who = np.nonzero(rng.random(alive.shape) < alive)
        own = {name: values[draw_of, 0] for name, values in params.items()}  # each live customer-draw's parameters
        rate = rng.gamma(own["r"] + x[who], 1 / (own["alpha"] + T[who]))
        drop = rng.beta(own["a"], own["b"] + x[who])
        nu = rng.gamma(own["q"] + own["p"] * spend_x[who], 1 / (own["v"] + spend_x[who] * m_x[who]))
        value = _simulate_margin(rng, rate, drop, nu, own["p"], horizon, step_rate) * margin
        base[start:stop] = np.bincount(draw_of, weights=value, minlength=len(draws))
        on_top[start:stop] = np.bincount(draw_of, weights=value * is_top[who], minlength=len(draws))
    table = pd.DataFrame({"base_value": base, "top_value": on_top},
                         index=pd.RangeIndex(int(n_draws), name="draw"))
    with np.errstate(invalid="ignore", divide="ignore"):
        table["top_share"] = table["top_value"] / table["base_value"]
    table.attrs = {"horizon": horizon, "time_unit": unit, "margin": margin,
                   "annual_discount_rate": float(annual_discount_rate), "top": float(top), "customers": n,
                   "top_customers": int(is_top.sum()), "parameter_uncertainty": bool(parameter_uncertainty),
                   "expected_value": float(expected.sum()), "seed": seed,
                   "fitted_params": purchases_params | spend_params}
    return table


def _simulate_margin(rng: np.random.Generator, rate: np.ndarray, drop: np.ndarray, nu: np.ndarray,
                     amount_shape: np.ndarray, horizon: float, step_rate: float) -> np.ndarray:
    """Discounted revenue of each live customer-draw over ``horizon``: purchases after exponential gaps.

    Customers still active are kept in compact arrays: each round draws the next gap of
    every one of them, records the purchases that fall within the horizon, and lets the
    buyers drop out with their probability.
    """
    total = np.zeros(len(rate))
    active = np.arange(len(rate))
    clock = np.zeros(len(rate))
    while active.size:
        clock[active] += rng.exponential(1.0, active.size) / rate[active]
        active = active[clock[active] <= horizon]
        if not active.size:
            break
        amounts = rng.gamma(amount_shape[active], 1 / nu[active])
        total[active] += amounts * (1 + step_rate) ** -np.ceil(clock[active])
        active = active[rng.random(active.size) >= drop[active]]
    return total


def value_at_risk(draws: ArrayLike, level: float = 0.95) -> float:
    """Value at risk: how far below its mean the base's value falls, at worst, in all but ``1 - level`` of cases.

    With ``level=0.95``, the 5th percentile of the simulated values is the value the base
    falls below only one year in twenty; the value at risk is the mean minus that
    percentile, US dollars (numpy's default, linear, percentile). It is a shortfall from
    what is expected, not a loss of everything: read it beside the mean.

    Parameters
    ----------
    draws : array_like
        Simulated values of the base, US dollars: the ``base_value`` column of
        :func:`base_value_distribution`, or any one-dimensional sample.
    level : float, default 0.95
        The confidence level, between 0 and 1.

    Returns
    -------
    float
        The mean of ``draws`` minus their ``1 - level`` quantile, US dollars.

    Examples
    --------
    Twenty equally likely values, 1 to 20: the mean is 10.5 and the 5th percentile 1.95.

    >>> round(value_at_risk(range(1, 21)), 2)
    8.55
    """
    if isinstance(draws, pd.DataFrame):
        raise TypeError("draws should be one value per draw, got a DataFrame; pick its column, such as draws['base_value']")
    values = np.asarray(draws, dtype=float).ravel()
    if values.size < 2:
        raise ValueError(f"draws should hold at least 2 simulated values, got {values.size}")
    if not np.all(np.isfinite(values)):
        raise ValueError("draws should hold finite values only (no NaN or infinity)")
    if isinstance(level, bool) or not 0 < _number(level) < 1:
        raise ValueError(f"level should be a share between 0 and 1 (for example 0.95), got {level!r}")
    return float(values.mean() - np.quantile(values, 1 - float(level)))


def _number(value: object) -> float:
    if isinstance(value, bool):
        return float("nan")
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")

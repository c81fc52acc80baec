r"""Did it work, and by how much? A/B tests, their power, and how an effect grows with the dose.

A randomised experiment splits customers at random into arms (a control that gets nothing,
and one or more treatments), so the arms differ, before the treatment, only by chance. The
difference of their outcomes afterwards is then the treatment's effect, give or take chance,
and every estimate here comes with the interval that says how much to give or take:

- :func:`difference_in_means`: an outcome such as spend, with **Welch's t** interval and
  test (``scipy.stats.ttest_ind(equal_var=False)``), which does not assume the arms'
  spreads are equal;
- :func:`difference_in_proportions`: a rate such as a conversion rate, with **Newcombe's
  hybrid score interval** (Newcombe 1998, his method 10, built from the two arms' Wilson
  intervals; ``statsmodels``' ``confint_proportions_2indep(method="newcomb")``) and the
  **two-proportion z test** with the pooled rate (``statsmodels``' ``proportions_ztest``,
  the same test as Pearson's chi-square on the 2x2 table, without continuity correction);
- :func:`ab_table`: one row per arm, with its rate or mean and the difference from control;
- :func:`sample_size` and :func:`power`: how many customers a planned test needs, with
  **Cohen's effect sizes**: *h* for two rates, *d* for two means (``statsmodels``'
  ``NormalIndPower`` and ``TTestIndPower``);
- :func:`dose_response` and :func:`fit_saturating_curve`: the effect of each dose against
  dose 0, and a curve of diminishing returns fitted through them,

  .. math:: m(d) = b + E_{\max}\,\bigl(1 - e^{-d/s}\bigr),

  the shape of the data world's experiment (``WorldParameters.dose_response``).

``statsmodels`` is imported inside the functions that use it, so importing this module
stays quick.

>>> print(difference_in_proportions(267, 21_307, 122, 21_306))   # Hillstrom: men's e-mail against none
0.007 (95% interval 0.005 to 0.009), p < 0.001
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import optimize, special, stats

from . import intervals
from .clv import FitError
from .tables import require_columns

__all__ = ["Comparison", "difference_in_means", "difference_in_proportions", "ab_table", "sample_size", "power",
           "dose_response", "SaturatingCurve", "fit_saturating_curve"]

#: The tests and intervals used, as ab_table and dose_response record them in ``attrs``.
METHODS = {
    "proportion": ("Newcombe's hybrid score interval (method 10)", "two-proportion z test, pooled"),
    "mean": ("Welch's t interval", "Welch's t test"),
}


@dataclass(frozen=True)
class Comparison(intervals.Interval):
    """A difference between two groups (treated minus control), its interval and the test of no difference.

    An :class:`customering_utils.intervals.Interval` that also carries the p-value of the
    test of "no difference", the standard error and the names of the interval and test used.

    Attributes
    ----------
    estimate : float
        The difference, treated minus control.
    lower, upper : float
        The ends of its interval.
    confidence : float
        The interval's level, 0.95 by default.
    p_value : float
        The chance of a difference at least this large (either way) if the treatment did
        nothing.
    standard_error : float
        The standard error of the difference (unpooled).
    method : str
        The interval and the test, in words.

    Examples
    --------
    >>> lift = Comparison(0.02, 0.01, 0.03, 0.95, p_value=0.0004, standard_error=0.005)
    >>> print(lift)
    0.020 (95% interval 0.010 to 0.030), p < 0.001
    >>> lift.contains(0)
    False
    """

    p_value: float = float("nan")
    standard_error: float = float("nan")
    method: str = field(default="", compare=False)

    def __str__(self) -> str:
        p = "p < 0.001" if self.p_value < 0.001 else f"p = {self.p_value:.3f}"
        return f"{self.format('.3f')}, {p}"


# ---- two arms ---------------------------------------------------------------------------------


def _sample(values: ArrayLike, name: str) -> np.ndarray:
    """A 1-d array of finite numbers with at least 2 of them, or an error naming ``name``."""
    if isinstance(values, pd.DataFrame):
        raise TypeError(f"{name} should be one value per customer (a list, array or Series), got a DataFrame; "
                        "pick its column, such as data['spend']")
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} should be one value per customer (1-d), got an array of shape {array.shape}")
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} should hold numbers, got values of type {array.dtype}")
    array = array.astype(float)
    if len(array) < 2:
        raise ValueError(f"{name} should hold at least 2 values to measure their spread, got {len(array)}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} has {int((~np.isfinite(array)).sum()):,} missing or infinite values; "
                         "expected a number for every customer")
    return array


def difference_in_means(treated: ArrayLike, control: ArrayLike, confidence: float = 0.95) -> Comparison:
    r"""Mean of ``treated`` minus mean of ``control``, with Welch's t interval and test.

    The standard error is :math:`\sqrt{s_T^2/n_T + s_C^2/n_C}` (each arm's own sample
    variance: the arms need not be equally spread, as spend rarely is), and the interval and
    p-value use the t distribution with Welch-Satterthwaite degrees of freedom
    (``scipy.stats.ttest_ind(..., equal_var=False)``, Welch 1947). With thousands of
    customers per arm this is the normal interval ``difference ± 1.96 SE``.

    Parameters
    ----------
    treated, control : array_like
        One outcome per customer of each arm (spend in US dollars, purchases...), at least 2
        each, no missing values.
    confidence : float, default 0.95
        The interval's level.

    Returns
    -------
    Comparison
        The difference, its interval, the p-value of Welch's test and the standard error.

    Examples
    --------
    >>> print(difference_in_means([3.0, 5.0, 4.0, 6.0], [1.0, 2.0, 3.0, 2.0]))
    2.500 (95% interval 0.545 to 4.455), p = 0.022
    """
    a, b = _sample(treated, "treated"), _sample(control, "control")
    level = intervals._confidence(confidence)
    standard_error = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    if standard_error == 0:
        raise ValueError("both arms hold a single repeated value (no spread), so the difference has no "
                         "interval; check that the outcome column is the right one")
    result = stats.ttest_ind(a, b, equal_var=False)
    interval = result.confidence_interval(confidence_level=level)
    return Comparison(float(a.mean() - b.mean()), float(interval.low), float(interval.high), level,
                      p_value=float(result.pvalue), standard_error=standard_error,
                      method="Welch's t interval; Welch's t test")


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not float(value).is_integer() or value < 0:
        raise ValueError(f"{name} should be a whole number of at least 0, got {value!r}")
    return int(value)


def difference_in_proportions(treated_successes: int, treated_trials: int, control_successes: int,
                              control_trials: int, confidence: float = 0.95) -> Comparison:
    r"""Rate of the treated arm minus rate of the control arm, with Newcombe's interval and the z test.

    The estimate is :math:`\hat p_T - \hat p_C`. Its interval is Newcombe's hybrid score
    interval (Newcombe 1998, "Interval estimation for the difference between independent
    proportions", *Statistics in Medicine* 17, method 10): each arm's Wilson interval
    :math:`[l_i, u_i]` is combined as

    .. math:: \hat p_T - \hat p_C - \sqrt{(\hat p_T - l_T)^2 + (u_C - \hat p_C)^2}, \quad
              \hat p_T - \hat p_C + \sqrt{(u_T - \hat p_T)^2 + (\hat p_C - l_C)^2}

    (``statsmodels.stats.proportion.confint_proportions_2indep(method="newcomb")``). Like
    Wilson's, it holds the truth about as often as it claims even for rare events such as
    conversions, where the textbook "difference ± 1.96 SE" (Wald) interval is too narrow.
    The p-value is the two-proportion z test with the pooled rate
    :math:`\bar p = (x_T + x_C)/(n_T + n_C)`:
    :math:`z = (\hat p_T - \hat p_C) / \sqrt{\bar p (1 - \bar p)(1/n_T + 1/n_C)}`
    (``statsmodels.stats.proportion.proportions_ztest``). When no customer, or every
    customer, succeeded in both arms, there is no difference to test and the p-value is 1.

    Parameters
    ----------
    treated_successes, treated_trials : int
        Customers of the treated arm who converted (visited, bought...), and all of them.
    control_successes, control_trials : int
        The same for the control arm.
    confidence : float, default 0.95
        The interval's level.

    Returns
    -------
    Comparison
        The difference of the rates (a share, -1 to 1), its interval, the z test's p-value
        and the unpooled standard error :math:`\sqrt{\hat p_T(1-\hat p_T)/n_T + \hat p_C(1-\hat p_C)/n_C}`.

    Examples
    --------
    Newcombe's (1998) own example, 56 of 70 against 48 of 80:

    >>> print(difference_in_proportions(56, 70, 48, 80))
    0.200 (95% interval 0.052 to 0.334), p = 0.008
    """
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    x1, n1 = _count(treated_successes, "treated_successes"), _count(treated_trials, "treated_trials")
    x0, n0 = _count(control_successes, "control_successes"), _count(control_trials, "control_trials")
    for successes, trials, arm in ((x1, n1, "treated"), (x0, n0, "control")):
        if trials < 1 or successes > trials:
            raise ValueError(f"the {arm} arm should have at least 1 trial and no more successes than trials; "
                             f"got {successes} of {trials}")
    level = intervals._confidence(confidence)
    p1, p0 = x1 / n1, x0 / n0
    low, high = confint_proportions_2indep(x1, n1, x0, n0, method="newcomb", compare="diff", alpha=1 - level)
    pooled = (x1 + x0) / (n1 + n0)
    p_value = 1.0 if pooled in (0.0, 1.0) else float(proportions_ztest([x1, x0], [n1, n0])[1])
    standard_error = math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
    return Comparison(p1 - p0, float(low), float(high), level, p_value=p_value, standard_error=standard_error,
                      method="Newcombe's hybrid score interval; two-proportion z test, pooled")


# ---- a table of arms ---------------------------------------------------------------------------


def _outcome_values(data: pd.DataFrame, outcome: str) -> pd.Series:
    values = data[outcome]
    if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
        raise ValueError(f"column {outcome!r} should hold numbers (an outcome per customer), got {values.dtype}")
    values = values.astype(float)
    bad = ~np.isfinite(values.to_numpy())
    if bad.any():
        raise ValueError(f"column {outcome!r} has {int(bad.sum()):,} missing or infinite values (first at row "
                         f"{int(np.flatnonzero(bad)[0])}); expected an outcome for every customer")
    return values


def _arms(data: pd.DataFrame, arm: str) -> list:
    """The arms in order: a categorical's categories that occur, else the sorted values."""
    values = data[arm]
    if values.isna().any():
        raise ValueError(f"column {arm!r} has {int(values.isna().sum()):,} missing values; every customer needs an arm")
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = set(values.unique())
        return [category for category in values.cat.categories if category in present]
    return sorted(values.unique().tolist())


def ab_table(data: pd.DataFrame, arm: str, outcome: str, control: object = None, kind: str = "auto",
             confidence: float = 0.95) -> pd.DataFrame:
    """One row per arm of an experiment: its size, its rate (or mean) and its difference from control.

    For a 0/1 outcome (visited, bought) the arm's **rate** has a Wilson interval
    (:func:`customering_utils.intervals.proportion`) and its difference from control is
    :func:`difference_in_proportions` (Newcombe's interval, the pooled z test). For any other
    outcome (spend) the arm's **mean** has a t interval (``scipy.stats.ttest_1samp``) and the
    difference is :func:`difference_in_means` (Welch). Each treated arm is compared with the
    control alone; the p-values are not adjusted for the number of arms compared (with
    several arms, read them with that in mind, or multiply by the number of arms: Bonferroni).

    Parameters
    ----------
    data : DataFrame
        One row per customer, with the columns ``arm`` and ``outcome``.
    arm : str
        The column naming each customer's arm (``"segment"`` in Hillstrom, ``"dose"`` in the
        data world).
    outcome : str
        The column of outcomes: 0/1, or any numbers.
    control : optional
        The control arm's value; ``None`` (the default) takes the first category of a
        categorical column (Hillstrom's ``"No E-Mail"``), or else the smallest value (dose 0).
    kind : {"auto", "proportion", "mean"}, default "auto"
        ``"proportion"`` for a 0/1 outcome, ``"mean"`` for any other; ``"auto"`` picks
        ``"proportion"`` when every value is 0 or 1.
    confidence : float, default 0.95
        The level of every interval.

    Returns
    -------
    DataFrame
        Indexed by arm (control first), with ``n`` (customers), for a proportion
        ``successes``, ``rate``, ``rate_lower``, ``rate_upper``, for a mean ``mean``,
        ``mean_lower``, ``mean_upper``; then ``difference``, ``difference_lower``,
        ``difference_upper`` and ``p_value`` against control (0 and blanks on the control's
        own row). ``attrs`` holds ``outcome``, ``kind``, ``control``, ``confidence`` and the
        ``interval`` and ``test`` used, in words.

    Examples
    --------
    >>> import pandas as pd
    >>> trial = pd.DataFrame({"arm": ["A"] * 200 + ["B"] * 200,
    ...                       "bought": [1] * 20 + [0] * 180 + [1] * 36 + [0] * 164})
    >>> ab_table(trial, "arm", "bought").round(3)[["n", "rate", "difference", "difference_lower", "difference_upper", "p_value"]]
           n  rate  difference  difference_lower  difference_upper  p_value
    arm
    A    200  0.10        0.00               NaN               NaN      NaN
    B    200  0.18        0.08             0.012             0.148    0.021
    """
    require_columns(data, [arm, outcome], table="data")
    data = data if arm in data.columns and outcome in data.columns else data.reset_index()
    if len(data) == 0:
        raise ValueError("data is empty (0 rows); expected one row per customer")
    values = _outcome_values(data, outcome)
    arms = _arms(data, arm)
    if control is None:
        control = arms[0]
    if control not in arms:
        raise ValueError(f"control arm {control!r} is not in column {arm!r} (it has: {', '.join(map(str, arms))})")
    if len(arms) < 2:
        raise ValueError(f"column {arm!r} has a single arm ({arms[0]!r}); an A/B table needs a control and at least one treatment")
    if kind not in ("auto", "proportion", "mean"):
        raise ValueError(f"kind should be 'auto', 'proportion' or 'mean', got {kind!r}")
    binary = bool(values.isin([0.0, 1.0]).all())
    if kind == "auto":
        kind = "proportion" if binary else "mean"
    if kind == "proportion" and not binary:
        raise ValueError(f"kind='proportion' needs a 0/1 outcome, but column {outcome!r} has other values "
                         f"(first: {values[~values.isin([0.0, 1.0])].iloc[0]!r}); use kind='mean'")
    level = intervals._confidence(confidence)
    ordered = [control] + [value for value in arms if value != control]
    groups = {value: values[(data[arm] == value).to_numpy()].to_numpy() for value in ordered}
    rows = []
    for value in ordered:
        x = groups[value]
        if kind == "proportion":
            share = intervals.proportion(int(x.sum()), len(x), level)
            row = {"n": len(x), "successes": int(x.sum()), "rate": share.estimate, "rate_lower": share.lower,
                   "rate_upper": share.upper}
        else:
            if len(x) < 2:
                raise ValueError(f"arm {value!r} has {len(x)} customer; a mean's interval needs at least 2")
            spread = stats.ttest_1samp(x, 0.0).confidence_interval(confidence_level=level) if x.std() > 0 else None
            mean = float(x.mean())
            row = {"n": len(x), "mean": mean, "mean_lower": float(spread.low) if spread else mean,
                   "mean_upper": float(spread.high) if spread else mean}
        if value == control:
            row |= {"difference": 0.0, "difference_lower": np.nan, "difference_upper": np.nan, "p_value": np.nan}
        else:
            c = groups[control]
            difference = (difference_in_proportions(int(x.sum()), len(x), int(c.sum()), len(c), level)
                          if kind == "proportion" else difference_in_means(x, c, level))
            row |= {"difference": difference.estimate, "difference_lower": difference.lower,
                    "difference_upper": difference.upper, "p_value": difference.p_value}
        rows.append(row)
    table = pd.DataFrame(rows, index=pd.Index(ordered, name=arm))
    interval, test = METHODS[kind]
    table.attrs = {"outcome": outcome, "kind": kind, "control": control, "confidence": level,
                   "interval": interval, "test": test}
    return table


# ---- planning a test -------------------------------------------------------------------------


def _effect_size(difference: float, baseline: float | None, sd: float | None) -> tuple[float, str]:
    """Cohen's h (rates, given ``baseline``) or d (means, given ``sd``), and which it is."""
    if (baseline is None) == (sd is None):
        raise ValueError("give baseline= (the control arm's rate, for a rate such as conversion) or sd= "
                         "(the outcome's standard deviation, for a mean such as spend), not both and not neither")
    if isinstance(difference, bool) or not np.isfinite(difference) or difference == 0:
        raise ValueError(f"difference should be the smallest effect worth detecting, a number other than 0, got {difference!r}")
    if baseline is not None:
        target = baseline + difference
        if not (0 < baseline < 1 and 0 < target < 1):
            raise ValueError(f"baseline and baseline + difference should both be rates strictly between 0 and 1; "
                             f"got {baseline!r} and {target!r}")
        from statsmodels.stats.proportion import proportion_effectsize

        return float(proportion_effectsize(target, baseline)), "h"
    if not sd > 0:
        raise ValueError(f"sd should be the outcome's standard deviation, a positive number, got {sd!r}")
    return difference / sd, "d"


def _power_model(kind: str):  # type: ignore[no-untyped-def]
    from statsmodels.stats.power import NormalIndPower, TTestIndPower

    return NormalIndPower() if kind == "h" else TTestIndPower()


def _check_plan(alpha: float, ratio: float, alternative: str, effect: float) -> None:
    if isinstance(alpha, bool) or not 0 < alpha < 1:
        raise ValueError(f"alpha should be the test's false-alarm rate, between 0 and 1 (for example 0.05), got {alpha!r}")
    if isinstance(ratio, bool) or not ratio > 0:
        raise ValueError(f"ratio should be the control arm's size over the treated arm's, a positive number, got {ratio!r}")
    if alternative not in ("two-sided", "larger", "smaller"):
        raise ValueError(f"alternative should be 'two-sided', 'larger' or 'smaller', got {alternative!r}")
    if (alternative == "larger" and effect < 0) or (alternative == "smaller" and effect > 0):
        raise ValueError(f"alternative={alternative!r} tests for a {alternative} outcome in the treated arm, but difference "
                         f"has the other sign; give the difference with the sign the test looks for")


def sample_size(difference: float, *, baseline: float | None = None, sd: float | None = None, alpha: float = 0.05,
                power: float = 0.80, ratio: float = 1.0, alternative: str = "two-sided") -> int:
    r"""Customers needed in the treated arm to detect ``difference`` with the given power.

    For a **rate** (give ``baseline``, the control arm's rate) the difference is turned into
    Cohen's *h*, :math:`h = 2\arcsin\sqrt{p_T} - 2\arcsin\sqrt{p_C}` with
    :math:`p_C` = ``baseline`` and :math:`p_T` = ``baseline + difference``, and the size
    comes from the normal approximation on that scale (``statsmodels``' ``NormalIndPower``;
    Cohen 1988, chapter 6). For equal arms this is
    :math:`n = 2\,(z_{1-\alpha/2} + z_{1-\beta})^2 / h^2` per arm. For a **mean** (give
    ``sd``, the outcome's standard deviation) the difference is Cohen's
    :math:`d = \text{difference} / \text{sd}` and the size comes from the two-sample t test's
    power (``TTestIndPower``; Cohen 1988, chapter 2). Textbooks differ here: some use the
    unpooled variance of the two rates rather than *h*, which gives sizes a few percent
    different; these are Cohen's, as his tables print them.

    Parameters
    ----------
    difference : float
        The smallest effect worth detecting, treated minus control: a difference of rates
        (0.01 for one percentage point) or of means (in the outcome's unit).
    baseline : float, optional
        The control arm's expected rate, strictly between 0 and 1. Give this or ``sd``.
    sd : float, optional
        The outcome's standard deviation per customer. Give this or ``baseline``.
    alpha : float, default 0.05
        The test's false-alarm rate (its significance level).
    power : float, default 0.80
        The chance of detecting the difference if it is real.
    ratio : float, default 1.0
        The control arm's size over the treated arm's (2.0 for twice as many in control).
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"
        The test planned: either way, or one-sided.

    Returns
    -------
    int
        The treated arm's size, rounded up; the control arm needs ``ratio`` times as many,
        and the test ``(1 + ratio)`` times as many in all.

    Examples
    --------
    A visit rate of 10.6% in control; to detect a rise of one percentage point:

    >>> sample_size(0.01, baseline=0.106)
    15484
    >>> sample_size(0.5, sd=1.0)      # Cohen's d = 0.5: his table gives 64 per group
    64
    """
    effect, kind = _effect_size(difference, baseline, sd)
    _check_plan(alpha, ratio, alternative, effect)
    if isinstance(power, bool) or not 0 < power < 1:
        raise ValueError(f"power should be a chance between 0 and 1 (for example 0.80), got {power!r}")
    model = _power_model(kind)
    n = model.solve_power(effect_size=effect, nobs1=None, alpha=alpha, power=power, ratio=ratio,
                          alternative=alternative)
    n = float(np.asarray(n).ravel()[0])
    # Judged by the result, not by the solver's say-so: the size found must reach the power asked for.
    needed = math.ceil(n - 1e-9) if np.isfinite(n) and n > 0 else 0
    if needed < 2 or model.power(effect_size=effect, nobs1=needed, alpha=alpha, ratio=ratio,
                                 alternative=alternative) < power - 1e-9:
        raise ValueError(f"no sample size reaches power {power} for this effect (Cohen's {kind} = {effect:.4g}) "
                         f"with alternative={alternative!r}; check the sign of difference")
    return needed


def power(n: int, difference: float, *, baseline: float | None = None, sd: float | None = None, alpha: float = 0.05,
          ratio: float = 1.0, alternative: str = "two-sided") -> float:
    """The chance that a test with ``n`` treated customers detects ``difference``, if it is real.

    The same effect sizes and formulas as :func:`sample_size` (Cohen's *h* with
    ``NormalIndPower`` for a rate, Cohen's *d* with ``TTestIndPower`` for a mean), the other
    way round: given the size, the power.

    Parameters
    ----------
    n : int
        Customers in the treated arm (at least 2); the control arm has ``ratio * n``.
    difference : float
        The true effect, treated minus control (a difference of rates, or of means).
    baseline : float, optional
        The control arm's rate, strictly between 0 and 1. Give this or ``sd``.
    sd : float, optional
        The outcome's standard deviation per customer. Give this or ``baseline``.
    alpha : float, default 0.05
        The test's false-alarm rate.
    ratio : float, default 1.0
        The control arm's size over the treated arm's.
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"
        The test planned.

    Returns
    -------
    float
        The power, a chance between 0 and 1.

    Examples
    --------
    Hillstrom's arms had about 21,300 customers each; the power to detect a rise of one
    point from a visit rate of 10.6%:

    >>> round(power(21_300, 0.01, baseline=0.106), 3)
    0.908
    """
    effect, kind = _effect_size(difference, baseline, sd)
    _check_plan(alpha, ratio, alternative, effect)
    if isinstance(n, bool) or not np.isfinite(n) or n < 2:
        raise ValueError(f"n should be the treated arm's size, at least 2, got {n!r}")
    value = _power_model(kind).power(effect_size=effect, nobs1=n, alpha=alpha, ratio=ratio, alternative=alternative)
    return float(np.asarray(value).ravel()[0])


# ---- dose and response ---------------------------------------------------------------------------


def _doses(data: pd.DataFrame, dose: str) -> pd.Series:
    values = data[dose]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise ValueError(f"column {dose!r} should hold doses, numbers of at least 0 (0 = control), got {values.dtype}")
    bad = values.isna() | (values < 0)
    if bad.any():
        raise ValueError(f"column {dose!r} has {int(bad.sum()):,} missing or negative doses (first: "
                         f"{values[bad].iloc[0]!r}); expected numbers of at least 0 (0 = control)")
    if not (values == 0).any():
        raise ValueError(f"column {dose!r} has no dose 0; the effects are measured against the control group at dose 0")
    return values


def dose_response(data: pd.DataFrame, dose: str = "dose", outcome: str = "outcome_purchases",
                  confidence: float = 0.95) -> pd.DataFrame:
    """The mean outcome at each dose, and its effect against dose 0 (the control), with intervals.

    Each dose's effect is :func:`difference_in_means` of its customers against the dose-0
    customers (Welch's t interval and test), as :func:`ab_table` with ``kind="mean"``
    computes it. Plot ``effect`` against the dose to see whether returns diminish; fit a
    curve through them with :func:`fit_saturating_curve`.

    Parameters
    ----------
    data : DataFrame
        One row per customer with the columns ``dose`` and ``outcome`` (the data world's
        ``experiments`` table, for example).
    dose : str, default "dose"
        The column of doses: numbers of at least 0, with 0 for the control group.
    outcome : str, default "outcome_purchases"
        The column of outcomes (purchases in the 13 weeks, revenue...).
    confidence : float, default 0.95
        The level of the intervals.

    Returns
    -------
    DataFrame
        Indexed by dose (ascending), with ``n``, ``mean``, ``mean_lower``, ``mean_upper``,
        ``effect`` (the mean minus dose 0's; 0 at dose 0), ``effect_lower``,
        ``effect_upper`` and ``p_value`` (blank at dose 0). ``attrs`` as :func:`ab_table`'s.

    Examples
    --------
    >>> import pandas as pd
    >>> trial = pd.DataFrame({"dose": [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2],
    ...                       "sales": [1, 2, 1, 2, 3, 2, 3, 4, 3, 4, 4, 3]})
    >>> dose_response(trial, outcome="sales")[["n", "mean", "effect", "effect_lower", "effect_upper"]].round(2)
          n  mean  effect  effect_lower  effect_upper
    dose
    0     4   1.5     0.0           NaN           NaN
    1     4   3.0     1.5          0.24          2.76
    2     4   3.5     2.0          1.00          3.00
    """
    require_columns(data, [dose, outcome], table="data")
    data = data if dose in data.columns and outcome in data.columns else data.reset_index()
    _doses(data, dose)
    table = ab_table(data, dose, outcome, control=0, kind="mean", confidence=confidence)
    return table.rename(columns={"difference": "effect", "difference_lower": "effect_lower",
                                 "difference_upper": "effect_upper"})


@dataclass(frozen=True)
class SaturatingCurve:
    r"""A fitted curve of diminishing returns, :math:`m(d) = b + E_{\max}(1 - e^{-d/s})`.

    The effect of dose :math:`d` against dose 0 is :math:`E_{\max}(1 - e^{-d/s})`: it starts
    at 0, rises with slope :math:`E_{\max}/s` at first, and levels off at :math:`E_{\max}`;
    half of it is reached at dose :math:`s \ln 2` (``half_dose``). Made by
    :func:`fit_saturating_curve`.

    Attributes
    ----------
    baseline : Interval
        :math:`b`, the mean outcome at dose 0, with its interval.
    e_max : Interval
        :math:`E_{\max}`, the effect of an unlimited dose (the ceiling), with its interval.
    scale : Interval
        :math:`s`, in the unit of the dose: how soon returns diminish (smaller is sooner).
    covariance : DataFrame
        The estimates' covariance on the scale fitted: ``baseline``, ``e_max``, ``log_scale``.
    chi_square : float
        The weighted sum of squared residuals at the fit (each dose's mean against the
        curve, in standard errors); about ``dof`` when the curve fits.
    dof : int
        Degrees of freedom of the fit: the number of doses minus 3.
    doses : DataFrame
        The dose table fitted (:func:`dose_response`'s, plus ``standard_error``).

    Examples
    --------
    >>> from customering_utils.intervals import Interval
    >>> curve = SaturatingCurve(Interval(1.0, 0.9, 1.1), Interval(2.0, 1.5, 2.5), Interval(1.2, 0.8, 1.8),
    ...                         pd.DataFrame(), 0.0, 1, pd.DataFrame())
    >>> round(curve.half_dose, 3)
    0.832
    """

    baseline: intervals.Interval
    e_max: intervals.Interval
    scale: intervals.Interval
    covariance: pd.DataFrame
    chi_square: float
    dof: int
    doses: pd.DataFrame

    @property
    def half_dose(self) -> float:
        """The dose that reaches half the ceiling, ``scale * ln 2``."""
        return self.scale.estimate * math.log(2)

    def effect(self, dose: ArrayLike) -> np.ndarray:
        """The fitted effect against dose 0 at ``dose``: ``e_max * (1 - exp(-dose / scale))``.

        Parameters
        ----------
        dose : float or array_like
            Doses, in the unit of the fitted data.

        Returns
        -------
        ndarray
            The effect at each dose, in the outcome's unit.

        Examples
        --------
        >>> from customering_utils.intervals import Interval
        >>> curve = SaturatingCurve(Interval(1.0, 0.9, 1.1), Interval(2.0, 1.5, 2.5), Interval(1.0, 0.8, 1.3),
        ...                         pd.DataFrame(), 0.0, 1, pd.DataFrame())
        >>> curve.effect([0, 1, 10]).round(3)
        array([0.   , 1.264, 2.   ])
        """
        d = np.asarray(dose, dtype=float)
        return self.e_max.estimate * -np.expm1(-d / self.scale.estimate)

    def predict(self, dose: ArrayLike) -> np.ndarray:
        """The fitted mean outcome at ``dose``: ``baseline + effect(dose)``.

        Parameters
        ----------
        dose : float or array_like
            Doses, in the unit of the fitted data.

        Returns
        -------
        ndarray
            The mean outcome at each dose.

        Examples
        --------
        >>> from customering_utils.intervals import Interval
        >>> curve = SaturatingCurve(Interval(1.0, 0.9, 1.1), Interval(2.0, 1.5, 2.5), Interval(1.0, 0.8, 1.3),
        ...                         pd.DataFrame(), 0.0, 1, pd.DataFrame())
        >>> curve.predict([0, 1]).round(3)
        array([1.   , 2.264])
        """
        return self.baseline.estimate + self.effect(dose)


#: The range searched for the curve's scale, as multiples of the largest dose: from returns that
#: diminish at once (a step) to returns that never diminish within the doses (a straight line).
SCALE_RANGE = (1e-3, 1e3)
#: A scale below the smallest positive dose over this is a step: 1 - exp(-12) = 0.999994 of the
#: effect is reached at the smallest dose, so the data cannot say how fast it came.
STEP_FACTOR = 12.0


def fit_saturating_curve(data: pd.DataFrame, dose: str = "dose", outcome: str = "outcome_purchases",
                         confidence: float = 0.95) -> SaturatingCurve:
    r"""Fit a curve of diminishing returns through the mean outcome at each dose.

    The curve is :math:`m(d) = b + E_{\max}(1 - e^{-d/s})` (:class:`SaturatingCurve`), the
    data world's own shape (``WorldParameters.dose_response``, whose ``dose_scale`` is
    :math:`s`). It is fitted by weighted least squares to the doses' means, each weighted by
    one over its squared standard error (:math:`s_g^2 / n_g`), so a dose with many customers
    counts for more: minimise :math:`\chi^2 = \sum_g (\bar y_g - m(d_g))^2 / \mathrm{SE}_g^2`.
    For a fixed :math:`s` the curve is a straight line in :math:`(b, E_{\max})`, solved
    exactly, so the search is over :math:`\log s` alone (``scipy.optimize.minimize_scalar``),
    and ``scipy.optimize.least_squares`` then polishes all three together.

    The fit is accepted by what it achieved, never by the optimiser's status: the gradient
    of :math:`\chi^2` must be zero (to a relative 1e-6) and :math:`\chi^2` must be no worse
    than the best of a grid of scales. A scale at the edge of :data:`SCALE_RANGE` means the
    doses show no diminishing returns (a straight line) or all of it at once (a step), and
    the curve cannot be told apart from those: a ``FitError`` says so (a step also when the
    whole effect is already there at the smallest dose: a scale below it over
    :data:`STEP_FACTOR`).

    Standard errors come from the weighted least-squares covariance
    :math:`(J^\top W J)^{-1}` (the doses' standard errors taken as known; Gauss-Newton),
    on :math:`(b, E_{\max}, \log s)`. The intervals for :math:`b` and :math:`E_{\max}` are
    estimate ± z SE; the interval for :math:`s` is :math:`\exp(\log s \pm z\,\mathrm{SE})`, so
    it stays positive. They treat the doses' standard errors as exact, fair with hundreds of
    customers per dose.

    Parameters
    ----------
    data : DataFrame
        One row per customer with the columns ``dose`` and ``outcome``.
    dose : str, default "dose"
        The column of doses: numbers of at least 0, 0 for control, at least 3 distinct doses.
    outcome : str, default "outcome_purchases"
        The column of outcomes.
    confidence : float, default 0.95
        The level of the intervals.

    Returns
    -------
    SaturatingCurve
        The fitted ``baseline``, ``e_max`` and ``scale`` with their intervals, and the fit's
        ``chi_square`` and ``dof``.

    Raises
    ------
    FitError
        When the doses show no diminishing returns (or no rise at all) that the curve could
        fit, or the fit did not reach a minimum.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> doses = np.repeat([0, 1, 2, 3], 2_000)
    >>> truth = 2.0 + 1.5 * (1 - np.exp(-doses / 1.2))
    >>> trial = pd.DataFrame({"dose": doses, "sales": rng.normal(truth, 1.0)})
    >>> curve = fit_saturating_curve(trial, outcome="sales")
    >>> print(curve.e_max.format(".2f"), "|", curve.scale.format(".2f"))
    1.49 (95% interval 1.40 to 1.57) | 1.16 (95% interval 1.00 to 1.34)
    """
    table = dose_response(data, dose, outcome, confidence)
    level = table.attrs["confidence"]
    if len(table) < 3:
        raise ValueError(f"column {dose!r} has {len(table)} distinct doses; a curve with a baseline, a ceiling and a "
                         "scale needs at least 3 (dose 0 and two others)")
    groups = data.groupby(data[dose].to_numpy())[outcome]
    standard_error = (groups.std(ddof=1) / np.sqrt(groups.size())).reindex(table.index).to_numpy(dtype=float)
    if np.any(~(standard_error > 0)):
        first = table.index[int(np.flatnonzero(~(standard_error > 0))[0])]
        raise ValueError(f"dose {first!r} has no spread in {outcome!r} (every customer the same), so its mean has no "
                         "standard error to weigh it by")
    d = table.index.to_numpy(dtype=float)
    y = table["mean"].to_numpy(dtype=float)
    w = 1.0 / standard_error
    top = float(d.max())

    def linear_part(log_scale: float) -> tuple[np.ndarray, float]:
        """For a fixed scale: the exact weighted least-squares (b, e_max), and chi-square."""
        shape = -np.expm1(-d / math.exp(log_scale))
        design = np.column_stack([np.ones_like(d), shape]) * w[:, None]
        coef, *_ = np.linalg.lstsq(design, y * w, rcond=None)
        return coef, float(np.sum((design @ coef - y * w) ** 2))

    low, high = (math.log(top * factor) for factor in SCALE_RANGE)
    grid = np.linspace(low, high, 121)
    profile = np.array([linear_part(g)[1] for g in grid])
    best = int(np.argmin(profile))
    bracket = (grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)])
    search = optimize.minimize_scalar(lambda g: linear_part(g)[1], bounds=bracket, method="bounded",
                                      options={"xatol": 1e-10})
    log_scale = float(search.x)

    def residuals(theta: np.ndarray) -> np.ndarray:
        return (theta[0] + theta[1] * -np.expm1(-d / np.exp(theta[2])) - y) * w

    def jacobian(theta: np.ndarray) -> np.ndarray:
        s = math.exp(theta[2])
        decay = np.exp(-d / s)
        # m = b + E (1 - exp(-d/s)): dm/db = 1, dm/dE = 1 - exp(-d/s), dm/d(log s) = -E exp(-d/s) d/s
        return np.column_stack([np.ones_like(d), -np.expm1(-d / s), -theta[1] * decay * d / s]) * w[:, None]

    log_scale = min(max(log_scale, low + 1e-9), high - 1e-9)
    start = np.array([*linear_part(log_scale)[0], log_scale])
    polished = optimize.least_squares(residuals, start, jac=jacobian, bounds=([-np.inf, -np.inf, low], [np.inf, np.inf, high]),
                                      method="trf", xtol=1e-15, ftol=1e-15, gtol=1e-15)
    theta = polished.x if np.sum(polished.fun ** 2) <= np.sum(residuals(start) ** 2) else start
    r, jac = residuals(theta), jacobian(theta)
    chi_square = float(np.sum(r ** 2))
    gradient = 2 * jac.T @ r
    information = jac.T @ jac
    unidentified = (f"the doses of {outcome!r} do not pin the curve down: the best fit has a ceiling of {theta[1]:.3g} "
                    f"at a scale of {math.exp(theta[2]):.3g} (the largest dose is {top:g}), that is, no diminishing "
                    "returns (a straight line) or no effect at all, which this curve cannot tell apart; report the "
                    "effect by dose (dose_response) instead of a ceiling")
    if not theta[2] < high - 0.05:
        raise FitError(unidentified)
    smallest = float(d[d > 0].min())
    if math.exp(theta[2]) < smallest / STEP_FACTOR:
        raise FitError(f"the doses of {outcome!r} rise all at once, then stay flat: the whole effect (if any: the best "
                       f"ceiling is {theta[1]:.3g}) is there at the smallest dose, {smallest:g}, so how fast returns "
                       "diminish below it cannot be told; report the effect by dose (dose_response)")
    if np.linalg.cond(information) > 1e12:
        raise FitError(unidentified)
    # The gradient per standard error of each parameter (the change in chi-square a step of one
    # standard error would make, to first order), relative to chi-square itself: zero at a minimum.
    spread = np.sqrt(np.diag(np.linalg.inv(information)))
    relative_gradient = float(np.max(np.abs(gradient) * spread) / max(1.0, chi_square))
    if relative_gradient > 1e-6 or chi_square > profile.min() * (1 + 1e-9) + 1e-12:
        raise FitError(f"the saturating curve did not converge (relative gradient {relative_gradient:.2g}, "
                       f"chi-square {chi_square:.6g} against {profile.min():.6g} on the grid)")
    covariance = np.linalg.inv(information)
    z = float(special.ndtri(0.5 + level / 2))
    se = np.sqrt(np.diag(covariance))
    baseline = intervals.Interval(float(theta[0]), float(theta[0] - z * se[0]), float(theta[0] + z * se[0]), level)
    e_max = intervals.Interval(float(theta[1]), float(theta[1] - z * se[1]), float(theta[1] + z * se[1]), level)
    scale = intervals.Interval(float(math.exp(theta[2])), float(math.exp(theta[2] - z * se[2])),
                               float(math.exp(theta[2] + z * se[2])), level)
    names = ["baseline", "e_max", "log_scale"]
    doses = table.assign(standard_error=standard_error)
    return SaturatingCurve(baseline, e_max, scale, pd.DataFrame(covariance, index=names, columns=names),
                           chi_square, len(d) - 3, doses)

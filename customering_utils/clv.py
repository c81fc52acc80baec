r"""Probabilistic customer lifetime value: BG/NBD for purchases, Gamma-Gamma for spend.

**BG/NBD** (Fader, Hardie and Lee 2005, "Counting your customers the easy way").
While alive, a customer buys at rate :math:`\lambda` (a Poisson process); after each
repeat purchase they drop out with probability :math:`p`. Across customers
:math:`\lambda \sim \mathrm{Gamma}(r, \alpha)` and :math:`p \sim \mathrm{Beta}(a, b)`.
A customer's history is summed up by :math:`x` repeat purchases, the time :math:`t_x` of
the last one and the length :math:`T` of observation, all measured from their first
purchase. The likelihood of one history is

.. math::

   L = \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)}\,\frac{B(a, b+x)}{B(a, b)}
       \left[ (\alpha+T)^{-(r+x)} + [x>0]\,\frac{a}{b+x-1}\,(\alpha+t_x)^{-(r+x)} \right].

**Gamma-Gamma** (Fader and Hardie 2013, "The Gamma-Gamma model of monetary value").
Each purchase of a customer is Gamma(:math:`p`, :math:`\nu`) with mean :math:`p/\nu`;
across customers :math:`\nu \sim \mathrm{Gamma}(q, \gamma)` (``v`` here, as in the Python
ecosystem). A customer's mean repeat spend :math:`m_x` over :math:`x` purchases has

.. math::

   f(m_x) = \frac{\Gamma(px+q)}{\Gamma(px)\,\Gamma(q)}
            \frac{\gamma^q\, m_x^{px-1}\, x^{px}}{(\gamma + x m_x)^{px+q}},
   \qquad
   E[M \mid m_x, x] = \frac{p\,(\gamma + x\, m_x)}{px + q - 1}.

Both models are fitted by maximum likelihood with ``scipy.optimize.minimize`` over the
logarithms of the parameters, with every term computed in log space (``gammaln``,
``betaln``, ``logaddexp``), so no history overflows or underflows.

>>> from customering_utils import clv, datasets
>>> cdnow = datasets.load_cdnow()
>>> summary = clv.summarize(cdnow, end="1997-09-30")
>>> model = clv.BetaGeo().fit(summary)
>>> {k: round(v, 3) for k, v in model.params_.items()}
{'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}
>>> round(model.log_likelihood_, 1)
-9582.4
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special

from . import periods
from .tables import check_transactions, require_columns

__all__ = [
    "summarize",
    "calibration_holdout",
    "history_over_time",
    "BetaGeo",
    "GammaGamma",
    "customer_lifetime_value",
    "FitError",
    "NotFittedError",
]

SUMMARY_COLUMNS = ["frequency", "recency", "T"]


class FitError(RuntimeError):
    """A model's maximum-likelihood search did not converge."""


class NotFittedError(ValueError, AttributeError):
    """A model was used before ``fit`` (or ``from_params``) gave it parameters."""


def summarize(
    transactions: pd.DataFrame, end: str | pd.Timestamp, time_unit: str = "W", start: str | pd.Timestamp | None = None
) -> pd.DataFrame:
    """One row per customer, with the columns BG/NBD and Gamma-Gamma use.

    Purchases after ``end`` (inclusive date) are ignored, and customers whose first
    purchase is before ``start`` (if given) or after ``end`` are left out. Purchases on the
    same day count as one, with their amounts added, as in Fader, Hardie and Lee (2005).

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with ``customer_id``, ``date`` and ``amount`` (US dollars).
    end : str or Timestamp
        The last day of observation, for example ``"2025-12-31"``.
    time_unit : str
        The unit of ``recency`` and ``T``: ``"W"`` weeks (the default) or ``"D"`` days.
    start : str or Timestamp, optional
        Keep only customers whose first purchase is on or after this day.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``, with ``frequency`` (repeat purchases: days with a
        purchase, after the first), ``recency`` (time from the first purchase to the last,
        0 if no repeat), ``T`` (time from the first purchase to ``end``) and
        ``monetary_value`` (mean value of the repeat purchases, 0 if none, US dollars).
        ``attrs["time_unit"]`` says the unit, so models and functions downstream read it.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1, 2], "amount": [10.0, 20.0, 5.0, 8.0],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-01-15", "2025-01-15", "2025-01-08"])})
    >>> summary = summarize(tx, end="2025-01-29")
    >>> summary
                 frequency  recency    T  monetary_value
    customer_id
    1                    1      2.0  4.0            25.0
    2                    0      0.0  3.0             0.0
    >>> summary.attrs["time_unit"]
    'W'
    """
    periods.unit_days(time_unit)
    data = check_transactions(transactions)
    end = periods.as_day(end)
    data = data[data["date"].dt.normalize() <= end]  # the whole end day, whatever the time of a purchase
    if start is not None:
        first_all = data.groupby("customer_id")["date"].transform("min")
        data = data[first_all >= periods.as_day(start, name="start")]
    if data.empty:
        raise ValueError(f"no purchases on or before end={end.date()}; expected at least one")
    days = data.assign(day=data["date"].dt.normalize()).groupby(["customer_id", "day"], sort=True)["amount"].sum()
    days = days.reset_index()
    grouped = days.groupby("customer_id")
    first, last, count = grouped["day"].min(), grouped["day"].max(), grouped.size()
    first_amount = grouped["amount"].first()
    total = grouped["amount"].sum()
    frequency = count - 1
    summary = pd.DataFrame(
        {
            "frequency": frequency.astype("int64"),
            "recency": periods.duration(last - first, time_unit),
            "T": periods.duration(end - first, time_unit),
            "monetary_value": np.where(frequency > 0, (total - first_amount) / frequency.where(frequency > 0, 1), 0.0),
        },
        index=first.index,
    )
    summary.index.name = "customer_id"
    summary.attrs["time_unit"] = time_unit
    return summary


def calibration_holdout(
    transactions: pd.DataFrame,
    calibration_end: str | pd.Timestamp,
    holdout_end: str | pd.Timestamp,
    time_unit: str = "W",
) -> pd.DataFrame:
    """The calibration summary of :func:`summarize`, with what happened next.

    Customers are those who made their first purchase by ``calibration_end``.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with ``customer_id``, ``date`` and ``amount``.
    calibration_end, holdout_end : str or Timestamp
        The last day of the calibration period, and of the hold-out period after it.
    time_unit : str
        ``"W"`` (weeks, the default) or ``"D"`` (days).

    Returns
    -------
    DataFrame
        :func:`summarize`'s columns, plus ``frequency_holdout`` (purchase days after
        ``calibration_end`` up to ``holdout_end``) and ``duration_holdout`` (the hold-out
        period's length in ``time_unit``).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1], "amount": [10.0, 20.0, 5.0],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-01-15", "2025-02-12"])})
    >>> calibration_holdout(tx, "2025-01-29", "2025-02-26")[["frequency", "frequency_holdout", "duration_holdout"]]
                 frequency  frequency_holdout  duration_holdout
    customer_id
    1                    1                  1               4.0
    """
    calibration_end = periods.as_day(calibration_end, name="calibration_end")
    holdout_end = periods.as_day(holdout_end, name="holdout_end")
    if holdout_end <= calibration_end:
        raise ValueError(f"holdout_end ({holdout_end.date()}) should be after calibration_end ({calibration_end.date()})")
    summary = summarize(transactions, end=calibration_end, time_unit=time_unit)
    data = check_transactions(transactions)
    day = data["date"].dt.normalize()
    later = data[(day > calibration_end) & (day <= holdout_end)]
    later_days = later.assign(day=later["date"].dt.normalize()).groupby("customer_id")["day"].nunique()
    summary["frequency_holdout"] = later_days.reindex(summary.index, fill_value=0).astype("int64")
    summary["duration_holdout"] = periods.duration(holdout_end - calibration_end, time_unit)
    return summary


def history_over_time(transactions: pd.DataFrame, customer_id: object, end: str | pd.Timestamp,
                      time_unit: str = "W") -> pd.DataFrame:
    """One customer's history as it stood on each day that matters: what a model knew then.

    For each checkpoint date from the customer's first purchase to ``end`` (every 7 days,
    plus each purchase day, the day before it, and ``end``), the columns :func:`summarize`
    would give had it been run with that date as its end. Feed it to a fitted model's
    ``p_alive`` to see how P(alive) moved over time.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with ``customer_id``, ``date`` and ``amount``.
    customer_id : object
        The customer to follow.
    end : str or Timestamp
        The last checkpoint.
    time_unit : str
        ``"W"`` (weeks, the default) or ``"D"`` (days).

    Returns
    -------
    DataFrame
        Indexed by ``date``, with ``frequency``, ``recency`` and ``T`` as of each date, and
        ``attrs["time_unit"]``.

    Examples
    --------
    Hand-worked: a customer who bought on 1 and 15 January 2025, seen on 29 January, had
    1 repeat purchase, 2 weeks after the first, and had been a customer for 4 weeks.

    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 20.0, 8.0],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-01-15", "2025-01-08"])})
    >>> history_over_time(tx, 1, end="2025-01-29").round(2)
                frequency  recency     T
    date
    2025-01-01          0      0.0  0.00
    2025-01-08          0      0.0  1.00
    2025-01-14          0      0.0  1.86
    2025-01-15          1      2.0  2.00
    2025-01-22          1      2.0  3.00
    2025-01-29          1      2.0  4.00
    """
    end = periods.as_day(end)
    data = check_transactions(transactions)
    dates = data.loc[data["customer_id"] == customer_id, "date"].dt.normalize()
    days = np.sort(dates[dates <= end].unique())
    if len(days) == 0:
        raise ValueError(f"customer {customer_id!r} has no purchase on or before {end:%Y-%m-%d}; "
                         "expected a customer id of the table")
    first = pd.Timestamp(days[0])
    purchase_days = pd.DatetimeIndex(days)
    checkpoints = (pd.date_range(first, end, freq="7D")
                   .union(purchase_days).union(purchase_days[1:] - pd.Timedelta(days=1)).union([end]))
    count = np.searchsorted(purchase_days.to_numpy(), checkpoints.to_numpy(), side="right")
    last = purchase_days[count - 1]
    history = pd.DataFrame(
        {
            "frequency": (count - 1).astype("int64"),
            "recency": periods.duration(last - first, time_unit),
            "T": periods.duration(checkpoints - first, time_unit),
        },
        index=pd.DatetimeIndex(checkpoints, name="date"),
    )
    history.attrs["time_unit"] = time_unit
    return history


def _history(summary: pd.DataFrame, table: str = "summary") -> tuple[NDArray, NDArray, NDArray]:
    require_columns(summary, SUMMARY_COLUMNS, table=table)
    x = summary["frequency"].to_numpy(dtype=float)
    t_x = summary["recency"].to_numpy(dtype=float)
    T = summary["T"].to_numpy(dtype=float)
    if len(x) == 0:
        raise ValueError(f"{table} is empty; expected one row per customer")
    if np.any(~np.isfinite(x)) or np.any(x < 0) or np.any(x % 1 != 0):
        raise ValueError(f"{table} column 'frequency' should hold whole numbers of repeat purchases (0 or more)")
    if np.any(~np.isfinite(t_x)) or np.any(t_x < 0):
        raise ValueError(f"{table} column 'recency' should hold times of at least 0")
    if np.any(~np.isfinite(T)) or np.any(t_x > T):
        bad = int(np.flatnonzero(~np.isfinite(T) | (t_x > T))[0])
        raise ValueError(
            f"{table} column 'T' should be at least 'recency' for every customer; "
            f"row {bad} has T={T[bad]!r}, recency={t_x[bad]!r}"
        )
    if np.any((x == 0) & (t_x != 0)):
        raise ValueError(f"{table}: a customer with frequency 0 should have recency 0")
    return x, t_x, T


class _Objective:
    """A model's negative log-likelihood and its gradient, over log-parameters.

    ``value_and_gradient(theta)`` returns the total negative log-likelihood of the data and
    its gradient with respect to ``theta = log(parameters)``, in the model's internal,
    rescaled units (see :func:`_fit`).
    """

    def __init__(self, value_and_gradient, n: int):
        self.value_and_gradient = value_and_gradient
        self.n = n

    def value(self, theta: NDArray) -> float:
        return float(self.value_and_gradient(theta)[0])

    def gradient(self, theta: NDArray) -> NDArray:
        return np.asarray(self.value_and_gradient(theta)[1], dtype=float)

    def hessian(self, theta: NDArray) -> NDArray:
        """Second derivatives by central differences of the analytic gradient, made symmetric."""
        k = len(theta)
        columns = []
        for i in range(k):
            step = 1e-5 * max(1.0, abs(theta[i]))
            up, down = theta.copy(), theta.copy()
            up[i] += step
            down[i] -= step
            columns.append((self.gradient(up) - self.gradient(down)) / (2 * step))
        matrix = np.column_stack(columns)
        return (matrix + matrix.T) / 2


#: A fit has converged when no log-parameter can move the mean log-likelihood per
#: customer by more than this per unit: a first-order condition, checked on the gradient
#: itself rather than on the optimiser's own stopping message, which differs between
#: machines for the same data.
GRADIENT_TOLERANCE = 1e-6


def _fit(objective: _Objective, start: NDArray, model: str) -> NDArray:
    """Maximise the likelihood over log-parameters; the solution, or a FitError that says why.

    L-BFGS-B first; if its solution does not meet the gradient test (it can stop on a
    rounding-limited line search a little short of the optimum), BFGS polishes it from there.
    The result must have a finite likelihood no worse than the start's.
    """
    theta = np.log(np.asarray(start, dtype=float))
    start_value = objective.value(theta)
    methods = (("L-BFGS-B", {"maxiter": 2000, "gtol": 1e-10, "ftol": 1e-15}),
               ("BFGS", {"maxiter": 2000, "gtol": 1e-9}))
    worst = np.inf
    for method, options in methods:
        result = optimize.minimize(objective.value_and_gradient, theta, jac=True, method=method, options=options)
        if np.all(np.isfinite(result.x)) and np.isfinite(result.fun) and result.fun <= start_value:
            theta = result.x
        worst = float(np.max(np.abs(objective.gradient(theta)))) / objective.n
        if worst < GRADIENT_TOLERANCE:
            return theta
    raise FitError(
        f"{model} did not converge: the log-likelihood still changes by {worst:.2g} per customer "
        "per unit of a log-parameter at the best point found. Try: more customers, or customers "
        "with repeat purchases; a longer calibration period; or other starting values "
        "(fit(..., start=...))."
    )


def _standard_errors(objective: _Objective, theta: NDArray, names: list[str],
                     scale: NDArray) -> tuple[dict[str, float], pd.DataFrame]:
    r"""Standard errors and the covariance of the parameters, from the Hessian at the optimum.

    As lifetimes reports them: the inverse Hessian of the negative log-likelihood over
    log-parameters is the covariance of the log-parameters, and the delta method turns it
    into the covariance of the parameters, :math:`\theta_i \theta_j \,\mathrm{cov}(\log\theta_i,
    \log\theta_j)`. ``scale`` turns internal units back into the caller's. A Hessian that
    is not positive definite (a parameter the data cannot pin down) gives NaN.
    """
    values = np.exp(theta) * scale
    hessian = objective.hessian(theta)
    if not np.all(np.isfinite(hessian)) or np.min(np.linalg.eigvalsh(hessian)) <= 0:
        covariance = np.full((len(names), len(names)), np.nan)
    else:
        covariance = np.outer(values, values) * np.linalg.inv(hessian)
    errors = dict(zip(names, np.sqrt(np.diag(covariance)).tolist(), strict=True))
    return errors, pd.DataFrame(covariance, index=names, columns=names)


def _bgnbd_negative_log_likelihood(x: NDArray, t_x: NDArray, T: NDArray):
    """The BG/NBD negative log-likelihood of histories and its gradient over log(r, alpha, a, b)."""
    n = len(x)
    # Histories repeat a few hundred counts and about a thousand distinct times, so the
    # special functions and logarithms are computed once per distinct value and gathered:
    # a million customers cost little more than the element-wise sums.
    x_u, ix = np.unique(x, return_inverse=True)
    per_x = np.bincount(ix).astype(float)
    T_u, iT = np.unique(T, return_inverse=True)
    t_u, it = np.unique(t_x, return_inverse=True)
    has_repeat = x_u > 0

    def value_and_gradient(theta: NDArray) -> tuple[float, NDArray]:
        r, alpha, a, b = np.exp(theta)
        log_T, inv_T = np.log(alpha + T_u)[iT], (1 / (alpha + T_u))[iT]
        log_t, inv_t = np.log(alpha + t_u)[it], (1 / (alpha + t_u))[it]
        rx = r + x
        a3 = -rx * log_T
        b_x1 = np.where(has_repeat, b + x_u - 1, 1.0)
        a4 = np.where(has_repeat, np.log(a) - np.log(b_x1), -np.inf)[ix] - rx * log_t
        tail = np.logaddexp(a3, a4)
        w4 = np.exp(a4 - tail)  # share of the "dropped out after the last purchase" term
        w3 = 1 - w4
        head = (special.gammaln(r + x_u) - special.gammaln(r) + r * np.log(alpha)
                + special.betaln(a, b + x_u) - special.betaln(a, b))
        log_likelihood = head @ per_x + tail.sum()

        d_r = (special.digamma(r + x_u) - special.digamma(r) + np.log(alpha)) @ per_x \
            - w3 @ log_T - w4 @ log_t
        d_alpha = n * r / alpha - (w3 * rx) @ inv_T - (w4 * rx) @ inv_t
        d_a = (special.digamma(a + b) - special.digamma(a + b + x_u)) @ per_x + w4.sum() / a
        d_b = (special.digamma(b + x_u) - special.digamma(a + b + x_u) - special.digamma(b)
               + special.digamma(a + b)) @ per_x - w4 @ np.where(has_repeat, 1 / b_x1, 0.0)[ix]
        # Chain rule: the search runs over log-parameters.
        gradient = np.array([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
        return -log_likelihood, -gradient

    return value_and_gradient


def _gamma_gamma_negative_log_likelihood(x: NDArray, m: NDArray):
    """The Gamma-Gamma negative log-likelihood of mean spends and its gradient over log(p, q, v)."""
    log_m, log_x = np.log(m), np.log(x)

    def value_and_gradient(theta: NDArray) -> tuple[float, NDArray]:
        p, q, v = np.exp(theta)
        log_vxm = np.log(v + x * m)
        log_likelihood = (special.gammaln(p * x + q) - special.gammaln(p * x) - special.gammaln(q) + q * np.log(v)
                          + (p * x - 1) * log_m + p * x * log_x - (p * x + q) * log_vxm).sum()
        psi = special.digamma(p * x + q)
        d_p = x @ (psi - special.digamma(p * x) + log_m + log_x - log_vxm)
        d_q = (psi - special.digamma(q) + np.log(v) - log_vxm).sum()
        d_v = (q / v - (p * x + q) / (v + x * m)).sum()
        return -log_likelihood, -np.array([d_p * p, d_q * q, d_v * v])

    return value_and_gradient


def _euler_term(r: float, a: float, b: float, x: ArrayLike, base: ArrayLike, t: ArrayLike) -> NDArray:
    r"""The bracketed power-times-2F1 of FHL's eqs. 7 and 10, without overflow.

    Written directly, :math:`(\frac{B}{B+t})^{r+x}\,{}_2F_1(r+x, b+x; a+b+x-1; z)` with
    :math:`z = t/(B+t)` multiplies a vanishing power by a hypergeometric function that
    overflows for long histories (large x). Euler's transformation
    :math:`{}_2F_1(A, B'; C; z) = (1-z)^{C-A-B'}\,{}_2F_1(C-A, C-B'; C; z)`, with
    :math:`1 - z = B/(B+t)`, cancels the large exponents exactly:

    .. math:: \left(\frac{B}{B+t}\right)^{a-1} {}_2F_1(a+b-1-r,\; a-1;\; a+b+x-1;\; z),

    whose hypergeometric function has small upper parameters and stays near 1.
    """
    x = np.asarray(x, dtype=float)
    base, t = np.asarray(base, dtype=float), np.asarray(t, dtype=float)
    z = t / (base + t)
    return (base / (base + t)) ** (a - 1) * special.hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)


class _Model:
    """What BG/NBD and Gamma-Gamma share: parameters from ``fit`` or ``from_params``, and their checks."""

    _names: tuple[str, ...] = ()
    _label = "model"

    def __repr__(self) -> str:
        if not hasattr(self, "params_"):
            return f"{type(self).__name__}() (not fitted)"
        shown = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        return f"{type(self).__name__}({shown})"

    def _fitted(self) -> dict[str, float]:
        if not hasattr(self, "params_"):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet: call fit(summary) first, "
                                 f"or build it with {type(self).__name__}.from_params(...)")
        return self.params_

    def _set(self, params: dict[str, float]) -> None:
        missing = [name for name in self._names if name not in params]
        extra = [name for name in params if name not in self._names]
        if missing or extra:
            raise ValueError(f"{self._label} parameters are {', '.join(self._names)}; "
                             f"missing {missing or 'none'}, unexpected {extra or 'none'}")
        for name in self._names:
            value = params[name]
            if isinstance(value, bool) or not np.isfinite(value) or value <= 0:
                raise ValueError(f"{self._label} parameter {name} should be a positive number, got {value!r}")
        self.params_ = {name: float(params[name]) for name in self._names}

    def summary_table(self, confidence: float = 0.95) -> pd.DataFrame:
        """The fitted parameters with standard errors and intervals, as lifetimes' ``summary`` shows them.

        Parameters
        ----------
        confidence : float
            The intervals' level, 0.95 by default.

        Returns
        -------
        DataFrame
            One row per parameter: ``estimate``, ``standard_error`` (from the Hessian at the
            optimum, by the delta method), and ``lower`` and ``upper``, an interval computed
            on the log scale (``estimate * exp(+-z * se / estimate)``), so it stays positive.
        """
        params = self._fitted()
        if not hasattr(self, "standard_errors_"):
            raise NotFittedError("standard errors exist only for a model fitted to data: call fit(summary)")
        from scipy import stats

        z = stats.norm.ppf(0.5 + confidence / 2)
        table = pd.DataFrame({"estimate": params, "standard_error": self.standard_errors_})
        spread = np.exp(z * table["standard_error"] / table["estimate"])
        table["lower"], table["upper"] = table["estimate"] / spread, table["estimate"] * spread
        table.index.name = "parameter"
        return table


    def parameter_draws(self, n: int = 200, seed: int = 0) -> list:
        """Models with parameters drawn from the fit's uncertainty, for intervals on anything computed from them.

        The log-parameters are drawn from the normal distribution that the Hessian at the
        optimum implies (the same covariance as :meth:`summary_table`'s standard errors),
        so every draw has positive parameters. Compute a prediction with each draw, and the
        spread of the predictions is the spread the parameters' uncertainty gives them.

        Parameters
        ----------
        n : int
            How many draws.
        seed : int
            Seed of the random draws.

        Returns
        -------
        list
            ``n`` models of the same class, built with ``from_params``.

        Examples
        --------
        >>> from customering_utils import datasets
        >>> model = GammaGamma().fit(summarize(datasets.load_cdnow(), end="1997-09-30"))
        >>> draws = model.parameter_draws(500, seed=1)
        >>> spread = [d.params_["p"] for d in draws]
        >>> bool(min(spread) < model.params_["p"] < max(spread)), len(draws)
        (True, 500)
        """
        params = self._fitted()
        if not hasattr(self, "covariance_") or not np.all(np.isfinite(self.covariance_.to_numpy())):
            raise NotFittedError("parameter draws need a model fitted to data with finite standard errors: "
                                 "call fit(summary)")
        values = np.array([params[k] for k in self._names])
        log_covariance = self.covariance_.to_numpy() / np.outer(values, values)
        rng = np.random.default_rng(seed)
        drawn = np.exp(rng.multivariate_normal(np.log(values), log_covariance, size=int(n)))
        extra = {"time_unit": self.time_unit_} if hasattr(self, "time_unit_") else {}
        return [type(self).from_params(**dict(zip(self._names, row.tolist(), strict=True)), **extra) for row in drawn]


class BetaGeo(_Model):
    """The BG/NBD model of purchase counts and drop-out (Fader, Hardie and Lee 2005).

    Fit it to a customer summary with :meth:`fit`, or build it from published parameters
    with :meth:`from_params`. Rates are per the summary's unit of time
    (``summary.attrs["time_unit"]``), which the model keeps in ``time_unit_``.

    Attributes
    ----------
    params_ : dict
        ``r``, ``alpha`` (purchase rates: Gamma shape and scale, in the summary's unit of
        time), ``a``, ``b`` (drop-out probability: Beta).
    log_likelihood_ : float
        Total log-likelihood of the data at ``params_`` (after :meth:`fit`).
    standard_errors_ : dict
        Standard error of each parameter (after :meth:`fit`).
    covariance_ : DataFrame
        Covariance matrix of the parameters (after :meth:`fit`).
    time_unit_ : str
        ``"W"`` or ``"D"``.

    Examples
    --------
    >>> model = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> model
    BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> BetaGeo().p_alive(None)
    Traceback (most recent call last):
    ...
    customering_utils.clv.NotFittedError: this BetaGeo is not fitted yet: call fit(summary) first, or build it with BetaGeo.from_params(...)
    """

    _names = ("r", "alpha", "a", "b")
    _label = "BG/NBD"

    @classmethod
    def from_params(cls, *, r: float, alpha: float, a: float, b: float, time_unit: str = "W") -> BetaGeo:
        """A model with given parameters, such as published ones, without fitting.

        Parameters
        ----------
        r, alpha, a, b : float
            The BG/NBD parameters, all positive; ``alpha`` in ``time_unit``.
        time_unit : str
            The unit the rates are per: ``"W"`` (weeks, the default) or ``"D"`` (days).

        Returns
        -------
        BetaGeo
            A model ready to predict.

        Examples
        --------
        >>> BetaGeo.from_params(r=0.243, alpha=4.414 * 7, a=0.793, b=2.426, time_unit="D").time_unit_
        'D'
        """
        model = cls()
        model._set({"r": r, "alpha": alpha, "a": a, "b": b})
        periods.unit_days(time_unit)
        model.time_unit_ = time_unit
        return model

    def fit(self, summary: pd.DataFrame, start: ArrayLike = (1.0, 1.0, 1.0, 1.0)) -> BetaGeo:
        """Estimate r, alpha, a, b by maximum likelihood.

        Time is rescaled inside the fit so that the longest history is 10 units long, as
        lifetimes does: the search is then the same whatever the unit of time, and
        ``alpha`` is scaled back at the end. Convergence is judged by the gradient of the
        log-likelihood (see :data:`GRADIENT_TOLERANCE`), not by the optimiser's message.

        Parameters
        ----------
        summary : DataFrame
            One row per customer with ``frequency``, ``recency`` and ``T``, and its unit of
            time in ``attrs["time_unit"]``, as :func:`summarize` makes it.
        start : sequence of 4 floats
            Starting values of r, alpha, a, b, with alpha in the rescaled time (longest
            history = 10).

        Returns
        -------
        BetaGeo
            The model itself, with ``params_``, ``log_likelihood_``, ``standard_errors_``,
            ``covariance_`` and ``time_unit_``.

        Examples
        --------
        >>> from customering_utils import datasets
        >>> summary = summarize(datasets.load_cdnow(), end="1997-09-30")
        >>> model = BetaGeo().fit(summary)
        >>> model.summary_table()[["estimate", "standard_error"]].round(3)  # as lifetimes reports them
                   estimate  standard_error
        parameter
        r             0.243           0.013
        alpha         4.414           0.378
        a             0.793           0.186
        b             2.426           0.705
        """
        unit = periods.time_unit_of(summary)
        x, t_x, T = _history(summary)
        scale = float(T.max()) / 10 if T.max() > 0 else 1.0
        objective = _Objective(_bgnbd_negative_log_likelihood(x, t_x / scale, T / scale), len(x))
        theta = _fit(objective, np.asarray(start, float), "BG/NBD")
        units = np.array([1.0, scale, 1.0, 1.0])
        self._set(dict(zip(self._names, (np.exp(theta) * units).tolist(), strict=True)))
        # The likelihood is a density of purchase times: rescaling time by `scale` multiplied it by scale**x.
        self.log_likelihood_ = -objective.value(theta) - float(np.log(scale) * x.sum())
        self.standard_errors_, self.covariance_ = _standard_errors(objective, theta, list(self._names), units)
        self.time_unit_ = unit
        return self

    def _params(self) -> tuple[float, float, float, float]:
        p = self._fitted()
        if p["a"] == 1:
            # The expectations' factor (a+b-1)/(a-1) has no finite value at a = 1 exactly.
            raise ValueError("expected purchases are undefined at a = 1 exactly; refit, or nudge a (for example 1 + 1e-9)")
        return p["r"], p["alpha"], p["a"], p["b"]

    def _history(self, summary: pd.DataFrame) -> tuple[NDArray, NDArray, NDArray]:
        """The summary's columns, after checking it measures time in the model's unit."""
        self._fitted()
        unit = periods.time_unit_of(summary, default=self.time_unit_)
        if unit != self.time_unit_:
            raise ValueError(
                f"the summary measures time in {periods.unit_name(unit)} but the model's rates are per "
                f"{periods.unit_name(self.time_unit_)[:-1]}: summarize with time_unit={self.time_unit_!r}, "
                "or fit the model to this summary")
        return _history(summary)

    def expected_purchases(self, t: ArrayLike) -> NDArray[np.float64]:
        r"""Expected purchases of a new customer in a period of length ``t`` (FHL 2005, eq. 7).

        .. math:: E[X(t)] = \frac{a+b-1}{a-1}\left[1 - \left(\frac{\alpha}{\alpha+t}\right)^r
                  {}_2F_1\!\left(r, b; a+b-1; \frac{t}{\alpha+t}\right)\right]

        Parameters
        ----------
        t : float or array
            Length of the period, in the model's unit of time.

        Returns
        -------
        numpy.ndarray
            Expected purchases in ``(0, t]`` of a customer who has just made their first.

        Examples
        --------
        >>> model = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> round(float(model.expected_purchases(52)), 3)  # a simulation of 2 million customers gives 1.445
        1.446
        """
        r, alpha, a, b = self._params()
        t = np.asarray(t, dtype=float)
        if np.any(t < 0):
            raise ValueError(f"t should be a length of time of at least 0, got {t!r}")
        return (a + b - 1) / (a - 1) * (1 - _euler_term(r, a, b, 0.0, alpha, t))

    def conditional_expected_purchases(self, t: ArrayLike, summary: pd.DataFrame) -> pd.Series:
        r"""Expected purchases of each customer in the next ``t``, given their history (FHL 2005, eq. 10).

        .. math:: E[Y(t) \mid x, t_x, T] = \frac{a+b+x-1}{a-1}
                  \left[1 - \left(\frac{\alpha+T}{\alpha+T+t}\right)^{r+x}
                  {}_2F_1\!\left(r+x, b+x; a+b+x-1; \frac{t}{\alpha+T+t}\right)\right] P(\text{alive})

        Parameters
        ----------
        t : float
            Length of the coming period, in the model's unit of time.
        summary : DataFrame
            Histories: ``frequency``, ``recency``, ``T``, in the model's unit of time.

        Returns
        -------
        Series
            Expected purchases per customer, indexed like ``summary``.

        Examples
        --------
        FHL's worked example: x = 2, t_x = 30.43, T = 38.86 weeks, the next 39 weeks: 1.226.

        >>> import pandas as pd
        >>> model = BetaGeo.from_params(r=0.2426, alpha=4.4136, a=0.7929, b=2.4259)
        >>> history = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]})
        >>> round(float(model.conditional_expected_purchases(39, history).iloc[0]), 3)
        1.226
        """
        r, alpha, a, b = self._params()
        x, t_x, T = self._history(summary)
        t = float(t)
        if t < 0:
            raise ValueError(f"t should be a length of time of at least 0, got {t!r}")
        numerator = (a + b + x - 1) / (a - 1) * (1 - _euler_term(r, a, b, x, alpha + T, t))
        return pd.Series(numerator * self.p_alive(summary).to_numpy(), index=summary.index, name="expected_purchases")

    def _cumulative_purchases(self, times: NDArray, summary: pd.DataFrame) -> NDArray:
        """E[Y(t)] for each customer (rows) at each of ``times`` (columns): eq. 10, P(alive) computed once."""
        r, alpha, a, b = self._params()
        x, _, T = self._history(summary)
        alive = self.p_alive(summary).to_numpy()[:, None]
        x, base = x[:, None], (alpha + T)[:, None]
        return (a + b + x - 1) / (a - 1) * (1 - _euler_term(r, a, b, x, base, times[None, :])) * alive

    def p_alive(self, summary: pd.DataFrame) -> pd.Series:
        r"""Probability each customer is still alive at the end of their observation (FHL 2005, eq. 11).

        .. math:: P(\text{alive}) = 1 \Big/ \left(1 + [x>0]\,\frac{a}{b+x-1}
                  \left(\frac{\alpha+T}{\alpha+t_x}\right)^{r+x}\right)

        Parameters
        ----------
        summary : DataFrame
            Histories: ``frequency``, ``recency``, ``T``, in the model's unit of time
            (a table without ``attrs["time_unit"]`` is taken to be in the model's unit).

        Returns
        -------
        Series
            P(alive) per customer, between 0 and 1, indexed like ``summary``.

        Examples
        --------
        >>> import pandas as pd
        >>> model = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> history = pd.DataFrame({"frequency": [0, 2, 2], "recency": [0.0, 30.0, 5.0], "T": [38.0, 38.0, 38.0]})
        >>> model.p_alive(history).round(3).tolist()
        [1.0, 0.73, 0.129]
        """
        r, alpha, a, b = self._params()
        x, t_x, T = self._history(summary)
        log_odds_dead = np.full_like(x, -np.inf)
        repeat = x > 0
        log_odds_dead[repeat] = (
            np.log(a) - np.log(b + x[repeat] - 1) + (r + x[repeat]) * (np.log(alpha + T[repeat]) - np.log(alpha + t_x[repeat]))
        )
        return pd.Series(special.expit(-log_odds_dead), index=summary.index, name="p_alive")


class GammaGamma(_Model):
    """The Gamma-Gamma model of spend per purchase (Fader and Hardie 2013).

    Fitted on customers with at least one repeat purchase (``frequency > 0``) and their
    mean repeat spend ``monetary_value``; customers without one are skipped. The model
    assumes spend does not depend on how often a customer buys: check that the
    correlation of ``frequency`` and ``monetary_value`` is small before you trust it.

    Attributes
    ----------
    params_ : dict
        ``p`` (shape of each purchase's spend), ``q`` and ``v`` (shape and scale, in US
        dollars, of the spread of customers' spend rates).
    log_likelihood_, standard_errors_, covariance_
        As for :class:`BetaGeo`, after :meth:`fit`.

    Examples
    --------
    >>> GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    GammaGamma(p=6.25, q=3.74, v=15.44)
    """

    _names = ("p", "q", "v")
    _label = "Gamma-Gamma"

    @classmethod
    def from_params(cls, *, p: float, q: float, v: float) -> GammaGamma:
        """A model with given parameters, such as published ones, without fitting.

        Parameters
        ----------
        p, q, v : float
            The Gamma-Gamma parameters, all positive; ``v`` in US dollars.

        Returns
        -------
        GammaGamma
            A model ready to predict.

        Examples
        --------
        >>> GammaGamma.from_params(p=6.25, q=3.74, v=15.44).params_["q"]
        3.74
        """
        model = cls()
        model._set({"p": p, "q": q, "v": v})
        return model

    @staticmethod
    def _spend(summary: pd.DataFrame) -> tuple[NDArray, NDArray]:
        require_columns(summary, ["frequency", "monetary_value"], table="summary")
        x = summary["frequency"].to_numpy(dtype=float)
        m = summary["monetary_value"].to_numpy(dtype=float)
        if np.any(~np.isfinite(m)) or np.any(m < 0):
            raise ValueError("summary column 'monetary_value' should hold amounts of at least 0 US dollars")
        return x, m

    def fit(self, summary: pd.DataFrame, start: ArrayLike = (1.0, 1.0, 1.0)) -> GammaGamma:
        """Estimate p, q, v by maximum likelihood on the repeat buyers.

        Spend is rescaled inside the fit so that the mean repeat spend is 1, and ``v``
        scaled back at the end: the search is the same in dollars or cents.

        Parameters
        ----------
        summary : DataFrame
            One row per customer with ``frequency`` and ``monetary_value``, as
            :func:`summarize` makes it.
        start : sequence of 3 floats
            Starting values of p, q, v (v in units of the mean repeat spend).

        Returns
        -------
        GammaGamma
            The model itself, with ``params_``, ``log_likelihood_``, ``standard_errors_``
            and ``covariance_``.

        Examples
        --------
        >>> from customering_utils import datasets
        >>> summary = summarize(datasets.load_cdnow(), end="1997-09-30")
        >>> model = GammaGamma().fit(summary)
        >>> {k: round(v, 2) for k, v in model.params_.items()}, round(model.log_likelihood_, 2)
        ({'p': 6.25, 'q': 3.74, 'v': 15.44}, -4055.92)
        """
        x, m = self._spend(summary)
        keep = (x > 0) & (m > 0)
        if keep.sum() < 2:
            raise ValueError("summary has fewer than 2 customers with repeat purchases and positive spend; "
                             "Gamma-Gamma needs them")
        x, m = x[keep], m[keep]
        scale = float(m.mean())
        objective = _Objective(_gamma_gamma_negative_log_likelihood(x, m / scale), len(x))
        theta = _fit(objective, np.asarray(start, float), "Gamma-Gamma")
        units = np.array([1.0, 1.0, scale])
        self._set(dict(zip(self._names, (np.exp(theta) * units).tolist(), strict=True)))
        # A density of mean spend: rescaling dollars by `scale` multiplied it by `scale` per customer.
        self.log_likelihood_ = -objective.value(theta) - float(np.log(scale) * len(x))
        self.standard_errors_, self.covariance_ = _standard_errors(objective, theta, list(self._names), units)
        return self

    def expected_spend(self, summary: pd.DataFrame) -> pd.Series:
        r"""Each customer's expected mean spend per purchase (the population mean if no repeat).

        .. math:: E[M \mid m_x, x] = \frac{p\,(v + x\, m_x)}{px + q - 1}

        Parameters
        ----------
        summary : DataFrame
            ``frequency`` and ``monetary_value`` per customer.

        Returns
        -------
        Series
            Expected spend per purchase, US dollars, indexed like ``summary``.

        Examples
        --------
        >>> import pandas as pd
        >>> model = GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
        >>> model.expected_spend(pd.DataFrame({"frequency": [0, 2], "monetary_value": [0.0, 50.0]})).round(2).tolist()
        [35.22, 47.34]
        """
        params = self._fitted()
        p, q, v = params["p"], params["q"], params["v"]
        if q <= 1:
            raise ValueError(f"expected spend needs q > 1 (the population mean is infinite), got q={q:.3f}")
        x, m = self._spend(summary)
        return pd.Series(p * (v + x * m) / (p * x + q - 1), index=summary.index, name="expected_spend")


def customer_lifetime_value(
    purchases: BetaGeo,
    spend: GammaGamma,
    summary: pd.DataFrame,
    horizon: float = 52.0,
    margin: float = 0.30,
    annual_discount_rate: float = 0.10,
) -> pd.Series:
    r"""Discounted gross margin each customer is expected to bring over ``horizon``, US dollars.

    The horizon is cut into steps of one unit of the model's time (a week or a day, as in
    ``purchases.time_unit_``); step :math:`k` brings the expected purchases of that step,
    :math:`E[Y(k)] - E[Y(k-1)]` given the customer's history, times their expected spend
    and the gross ``margin``, discounted at the per-step rate equivalent to
    ``annual_discount_rate``:

    .. math:: \mathrm{CLV} = \sum_{k=1}^{K} \frac{(E[Y(k)] - E[Y(k-1)])\; E[M]\; \mathrm{margin}}{(1+d)^{k}},
              \qquad 1 + d = (1 + \text{annual rate})^{\text{step}/365.25\ \text{days}}.

    Parameters
    ----------
    purchases : BetaGeo
        A fitted purchase model; its unit of time is the summary's and the horizon's.
    spend : GammaGamma
        A fitted spend model.
    summary : DataFrame
        Customer histories as :func:`summarize` makes them.
    horizon : float
        How far ahead, in the model's unit of time (52 weeks by default).
    margin : float
        Gross margin as a share of revenue, between 0 and 1.
    annual_discount_rate : float
        Yearly rate at which future margin is discounted (0 for none).

    Returns
    -------
    Series
        CLV per customer, US dollars, named ``clv`` and indexed like ``summary``.

    Examples
    --------
    >>> import pandas as pd
    >>> bg = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> gg = GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    >>> history = pd.DataFrame({"frequency": [0, 5], "recency": [0.0, 35.0], "T": [38.0, 38.0],
    ...                         "monetary_value": [0.0, 30.0]})
    >>> customer_lifetime_value(bg, gg, history, horizon=52, margin=0.3).round(2).tolist()
    [2.59, 36.07]
    """
    purchases._fitted()
    unit = purchases.time_unit_
    if not 0 < margin <= 1:
        raise ValueError(f"margin should be a share of revenue between 0 and 1 (for example 0.30), got {margin!r}")
    if not annual_discount_rate >= 0:
        raise ValueError(f"annual_discount_rate should be at least 0 (for example 0.10), got {annual_discount_rate!r}")
    if not horizon > 0:
        raise ValueError(f"horizon should be a positive length of time in {periods.unit_name(unit)}, got {horizon!r}")
    steps = int(np.ceil(horizon))
    step_rate = periods.per_period_rate(annual_discount_rate, unit)
    value_per_purchase = spend.expected_spend(summary).to_numpy() * margin
    times = np.minimum(np.arange(0, steps + 1, dtype=float), horizon)
    per_step = np.diff(purchases._cumulative_purchases(times, summary), axis=1)
    discount = (1 + step_rate) ** -np.arange(1, steps + 1)
    return pd.Series(per_step @ discount * value_per_purchase, index=summary.index, name="clv")

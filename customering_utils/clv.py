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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special

from .tables import check_transactions, require_columns

__all__ = [
    "summarize",
    "calibration_holdout",
    "BetaGeo",
    "GammaGamma",
    "customer_lifetime_value",
    "FitError",
]

_UNIT_DAYS = {"D": 1.0, "W": 7.0}
SUMMARY_COLUMNS = ["frequency", "recency", "T"]


class FitError(RuntimeError):
    """A model's maximum-likelihood search did not converge."""


def _unit_days(time_unit: str) -> float:
    if time_unit not in _UNIT_DAYS:
        raise ValueError(f"time_unit should be 'W' (weeks) or 'D' (days), got {time_unit!r}")
    return _UNIT_DAYS[time_unit]


def summarize(
    transactions: pd.DataFrame, end: str | pd.Timestamp, time_unit: str = "W", start: str | pd.Timestamp | None = None
) -> pd.DataFrame:
    """One row per customer, with the columns BG/NBD and Gamma-Gamma use.

    ``transactions`` needs ``customer_id``, ``date`` and ``amount`` (US dollars).
    Purchases after ``end`` (inclusive date) are ignored, and customers whose first
    purchase is before ``start`` (if given) or after ``end`` are left out. Purchases on the
    same day count as one, with their amounts added, as in Fader, Hardie and Lee (2005).

    Columns, with times in ``time_unit`` (``"W"`` weeks or ``"D"`` days):

    - ``frequency``: repeat purchases (days with a purchase, after the first);
    - ``recency``: time from the first purchase to the last (0 if no repeat);
    - ``T``: time from the first purchase to ``end``;
    - ``monetary_value``: mean value of the repeat purchases (0 if none), US dollars.

    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1, 2], "amount": [10.0, 20.0, 5.0, 8.0],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-01-15", "2025-01-15", "2025-01-08"])})
    >>> summarize(tx, end="2025-01-29")
                 frequency  recency    T  monetary_value
    customer_id
    1                    1      2.0  4.0            25.0
    2                    0      0.0  3.0             0.0
    """
    unit = _unit_days(time_unit)
    data = check_transactions(transactions)
    end = pd.Timestamp(end).normalize()
    data = data[data["date"].dt.normalize() <= end]  # the whole end day, whatever the time of a purchase
    if start is not None:
        first_all = data.groupby("customer_id")["date"].transform("min")
        data = data[first_all >= pd.Timestamp(start)]
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
            "recency": (last - first).dt.days / unit,
            "T": (end - first).dt.days / unit,
            "monetary_value": np.where(frequency > 0, (total - first_amount) / frequency.where(frequency > 0, 1), 0.0),
        }
    )
    summary.index.name = "customer_id"
    return summary


def calibration_holdout(
    transactions: pd.DataFrame,
    calibration_end: str | pd.Timestamp,
    holdout_end: str | pd.Timestamp,
    time_unit: str = "W",
) -> pd.DataFrame:
    """The calibration summary of :func:`summarize`, with what happened next.

    Customers are those who made their first purchase by ``calibration_end``. Adds
    ``frequency_holdout`` (purchase days after ``calibration_end`` up to ``holdout_end``)
    and ``duration_holdout`` (the hold-out period's length in ``time_unit``).

    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1], "amount": [10.0, 20.0, 5.0],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-01-15", "2025-02-12"])})
    >>> calibration_holdout(tx, "2025-01-29", "2025-02-26")[["frequency", "frequency_holdout", "duration_holdout"]]
                 frequency  frequency_holdout  duration_holdout
    customer_id
    1                    1                  1               4.0
    """
    unit = _unit_days(time_unit)
    calibration_end, holdout_end = pd.Timestamp(calibration_end).normalize(), pd.Timestamp(holdout_end).normalize()
    if holdout_end <= calibration_end:
        raise ValueError(f"holdout_end ({holdout_end.date()}) should be after calibration_end ({calibration_end.date()})")
    summary = summarize(transactions, end=calibration_end, time_unit=time_unit)
    data = check_transactions(transactions)
    day = data["date"].dt.normalize()
    later = data[(day > calibration_end) & (day <= holdout_end)]
    later_days = later.assign(day=later["date"].dt.normalize()).groupby("customer_id")["day"].nunique()
    summary["frequency_holdout"] = later_days.reindex(summary.index, fill_value=0).astype("int64")
    summary["duration_holdout"] = (holdout_end - calibration_end).days / unit
    return summary


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
    if np.any(~np.isfinite(T)) or np.any(T < t_x):
        bad = int(np.flatnonzero(~np.isfinite(T) | (T < t_x))[0])
        raise ValueError(
            f"{table} column 'T' should be at least 'recency' for every customer; "
            f"row {bad} has T={T[bad]!r}, recency={t_x[bad]!r}"
        )
    if np.any((x == 0) & (t_x != 0)):
        raise ValueError(f"{table}: a customer with frequency 0 should have recency 0")
    return x, t_x, T


def _fit(value_and_gradient, start: NDArray, names: list[str], model: str) -> tuple[dict[str, float], float]:
    """Minimise a negative log-likelihood over log-parameters; ``value_and_gradient`` returns both."""
    result = optimize.minimize(value_and_gradient, np.log(start), jac=True, method="L-BFGS-B",
                               options={"maxiter": 1000, "gtol": 1e-8, "ftol": 1e-14})
    if not result.success or not np.all(np.isfinite(result.x)):
        raise FitError(
            f"{model} did not converge ({result.message}). Try: more customers, or customers "
            "with repeat purchases; a longer calibration period; a different time_unit "
            "so rates are not tiny or huge; or other starting values (fit(..., start=...))."
        )
    return dict(zip(names, np.exp(result.x).tolist())), float(-result.fun)


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


@dataclass
class BetaGeo:
    """The BG/NBD model. ``fit(summary)`` estimates ``params_`` = {r, alpha, a, b}.

    ``summary`` is a table like :func:`summarize`'s (columns ``frequency``, ``recency``,
    ``T``); the rates are per the summary's time unit. After fitting, ``log_likelihood_``
    is the total log-likelihood of the data.
    """

    params_: dict[str, float] | None = None
    log_likelihood_: float | None = None

    def fit(self, summary: pd.DataFrame, start: ArrayLike = (1.0, 1.0, 1.0, 1.0)) -> BetaGeo:
        """Estimate r, alpha, a, b by maximum likelihood; return the fitted model."""
        x, t_x, T = _history(summary)
        n = len(x)
        # Histories repeat a few hundred counts and about a thousand distinct times, so the
        # special functions and logarithms are computed once per distinct value and gathered:
        # a million customers cost little more than the element-wise sums.
        x_u, ix = np.unique(x, return_inverse=True)
        per_x = np.bincount(ix).astype(float)
        T_u, iT = np.unique(T, return_inverse=True)
        t_u, it = np.unique(t_x, return_inverse=True)
        has_repeat = x_u > 0

        def value_and_gradient(theta):
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

        self.params_, self.log_likelihood_ = _fit(value_and_gradient, np.asarray(start, float),
                                                  ["r", "alpha", "a", "b"], "BG/NBD")
        return self

    def _params(self) -> tuple[float, float, float, float]:
        if self.params_ is None:
            raise RuntimeError("the model is not fitted yet: call fit(summary) first")
        p = self.params_
        if p["a"] == 1:
            # The expectations' factor (a+b-1)/(a-1) has no finite value at a = 1 exactly.
            raise ValueError("expected purchases are undefined at a = 1 exactly; refit, or nudge a (for example 1 + 1e-9)")
        return p["r"], p["alpha"], p["a"], p["b"]

    def expected_purchases(self, t: ArrayLike) -> NDArray[np.float64]:
        r"""Expected purchases of a new customer in a period of length ``t`` (FHL 2005, eq. 7).

        .. math:: E[X(t)] = \frac{a+b-1}{a-1}\left[1 - \left(\frac{\alpha}{\alpha+t}\right)^r
                  {}_2F_1\!\left(r, b; a+b-1; \frac{t}{\alpha+t}\right)\right]

        >>> model = BetaGeo(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
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

        FHL's worked example: x = 2, t_x = 30.43, T = 38.86 weeks, the next 39 weeks: 1.226.

        >>> import pandas as pd
        >>> model = BetaGeo(params_={"r": 0.2426, "alpha": 4.4136, "a": 0.7929, "b": 2.4259})
        >>> history = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]})
        >>> round(float(model.conditional_expected_purchases(39, history).iloc[0]), 3)
        1.226
        """
        r, alpha, a, b = self._params()
        x, t_x, T = _history(summary)
        t = float(t)
        if t < 0:
            raise ValueError(f"t should be a length of time of at least 0, got {t!r}")
        numerator = (a + b + x - 1) / (a - 1) * (1 - _euler_term(r, a, b, x, alpha + T, t))
        return pd.Series(numerator * self.p_alive(summary).to_numpy(), index=summary.index, name="expected_purchases")

    def _cumulative_purchases(self, times: NDArray, summary: pd.DataFrame) -> NDArray:
        """E[Y(t)] for each customer (rows) at each of ``times`` (columns): eq. 10, P(alive) computed once."""
        r, alpha, a, b = self._params()
        x, _, T = _history(summary)
        alive = self.p_alive(summary).to_numpy()[:, None]
        x, base = x[:, None], (alpha + T)[:, None]
        return (a + b + x - 1) / (a - 1) * (1 - _euler_term(r, a, b, x, base, times[None, :])) * alive

    def p_alive(self, summary: pd.DataFrame) -> pd.Series:
        r"""Probability each customer is still alive at the end of their observation (FHL 2005, eq. 11).

        .. math:: P(\text{alive}) = 1 \Big/ \left(1 + [x>0]\,\frac{a}{b+x-1}
                  \left(\frac{\alpha+T}{\alpha+t_x}\right)^{r+x}\right)

        >>> import pandas as pd
        >>> model = BetaGeo(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> history = pd.DataFrame({"frequency": [0, 2, 2], "recency": [0.0, 30.0, 5.0], "T": [38.0, 38.0, 38.0]})
        >>> model.p_alive(history).round(3).tolist()
        [1.0, 0.73, 0.129]
        """
        r, alpha, a, b = self._params()
        x, t_x, T = _history(summary)
        log_odds_dead = np.full_like(x, -np.inf)
        repeat = x > 0
        log_odds_dead[repeat] = (
            np.log(a) - np.log(b + x[repeat] - 1) + (r + x[repeat]) * (np.log(alpha + T[repeat]) - np.log(alpha + t_x[repeat]))
        )
        return pd.Series(special.expit(-log_odds_dead), index=summary.index, name="p_alive")


@dataclass
class GammaGamma:
    """The Gamma-Gamma spend model. ``fit(summary)`` estimates ``params_`` = {p, q, v}.

    Fitted on customers with at least one repeat purchase (``frequency > 0``) and their
    mean repeat spend ``monetary_value``; customers without one are skipped. The model
    assumes spend does not depend on how often a customer buys: check that the
    correlation of ``frequency`` and ``monetary_value`` is small before you trust it.
    """

    params_: dict[str, float] | None = None
    log_likelihood_: float | None = None

    @staticmethod
    def _spend(summary: pd.DataFrame) -> tuple[NDArray, NDArray]:
        require_columns(summary, ["frequency", "monetary_value"], table="summary")
        x = summary["frequency"].to_numpy(dtype=float)
        m = summary["monetary_value"].to_numpy(dtype=float)
        if np.any(~np.isfinite(m)) or np.any(m < 0):
            raise ValueError("summary column 'monetary_value' should hold amounts of at least 0 US dollars")
        return x, m

    def fit(self, summary: pd.DataFrame, start: ArrayLike = (1.0, 1.0, 1.0)) -> GammaGamma:
        """Estimate p, q, v by maximum likelihood on the repeat buyers; return the fitted model."""
        x, m = self._spend(summary)
        keep = (x > 0) & (m > 0)
        if keep.sum() < 2:
            raise ValueError("summary has fewer than 2 customers with repeat purchases and positive spend; Gamma-Gamma needs them")
        x, m = x[keep], m[keep]
        log_m, log_x = np.log(m), np.log(x)

        def value_and_gradient(theta):
            p, q, v = np.exp(theta)
            log_vxm = np.log(v + x * m)
            log_likelihood = (special.gammaln(p * x + q) - special.gammaln(p * x) - special.gammaln(q) + q * np.log(v)
                              + (p * x - 1) * log_m + p * x * log_x - (p * x + q) * log_vxm).sum()
            psi = special.digamma(p * x + q)
            d_p = x @ (psi - special.digamma(p * x) + log_m + log_x - log_vxm)
            d_q = (psi - special.digamma(q) + np.log(v) - log_vxm).sum()
            d_v = (q / v - (p * x + q) / (v + x * m)).sum()
            return -log_likelihood, -np.array([d_p * p, d_q * q, d_v * v])

        self.params_, self.log_likelihood_ = _fit(value_and_gradient, np.asarray(start, float),
                                                  ["p", "q", "v"], "Gamma-Gamma")
        return self

    def expected_spend(self, summary: pd.DataFrame) -> pd.Series:
        """Each customer's expected mean spend per purchase, US dollars (the population mean if no repeat).

        >>> import pandas as pd
        >>> model = GammaGamma(params_={"p": 6.25, "q": 3.74, "v": 15.44})
        >>> model.expected_spend(pd.DataFrame({"frequency": [0, 2], "monetary_value": [0.0, 50.0]})).round(2).tolist()
        [35.22, 47.34]
        """
        if self.params_ is None:
            raise RuntimeError("the model is not fitted yet: call fit(summary) first")
        p, q, v = self.params_["p"], self.params_["q"], self.params_["v"]
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
    time_unit: str = "W",
) -> pd.Series:
    r"""Discounted gross margin each customer is expected to bring over ``horizon``, US dollars.

    The horizon is cut into steps of one ``time_unit``; step :math:`k` brings the expected
    purchases of that step, :math:`E[Y(k)] - E[Y(k-1)]` given the customer's history,
    times their expected spend and the gross ``margin``, discounted at the per-step rate
    equivalent to ``annual_discount_rate``:

    .. math:: \mathrm{CLV} = \sum_{k=1}^{K} \frac{(E[Y(k)] - E[Y(k-1)])\; E[M]\; \mathrm{margin}}{(1+d)^{k}},
              \qquad 1 + d = (1 + \text{annual rate})^{\text{step}/365.25\ \text{days}}.

    >>> import pandas as pd
    >>> bg = BetaGeo(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    >>> gg = GammaGamma(params_={"p": 6.25, "q": 3.74, "v": 15.44})
    >>> history = pd.DataFrame({"frequency": [0, 5], "recency": [0.0, 35.0], "T": [38.0, 38.0],
    ...                         "monetary_value": [0.0, 30.0]})
    >>> customer_lifetime_value(bg, gg, history, horizon=52, margin=0.3).round(2).tolist()
    [2.59, 36.07]
    """
    unit = _unit_days(time_unit)
    if not 0 < margin <= 1:
        raise ValueError(f"margin should be a share of revenue between 0 and 1 (for example 0.30), got {margin!r}")
    if not annual_discount_rate >= 0:
        raise ValueError(f"annual_discount_rate should be at least 0 (for example 0.10), got {annual_discount_rate!r}")
    if not horizon > 0:
        raise ValueError(f"horizon should be a positive length of time in {time_unit}, got {horizon!r}")
    steps = int(np.ceil(horizon))
    step_rate = (1 + annual_discount_rate) ** (unit / 365.25) - 1
    value_per_purchase = spend.expected_spend(summary).to_numpy() * margin
    times = np.minimum(np.arange(0, steps + 1, dtype=float), horizon)
    per_step = np.diff(purchases._cumulative_purchases(times, summary), axis=1)
    discount = (1 + step_rate) ** -np.arange(1, steps + 1)
    return pd.Series(per_step @ discount * value_per_purchase, index=summary.index, name="clv")

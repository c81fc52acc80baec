"""How long customers stay: the Kaplan-Meier survival curve, with its confidence band.

A customer who has not left yet by the end of the data is **censored**: we know they
stayed at least that long, not how long. Dropping them, or treating the end of the data
as their departure, both bias the answer. The Kaplan-Meier estimate uses every customer
for as long as they were watched. At each time :math:`t_i` at which someone left,

.. math:: \\hat S(t) = \\prod_{t_i \\le t} \\left(1 - \\frac{d_i}{n_i}\\right),

where :math:`n_i` customers were still being watched (*at risk*) just before :math:`t_i`
and :math:`d_i` of them left then (*events*). Censored customers count as at risk up to
and including their own time, then drop out of the count.

The code below follows the formula line by line, in plain numpy and pandas, so it can be
read beside it; the tests check it against ``lifelines.KaplanMeierFitter``.

>>> table = kaplan_meier([2, 3, 3, 5, 8], observed=[1, 1, 0, 1, 0])
>>> table["survival"].round(3).tolist()
[1.0, 0.8, 0.6, 0.3, 0.3]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from .intervals import _confidence

__all__ = ["kaplan_meier"]


def kaplan_meier(durations: ArrayLike, observed: ArrayLike, confidence: float = 0.95) -> pd.DataFrame:
    """The Kaplan-Meier estimate of the share still "surviving" (not yet left) at each time, with a band.

    One row per distinct time in ``durations``, after a first row at time 0 (unless a
    duration is 0), with the number at risk just before that time, the events and the
    censorings at it, and the estimated survival :math:`\\hat S(t)` just after it (see
    the module's formula).

    The confidence band is the "exponential Greenwood" or log(-log) band, the default of
    ``lifelines``: Greenwood's variance of :math:`\\log \\hat S`,

    .. math:: V(t) = \\sum_{t_i \\le t} \\frac{d_i}{n_i (n_i - d_i)},

    gives the standard error of :math:`\\log(-\\log \\hat S)` as
    :math:`\\sigma = \\sqrt{V} / |\\log \\hat S|`, and the band is
    :math:`\\hat S^{\\exp(\\pm z \\sigma)}`: it always stays between 0 and 1. Where
    :math:`\\hat S = 1` (before the first event) the band is 1 to 1; after the last
    customer at risk leaves (:math:`\\hat S = 0`) it is 0 to 0, and that time's term is
    left out of :math:`V`, as ``lifelines`` does.

    Hand-worked: five customers watched for 2, 3, 3, 5 and 8 months; one of the two at
    month 3, and the one at month 8, were still there when the data ended (censored). At
    month 2, 5 are at risk and 1 leaves: S = 4/5 = 0.8. At month 3, 4 are at risk and 1 leaves: S = 0.8 * 3/4 =
    0.6. At month 5, 2 are at risk and 1 leaves: S = 0.6 * 1/2 = 0.3. At month 8 the last
    is censored: S stays 0.3.

    Parameters
    ----------
    durations : array_like
        How long each customer was watched: until they left, or until the data end (in
        any unit of time, at least 0; the table's times are in the same unit).
    observed : array_like
        For each customer, True (or 1) if they were seen to leave at their duration, False
        (or 0) if censored; the same length as ``durations``.
    confidence : float, default 0.95
        The level of the band.

    Returns
    -------
    DataFrame
        Indexed by ``time`` (increasing), with ``at_risk``, ``events`` and ``censored``
        (counts), ``survival`` (0 to 1), and the band's ``lower`` and ``upper``.

    Examples
    --------
    The hand-worked case above:

    >>> kaplan_meier([2, 3, 3, 5, 8], observed=[True, True, False, True, False]).round(3)
          at_risk  events  censored  survival  lower  upper
    time
    0.0         5       0         0       1.0  1.000  1.000
    2.0         5       1         0       0.8  0.204  0.969
    3.0         4       1         1       0.6  0.126  0.882
    5.0         2       1         0       0.3  0.012  0.719
    8.0         1       0         1       0.3  0.012  0.719
    """
    times, left = _checked(durations, observed)
    level = _confidence(confidence)
    # One row per distinct time: how many left (events) and how many were censored there.
    counts = pd.DataFrame({"time": times, "events": left.astype(int), "censored": (~left).astype(int)})
    table = counts.groupby("time").sum()
    if table.index[0] > 0:
        table.loc[0.0] = 0
        table = table.sort_index()
    # At risk just before each time: everyone, less those who left or were censored earlier.
    leaving = table["events"] + table["censored"]
    table.insert(0, "at_risk", len(times) - leaving.cumsum().shift(1, fill_value=0))
    at_risk, events = table["at_risk"].to_numpy(float), table["events"].to_numpy(float)
    # S(t): the product of (1 - d/n) over the times up to t.
    table["survival"] = np.cumprod(1 - events / at_risk)
    # Greenwood: the sum of d / (n (n - d)); a time where everyone left (n = d) adds nothing.
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(at_risk > events, events / (at_risk * (at_risk - events)), 0.0)
        sigma = np.sqrt(np.cumsum(terms)) / np.abs(np.log(table["survival"].to_numpy()))
        z = stats.norm.ppf(0.5 + level / 2)
        lower = table["survival"].to_numpy() ** np.exp(z * sigma)
        upper = table["survival"].to_numpy() ** np.exp(-z * sigma)
    surviving = table["survival"].to_numpy()
    table["lower"] = np.where(surviving == 1, 1.0, np.where(surviving == 0, 0.0, lower))
    table["upper"] = np.where(surviving == 1, 1.0, np.where(surviving == 0, 0.0, upper))
    table = table.astype({"at_risk": "int64", "events": "int64", "censored": "int64"})
    table.index.name = "time"
    table.attrs = {"confidence": level}
    return table


def _checked(durations: ArrayLike, observed: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Durations as floats and observed as booleans, or an error saying what is wrong."""
    for name, value in (("durations", durations), ("observed", observed)):
        if isinstance(value, pd.DataFrame):
            raise TypeError(f"{name} should be one value per customer (a list, array or Series), got a DataFrame")
    try:
        times = np.asarray(durations, dtype=float).ravel()
    except (TypeError, ValueError) as error:
        raise ValueError("durations should be numbers: how long each customer was watched") from error
    flags = np.asarray(observed).ravel()
    if len(times) == 0:
        raise ValueError("durations is empty; expected one duration per customer")
    if len(flags) != len(times):
        raise ValueError(f"observed should have one entry per duration; got {len(flags)} for {len(times)} durations")
    bad = ~np.isfinite(times) | (times < 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(f"durations should be finite lengths of time of at least 0; entry {first} is {float(times[first])!r}")
    if flags.dtype != bool:
        valid = np.array([value is not None and not pd.isna(value) and value in (0, 1) for value in flags])
        if not valid.all():
            first = int(np.flatnonzero(~valid)[0])
            value = flags[first].item() if isinstance(flags[first], np.generic) else flags[first]
            raise ValueError(f"observed should hold True/False (or 1/0); entry {first} is {value!r}")
        flags = flags.astype(float) == 1
    return times, flags

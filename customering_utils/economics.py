r"""The economics of the customer base: what one customer, and so the base, is worth.

**Customer lifetime value (CLV)** is the margin a customer is expected to bring over
their remaining life with the company, each year's margin discounted to today's money.
In its simplest form every customer brings the same margin ``m`` per period (US dollars),
stays from one period to the next with probability ``r`` (the retention rate), and money
a period from now is worth ``1 / (1 + d)`` of money now (``d``: the discount rate). A
customer is still there after ``t`` periods with probability :math:`r^t`, so

.. math:: \mathrm{CLV} = \sum_{t=1}^{T} \frac{m \, r^t}{(1 + d)^t}
          \;\xrightarrow{T \to \infty}\; \frac{m \, r}{1 + d - r}

(Gupta and Lehmann 2003, "Customers as assets", *Journal of Interactive Marketing*
17(1), 9-24). The sum starts at ``t = 1``: the margin of the current period is already
in hand and not counted.

**Unit economics** put a customer's value beside what it cost to win them:

- :func:`acquisition_cost`: the fully loaded customer acquisition cost (CAC) by channel
  and month, (media spend + overhead + rewards) / new customers;
- :func:`clv_at_acquisition`: each customer's value from the day they were acquired,
  realised where the data have it and forecast by Module 1's models for the rest;
- :func:`clv_by_channel` and :func:`clv_to_cac`: the mean CLV of each channel's customers
  with a bootstrap interval, and the CLV:CAC ratio with that interval carried through;
- :func:`cohort_margin_curves`, :func:`payback_period` and :func:`cohort_payback`: the
  margin an acquired customer brings month by month, and how many months it takes to
  earn back the CAC.

**Customer equity** (Blattberg and Deighton 1996): :func:`customer_equity` values a
prospect under an acquisition and a retention budget, :func:`response_curve` gives the
rate a budget buys, and :func:`optimal_budget_split` divides a budget between the two.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from . import intervals, periods
from .tables import _number, _plain, _raise_if, check_transactions, require_columns

if TYPE_CHECKING:  # only for the type hints; the models (and scipy) load when clv_at_acquisition runs
    from . import clv

__all__ = [
    "simple_clv",
    "acquisition_cost",
    "clv_at_acquisition",
    "clv_by_channel",
    "clv_to_cac",
    "cohort_margin_curves",
    "payback_period",
    "cohort_payback",
    "customer_equity",
    "response_curve",
    "optimal_budget_split",
]

#: The calendar periods a cohort table may use, with how many there are in a year.
PERIODS_PER_YEAR: dict[str, int] = {"MS": 12, "QS": 4, "YS": 1}
_PERIOD_NAMES = {"MS": "months", "QS": "quarters", "YS": "years"}


def simple_clv(
    margin: ArrayLike,
    retention: ArrayLike,
    discount_rate: ArrayLike,
    periods: int | None = None,
) -> float | NDArray[np.float64]:
    r"""Expected discounted margin of one customer (US dollars, if ``margin`` is).

    ``margin`` is the margin per period of a customer who stays (US dollars),
    ``retention`` the probability of staying from one period to the next (0 to 1,
    excluding 1), ``discount_rate`` the rate per period (0.10 for 10%). All three use the
    same period (a year, say). With ``periods=None`` the horizon is infinite and the
    closed form :math:`m r / (1 + d - r)` applies; with ``periods=T`` the sum stops after
    ``T`` periods:

    .. math:: \sum_{t=1}^{T} m q^t = m \, q \, \frac{1 - q^T}{1 - q},
              \qquad q = \frac{r}{1 + d}.

    Scalars give a ``float``; arrays (for example a grid of retention rates) broadcast
    against each other and give an array.

    Hand-worked: margin $100 a year, retention 0.8, discount rate 10%. For ever:
    100 * 0.8 / (1 + 0.1 - 0.8) = 80 / 0.3 = $266.67. Over two years:
    100 * 0.8 / 1.1 + 100 * 0.64 / 1.21 = 72.73 + 52.89 = $125.62.

    Parameters
    ----------
    margin : float or array_like
        Margin per period of a customer who stays, US dollars (for example 100 for
        $100 a year).
    retention : float or array_like
        Probability that a customer stays from one period to the next, a share from 0
        up to but excluding 1 (0.8 for 80%).
    discount_rate : float or array_like
        Discount rate per period, a share of at least 0 (0.10 for 10%).
    periods : int, optional
        The horizon, a whole number of periods (at least 1); ``None`` (the default)
        for ever.

    Returns
    -------
    float or ndarray
        The expected discounted margin of one customer, US dollars (in the unit of
        ``margin``): a ``float`` for scalar inputs, an array of the broadcast shape
        for arrays.

    Examples
    --------
    The hand-worked case above, for ever and over two years, then a grid of retention
    rates:

    >>> round(simple_clv(100, 0.8, 0.1), 2)
    266.67
    >>> round(simple_clv(100, 0.8, 0.1, periods=2), 2)
    125.62
    >>> simple_clv(100, [0.0, 0.5, 0.9], 0.1).round(2).tolist()
    [0.0, 83.33, 450.0]
    """
    m = np.asarray(margin, dtype=float)
    r = np.asarray(retention, dtype=float)
    d = np.asarray(discount_rate, dtype=float)
    if not np.all(np.isfinite(m)):
        raise ValueError(f"margin should be a finite amount per period (US dollars), got {margin!r}")
    if not np.all(np.isfinite(r)) or np.any((r < 0) | (r >= 1)):
        raise ValueError(
            f"retention should be a probability from 0 up to but excluding 1 (for example 0.8), got {retention!r}"
        )
    if not np.all(np.isfinite(d)) or np.any(d < 0):
        raise ValueError(
            "discount_rate should be a finite rate per period of at least 0 "
            f"(for example 0.10 for 10%), got {discount_rate!r}"
        )
    m, r, d = np.broadcast_arrays(m, r, d)
    q = r / (1 + d)  # the chance of being there next period, in today's money
    if periods is None:
        value = m * r / (1 + d - r)
    else:
        if isinstance(periods, bool) or not isinstance(periods, (int, np.integer)) or periods < 1:
            raise ValueError(
                f"periods should be None (for ever) or a whole number of periods, at least 1, got {periods!r}"
            )
        value = m * q * (1 - q ** int(periods)) / (1 - q)
    return float(value) if value.ndim == 0 else value.astype(float)


# ---- unit economics: what a customer costs, and what they bring back ----------------------------------

def acquisition_cost(
    marketing: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    overhead: float = 0.0,
    by: str | Sequence[str] | None = ("channel", "month"),
    *,
    overhead_amount: float = 0.0,
    rewards: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    r"""Fully loaded customer acquisition cost (CAC): what it cost to win one new customer, by channel and month.

    The definition, for each group of rows (one channel in one month, by default):

    .. math:: \mathrm{CAC} = \frac{\text{media spend} + \text{overhead} + \text{rewards}}{\text{new customers}}

    - **media spend**: the ``spend`` column of ``marketing``, US dollars;
    - **overhead**: what winning customers costs beyond the media, stated by the caller:
      ``overhead`` as a share of media spend (agency fees, creative work, tools: costs that
      grow with the spend), plus ``overhead_amount``, a fixed sum for the whole table (the
      marketing team's salaries, say), spread over all the table's new customers alike;
    - **rewards**: what the company pays per new customer outside the media spend, by
      channel, such as a referral bonus (``rewards={"referral": 20.0}``), times the
      channel's new customers. (In the data world the $20 referral bonus is already in the
      referral channel's ``spend``, so no reward needs stating there.)

    A channel that brought new customers but has no spend at all in the table and no
    reward stated raises a ``ValueError`` rather than count as free: state what its
    customers cost (``0.0`` if they truly cost nothing). A group with no new customers has
    no CAC: NaN.

    Hand-worked: search spent $1,000 in January for 20 customers and $1,200 in February for
    30; referral paid $100 in bonuses for 5 customers in January and nothing in February,
    when none came. With overhead at 10% of spend, search's CAC is (1,000 + 100) / 20 = $55
    in January, (1,200 + 120) / 30 = $44 in February, and (2,200 + 220) / 50 = $48.40 over
    both months; referral's is (100 + 10) / 5 = $22.

    Parameters
    ----------
    marketing : DataFrame
        One row per month and channel, with columns ``month`` (a date in the month, such as
        its first day), ``channel``, ``spend`` (US dollars, at least 0) and
        ``new_customers`` (a whole number, at least 0; not needed when ``customers`` is
        given), as the data world's ``marketing``.
    customers : DataFrame, optional
        One row per customer with ``acquisition_date`` and ``channel``, as the data world's
        ``customers``: if given, new customers are counted from it (by month of acquisition
        and channel, within the months of ``marketing``) instead of read from
        ``new_customers``.
    overhead : float, default 0.0
        Overhead as a share of media spend, at least 0 (0.25 adds 25 cents to each dollar).
    by : str, sequence of str or None, default ("channel", "month")
        The groups: ``"channel"``, ``"month"``, both, or ``None`` for one row over the whole
        table.
    overhead_amount : float, default 0.0
        A fixed overhead for the whole table, US dollars, at least 0, shared equally by
        every new customer of the table.
    rewards : mapping of str to float, optional
        US dollars paid per new customer of a channel outside the media spend, at least 0,
        such as ``{"referral": 20.0}``.

    Returns
    -------
    DataFrame
        One row per group (indexed by the ``by`` columns; by ``"all"`` when ``by`` is None)
        with ``media_spend``, ``overhead``, ``rewards`` and their sum ``cost`` (US dollars),
        ``new_customers`` (a count) and ``cac`` (US dollars per new customer, NaN with no new
        customers). ``attrs`` holds the definition and the stated costs.

    Examples
    --------
    The hand-worked case above:

    >>> import pandas as pd
    >>> marketing = pd.DataFrame({"month": ["2025-01-01", "2025-01-01", "2025-02-01", "2025-02-01"],
    ...                           "channel": ["search", "referral", "search", "referral"],
    ...                           "spend": [1000.0, 100.0, 1200.0, 0.0], "new_customers": [20, 5, 30, 0]})
    >>> acquisition_cost(marketing, overhead=0.10, by="channel")
              media_spend  overhead  rewards    cost  new_customers   cac
    channel
    referral        100.0      10.0      0.0   110.0              5  22.0
    search         2200.0     220.0      0.0  2420.0             50  48.4
    >>> acquisition_cost(marketing, overhead=0.10)["cac"].round(2).tolist()
    [22.0, nan, 55.0, 44.0]

    A channel whose customers appear to cost nothing must say so:

    >>> free = marketing.assign(spend=[1000.0, 0.0, 1200.0, 0.0])
    >>> acquisition_cost(free, by="channel")
    Traceback (most recent call last):
    ...
    ValueError: channel 'referral' brought 5 new customers but has no spend in marketing and no reward stated; ...
    >>> acquisition_cost(free, by="channel", rewards={"referral": 20.0})["cac"].tolist()
    [20.0, 44.0]
    """
    keys = _group_keys(by, ("channel", "month"))
    _check_number(overhead, "overhead", "a share of media spend of at least 0 (0.25 for 25%)")
    _check_number(overhead_amount, "overhead_amount", "an amount of at least 0 US dollars")
    wanted = ["month", "channel", "spend"] + ([] if customers is not None else ["new_customers"])
    require_columns(marketing, wanted, table="marketing")
    data = marketing if all(column in marketing.columns for column in wanted) else marketing.reset_index()
    data = data[wanted].copy()
    if len(data) == 0:
        raise ValueError("marketing is empty (0 rows); expected one row per month and channel")
    data["month"] = _months(data["month"], "marketing column 'month'")
    _raise_if(data["channel"].isna(), data["channel"],
              "marketing column 'channel' has {count} missing {values} (first at {where}); expected a channel on every row")
    data["spend"] = _amounts(data["spend"], "marketing column 'spend'", "amounts of at least 0 US dollars")
    duplicated = data.duplicated(["month", "channel"])
    if duplicated.any():
        first = data[duplicated].iloc[0]
        raise ValueError(f"marketing has more than one row for {first['month']:%Y-%m} and channel {first['channel']!r}; "
                         "expected one row per month and channel")
    if customers is None:
        counts = _amounts(data["new_customers"], "marketing column 'new_customers'", "whole numbers of at least 0")
        _raise_if(counts % 1 != 0, data["new_customers"], "marketing column 'new_customers' has {count} "
                  "{values} that are not whole numbers (first: {value!r} at {where}); expected counts of customers")
        data["new_customers"] = counts.astype("int64")
    else:
        data["new_customers"] = _new_customers(customers, data)
    rewards = dict(rewards or {})
    for channel, reward in rewards.items():
        _check_number(reward, f"rewards[{channel!r}]", "an amount of at least 0 US dollars per new customer")
        if channel not in set(data["channel"]):
            raise ValueError(f"rewards names channel {channel!r}, which marketing does not have "
                             f"(it has: {', '.join(map(str, sorted(set(data['channel']))))})")
    totals = data.groupby("channel")[["spend", "new_customers"]].sum()
    free = totals[(totals["new_customers"] > 0) & (totals["spend"] == 0) & ~totals.index.isin(list(rewards))]
    if len(free):
        name = free.index[0]
        raise ValueError(f"channel {name!r} brought {int(free.loc[name, 'new_customers']):,} new customers but has no spend "
                         f"in marketing and no reward stated; state what one of its customers costs with "
                         f"rewards={{{name!r}: ...}} (0.0 if they truly cost nothing)")
    total_new = int(data["new_customers"].sum())
    if overhead_amount > 0 and total_new == 0:
        raise ValueError("overhead_amount is spread over the new customers, but marketing has none")
    shared = float(overhead_amount) / total_new if total_new else 0.0
    data["media_spend"] = data["spend"]
    data["overhead"] = float(overhead) * data["spend"] + shared * data["new_customers"]
    data["rewards"] = data["channel"].map(rewards).astype(float).fillna(0.0) * data["new_customers"]
    data["cost"] = data["media_spend"] + data["overhead"] + data["rewards"]
    columns = ["media_spend", "overhead", "rewards", "cost", "new_customers"]
    grouper = keys or pd.Series("all", index=data.index, name="group")
    table = data.groupby(grouper, sort=True)[columns].sum()
    table["new_customers"] = table["new_customers"].astype("int64")
    table["cac"] = table["cost"] / table["new_customers"].where(table["new_customers"] > 0)
    table.attrs = {"definition": "CAC = (media spend + overhead + rewards) / new customers, US dollars",
                   "overhead": float(overhead), "overhead_amount": float(overhead_amount),
                   "rewards": {str(k): float(v) for k, v in rewards.items()}}
    return table


def clv_at_acquisition(
    transactions: pd.DataFrame,
    purchases: clv.BetaGeo,
    spend: clv.GammaGamma,
    end: str | pd.Timestamp,
    horizon: float = 156.0,
    margin: float = 0.30,
    annual_discount_rate: float = 0.10,
) -> pd.Series:
    r"""Each customer's value over ``horizon`` from the day they were acquired, in money of that day, US dollars.

    What a customer was worth when marketing won them, the number to set beside what
    winning them cost (:func:`clv_to_cac`). A customer's first purchase is their day of
    acquisition (time 0, as in BG/NBD); their value over the ``horizon`` that follows is

    - **realised**, for the part of the horizon the data cover (up to ``end``): the gross
      margin of each purchase, its first included, discounted to the day of acquisition by
      its age :math:`\tau` (in the model's unit of time), :math:`(1 + d)^{-\tau}`;
    - **forecast**, for the rest, by Module 1's models given the customer's history on
      ``end``: the expected purchases of each step (a week, for a weekly model) times the
      expected spend (:meth:`~customering_utils.clv.GammaGamma.expected_spend`) and the
      margin, discounted by the age at the step's end, as
      :func:`customering_utils.clv.customer_lifetime_value` does. A last, partial step
      takes its share of that step's expected purchases.

    :math:`d` is the per-step rate equivalent to ``annual_discount_rate``. A customer
    acquired ``horizon`` or more before ``end`` has a value wholly realised; one acquired on
    ``end`` wholly forecast.

    Hand-worked: a customer acquired on 1 January 2025 who spent $100 that day and $50 two
    weeks later, seen on 31 March 2025 with a 4-week horizon, is worth
    0.3 * 100 + 0.3 * 50 / 1.1 ** (14 / 365.25) = 30 + 14.945 = $44.945: all of it realised.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with ``customer_id``, ``date`` and ``amount`` (US dollars).
    purchases : customering_utils.clv.BetaGeo
        A fitted purchase model, fitted on the data up to ``end``; its unit of time is the
        horizon's.
    spend : customering_utils.clv.GammaGamma
        A fitted spend model.
    end : str or Timestamp
        The last day of the data used ("today"), such as ``"2025-12-31"``.
    horizon : float, default 156.0
        How long from acquisition, in the model's unit of time (156 weeks: three years).
    margin : float, default 0.30
        Gross margin as a share of revenue, above 0 and at most 1.
    annual_discount_rate : float, default 0.10
        Yearly rate at which later margin is discounted, at least 0.

    Returns
    -------
    Series
        The value of each customer who bought by ``end``, US dollars, indexed by
        ``customer_id`` and named ``clv_at_acquisition``. ``attrs`` holds the horizon, its
        unit, the margin and the discount rate.

    Examples
    --------
    The hand-worked customer, and one acquired a week before ``end``, whose three remaining
    weeks the models forecast:

    >>> import pandas as pd
    >>> from customering_utils import clv
    >>> bg = clv.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> gg = clv.GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [100.0, 50.0, 40.0],
    ...                    "date": pd.to_datetime(["2025-01-01", "2025-01-15", "2025-03-24"])})
    >>> clv_at_acquisition(tx, bg, gg, end="2025-03-31", horizon=4).round(3).tolist()
    [44.945, 13.312]
    """
    from . import clv

    purchases._fitted()
    unit = purchases.time_unit_
    end = periods.as_day(end)
    _check_margin_and_rate(margin, annual_discount_rate)
    if isinstance(horizon, bool) or not (np.isfinite(_number(horizon)) and _number(horizon) > 0):
        raise ValueError(f"horizon should be a positive length of time in {periods.unit_name(unit)}, got {horizon!r}")
    summary = clv.summarize(transactions, end=end, time_unit=unit)
    step_rate = periods.per_period_rate(annual_discount_rate, unit)

    data = check_transactions(transactions)
    data["day"] = data["date"].dt.normalize()
    data = data[data["day"] <= end]
    age = periods.duration(data["day"] - data.groupby("customer_id")["day"].transform("min"), unit)
    inside = age < horizon
    realised = (margin * data["amount"].to_numpy() * (1 + step_rate) ** -age)[inside]
    realised = pd.Series(realised, index=data["customer_id"].to_numpy()[inside]).groupby(level=0).sum()
    value = realised.reindex(summary.index, fill_value=0.0).to_numpy(dtype=float, copy=True)

    remaining = horizon - summary["T"].to_numpy()
    todo = remaining > 0
    if todo.any():
        rest = summary[todo]
        left = remaining[todo]
        steps = int(math.ceil(float(left.max())))
        cumulative = np.column_stack([np.zeros(len(rest))] + [
            purchases.conditional_expected_purchases(k, rest).to_numpy() for k in range(1, steps + 1)])
        per_step = np.diff(cumulative, axis=1)  # expected purchases in step k = 1..steps
        k = np.arange(1, steps + 1)[None, :]
        share = np.clip(left[:, None] - (k - 1), 0.0, 1.0)  # 1 for whole steps, a fraction for the last
        age_at = rest["T"].to_numpy()[:, None] + np.minimum(k, left[:, None])
        expected = (per_step * share * (1 + step_rate) ** -age_at).sum(axis=1)
        value[todo] += margin * spend.expected_spend(rest).to_numpy() * expected
    result = pd.Series(value, index=summary.index, name="clv_at_acquisition")
    result.attrs = {"horizon": float(horizon), "time_unit": unit, "margin": float(margin),
                    "annual_discount_rate": float(annual_discount_rate), "end": end}
    return result


def clv_by_channel(
    values: pd.Series,
    customers: pd.DataFrame,
    by: str = "channel",
    confidence: float = 0.95,
    n_resamples: int = 2_000,
    seed: int = 0,
) -> pd.DataFrame:
    """The mean CLV of each acquisition channel's customers, with a bootstrap interval of the mean.

    Each customer's value (any per-customer CLV: :func:`clv_at_acquisition`, or
    :func:`customering_utils.clv.customer_lifetime_value`) is matched to their channel; for
    each channel the mean is reported with a percentile bootstrap interval over its
    customers (:func:`customering_utils.intervals.bootstrap`). Customers are taken in order
    of their ids before resampling, so the order of the rows changes nothing. A channel
    with a single customer has no interval (NaN).

    Parameters
    ----------
    values : Series
        One value per customer, US dollars, indexed by ``customer_id``; finite numbers.
    customers : DataFrame
        One row per customer, indexed by ``customer_id`` (or with a ``customer_id`` column),
        with the column named by ``by``. Every customer of ``values`` must be in it;
        customers without a value are left out.
    by : str, default "channel"
        The column whose values form the groups.
    confidence : float, default 0.95
        The level of the intervals.
    n_resamples : int, default 2000
        Bootstrap resamples per group.
    seed : int, default 0
        Seed of the resampling.

    Returns
    -------
    DataFrame
        One row per group, with ``customers`` (a count), ``clv`` (the mean, US dollars),
        ``clv_lower`` and ``clv_upper`` (its interval) and ``clv_total`` (the sum).

    Examples
    --------
    >>> import pandas as pd
    >>> ids = pd.Index([1, 2, 3, 4], name="customer_id")
    >>> values = pd.Series([10.0, 20.0, 30.0, 40.0], index=ids)
    >>> customers = pd.DataFrame({"channel": ["search", "search", "social", "social"]}, index=ids)
    >>> clv_by_channel(values, customers)
             customers   clv  clv_lower  clv_upper  clv_total
    channel
    search           2  15.0       10.0       20.0       30.0
    social           2  35.0       30.0       40.0       70.0
    """
    series = _customer_values(values, "values")
    groups = _customer_column(customers, by, series.index, "customers")
    level = intervals._confidence(confidence)
    rows = {}
    for name, members in series.groupby(groups.to_numpy(), sort=True):
        sample = members.sort_index().to_numpy()
        if len(sample) >= 2:
            interval = intervals.bootstrap(sample, np.mean, confidence=level, n_resamples=n_resamples, seed=seed)
            lower, upper = interval.lower, interval.upper
        else:
            lower = upper = float("nan")
        rows[name] = {"customers": len(sample), "clv": float(sample.mean()), "clv_lower": lower,
                      "clv_upper": upper, "clv_total": float(sample.sum())}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = by
    table["customers"] = table["customers"].astype("int64")
    table.attrs = {"confidence": level}
    return table


def clv_to_cac(clv_table: pd.DataFrame, cac: pd.Series | pd.DataFrame | float) -> pd.DataFrame:
    """CLV:CAC by channel: what a customer is worth over what they cost to win, with the CLV's interval carried through.

    For each row of ``clv_table``, ``clv_to_cac = clv / cac``, and its interval is the CLV's
    interval divided by the same CAC. The CAC is an accounting figure (what was spent, over
    the customers it brought), taken as known: the interval is the uncertainty of the value
    alone. A ratio above 1 means a customer brings back more than they cost; how far above
    is a matter of the business's other costs and its appetite for risk.

    Parameters
    ----------
    clv_table : DataFrame
        One row per channel with ``clv``, ``clv_lower`` and ``clv_upper`` (US dollars), as
        :func:`clv_by_channel` returns it.
    cac : Series, DataFrame or float
        The CAC of each channel, US dollars, positive: a Series indexed like ``clv_table``,
        a table with a ``cac`` column (as :func:`acquisition_cost` with ``by="channel"``
        returns it), or one number for every channel.

    Returns
    -------
    DataFrame
        Indexed like ``clv_table``, with ``clv``, ``clv_lower``, ``clv_upper``, ``cac`` (US
        dollars), and ``clv_to_cac`` with ``clv_to_cac_lower`` and ``clv_to_cac_upper``.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"clv": [15.0, 35.0], "clv_lower": [10.0, 30.0], "clv_upper": [20.0, 40.0]},
    ...                      index=pd.Index(["search", "social"], name="channel"))
    >>> clv_to_cac(table, pd.Series({"search": 10.0, "social": 20.0}))[["cac", "clv_to_cac", "clv_to_cac_lower", "clv_to_cac_upper"]]
              cac  clv_to_cac  clv_to_cac_lower  clv_to_cac_upper
    channel
    search   10.0        1.50               1.0               2.0
    social   20.0        1.75               1.5               2.0
    """
    require_columns(clv_table, ["clv", "clv_lower", "clv_upper"], table="clv_table")
    costs = _per_group(cac, clv_table.index, "cac")
    bad = ~(np.isfinite(costs) & (costs > 0))
    if bad.any():
        name = costs.index[np.flatnonzero(bad.to_numpy())[0]]
        raise ValueError(f"cac of {_plain(name)!r} is {_plain(costs[name])!r}; expected a positive cost in US dollars (CLV:CAC is "
                         "undefined without one: a channel with no new customers has no CAC)")
    table = clv_table[["clv", "clv_lower", "clv_upper"]].astype(float).copy()
    table["cac"] = costs
    for column, source in (("clv_to_cac", "clv"), ("clv_to_cac_lower", "clv_lower"), ("clv_to_cac_upper", "clv_upper")):
        table[column] = table[source] / table["cac"]
    table.attrs = dict(clv_table.attrs)
    return table


def cohort_margin_curves(
    transactions: pd.DataFrame,
    customers: pd.DataFrame,
    margin: float,
    freq: str = "MS",
    by: str | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Gross margin per acquired customer in each period after acquisition, cohort by cohort.

    A **cohort** is the customers acquired in one calendar period (a month, for
    ``freq="MS"``). For each cohort and each period since acquisition (0 for the period of
    acquisition itself, 1 for the next, ...), the table gives the cohort's gross margin
    (``margin`` times revenue) in that period, over the cohort's size: every acquired
    customer counts, whether or not they bought. Only whole periods appear: a period
    still under way on ``end`` is left out, and so is a cohort acquired in it.

    Two lines turn the table into what the lessons use: ``table["margin_per_customer"]
    .unstack("age")`` is the cohort triangle, and ``table.groupby("age")[["margin",
    "customers"]].sum()`` gives, as margin over customers, the curve of an average acquired
    customer (each cohort weighted by its size, over the cohorts that have reached that
    age), which :func:`payback_period` reads.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with ``customer_id``, ``date`` and ``amount`` (US dollars).
        Purchases of customers not in ``customers`` are left out, so filter ``customers``
        to study a group.
    customers : DataFrame
        One row per customer, indexed by ``customer_id`` (or with a ``customer_id``
        column), with ``acquisition_date`` (no purchase may precede it) and the column
        named by ``by``.
    margin : float
        Gross margin as a share of revenue, above 0 and at most 1.
    freq : str, default "MS"
        The periods: ``"MS"`` (months), ``"QS"`` (quarters) or ``"YS"`` (years).
    by : str, optional
        A column of ``customers`` to split the cohorts by, such as ``"channel"``.
    end : str or Timestamp, optional
        The last day of the data; by default the last purchase day.

    Returns
    -------
    DataFrame
        One row per cohort (and group) and age, indexed by ``by`` (if given), ``cohort``
        (the first day of the acquisition period) and ``age`` (whole periods since it), with
        ``customers`` (the cohort's size), ``margin`` (its gross margin in that period, US
        dollars) and ``margin_per_customer`` (US dollars). ``attrs`` holds ``freq``,
        ``margin`` and ``end``.

    Examples
    --------
    Two customers acquired in January and one in February, seen to 31 March, at a 50%
    margin. January's cohort of two made 0.5 * (100 + 40) = $70 of margin in its first
    month, $35 per customer; 0.5 * 50 = $25 in its second, $12.50 per customer; nothing in
    its third:

    >>> import pandas as pd
    >>> customers = pd.DataFrame({"acquisition_date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-03"])},
    ...                          index=pd.Index([1, 2, 3], name="customer_id"))
    >>> tx = pd.DataFrame({"customer_id": [1, 2, 1, 3, 3], "amount": [100.0, 40.0, 50.0, 80.0, 20.0],
    ...     "date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-10", "2025-02-03", "2025-03-15"])})
    >>> curves = cohort_margin_curves(tx, customers, margin=0.5, end="2025-03-31")
    >>> curves
                    customers  margin  margin_per_customer
    cohort     age
    2025-01-01 0            2    70.0                 35.0
               1            2    25.0                 12.5
               2            2     0.0                  0.0
    2025-02-01 0            1    40.0                 40.0
               1            1    10.0                 10.0
    >>> pooled = curves.groupby("age")[["margin", "customers"]].sum()
    >>> (pooled["margin"] / pooled["customers"]).round(2).tolist()  # an average acquired customer
    [36.67, 11.67, 0.0]
    """
    data, last, keys = _cohort_purchases(transactions, customers, margin, freq, by, end)
    members = data["members"]
    period = data["purchases"]
    cells = period.groupby([*keys, "cohort", "age"])["margin"].sum()
    sizes = members.groupby([*keys, "cohort"]).size().rename("customers")
    frame = sizes.reset_index()
    frame["age"] = [np.arange(last - cohort + 1) for cohort in frame["cohort"]]
    frame = frame.explode("age").astype({"age": "int64", "customers": "int64"})
    table = frame.set_index([*keys, "cohort", "age"])
    table["margin"] = cells.reindex(table.index, fill_value=0.0).to_numpy(dtype=float)
    table["margin_per_customer"] = table["margin"] / table["customers"]
    table.index = _replace_level(table.index, "cohort", _period_start(table.index.get_level_values("cohort"), freq))
    table.attrs = {"freq": freq, "margin": float(margin), "end": data["end"]}
    return table


def payback_period(margin_curve: ArrayLike, cac: float, discount_rate: float, periods_per_year: int = 12) -> float:
    r"""Periods (months, by default) until an acquired customer's discounted margin earns back what they cost.

    ``margin_curve[k]`` is the margin an average acquired customer brings in period ``k``
    after acquisition (``k = 0`` is the period of acquisition), as
    :func:`cohort_margin_curves` gives it. Each period's margin is discounted to the day of
    acquisition at the yearly ``discount_rate``, :math:`m_k (1 + d)^{-k / n}` with
    :math:`n` periods a year, and added up; the payback period is when the running total
    first reaches ``cac``, with the margin taken to arrive evenly within a period:

    .. math:: \text{payback} = k + \frac{\mathrm{CAC} - C_{k-1}}{C_k - C_{k-1}},
              \qquad C_k = \sum_{j \le k} \frac{m_j}{(1 + d)^{j/n}}, \quad C_{-1} = 0,

    for the first :math:`k` with :math:`C_k \ge \mathrm{CAC}`. When the curve never gets
    there, the customer does not pay back **within the periods the curve covers**: the
    result is ``inf``, which says nothing of what later periods might bring.

    Hand-worked: margins of $10, $8, $6, $5 in the first four months, a CAC of $20, no
    discounting: $10, then $18, then $24 in all; $2 of the third month's $6 completes the
    $20, so the payback is 2 + 2 / 6 = 2.33 months.

    Parameters
    ----------
    margin_curve : array_like
        Margin per acquired customer in periods 0, 1, 2, ..., US dollars: finite numbers
        (a list, an array or a Series).
    cac : float
        The acquisition cost of one customer, US dollars, at least 0.
    discount_rate : float
        Yearly discount rate, at least 0 (0.10 for 10%).
    periods_per_year : int, default 12
        How many periods of the curve make a year: 12 for months, 4 for quarters.

    Returns
    -------
    float
        The payback period in periods of the curve (fractional), ``0.0`` for a CAC of 0,
        and ``inf`` when the curve never reaches the CAC.

    Examples
    --------
    >>> round(payback_period([10, 8, 6, 5], cac=20, discount_rate=0.0), 2)
    2.33
    >>> round(payback_period([10, 8, 6, 5], cac=20, discount_rate=0.10), 2)  # discounting delays it a little
    2.35
    >>> payback_period([10, 8, 6, 5], cac=100, discount_rate=0.10)  # not within the four months
    inf
    """
    curve = _curve(margin_curve)
    _check_number(cac, "cac", "a cost of at least 0 US dollars")
    _check_number(discount_rate, "discount_rate", "a yearly rate of at least 0 (0.10 for 10%)")
    if isinstance(periods_per_year, bool) or not isinstance(periods_per_year, (int, np.integer)) or periods_per_year < 1:
        raise ValueError(f"periods_per_year should be a whole number of at least 1 (12 for months), got {periods_per_year!r}")
    discount = (1 + float(discount_rate)) ** (-np.arange(len(curve)) / int(periods_per_year))
    return float(_payback_rows(curve[None, :], float(cac), discount)[0])


def cohort_payback(
    transactions: pd.DataFrame,
    customers: pd.DataFrame,
    cac: pd.Series | pd.DataFrame | float,
    margin: float,
    discount_rate: float,
    by: str = "channel",
    freq: str = "MS",
    end: str | pd.Timestamp | None = None,
    confidence: float = 0.95,
    n_resamples: int = 2_000,
    seed: int = 0,
) -> pd.DataFrame:
    """The payback period of each channel's customers, from their cohorts' margin, with a bootstrap interval.

    For each group (channel) the curve of an average acquired customer is built as in
    :func:`cohort_margin_curves`: in each period since acquisition, the margin of the
    customers whose cohort has reached that period, over their number. Its
    :func:`payback_period` against the group's ``cac`` is the estimate. The interval comes
    from resampling the group's customers with replacement (``n_resamples`` times),
    rebuilding the curve and its payback each time, and taking percentiles; customers are
    taken in order of their ids, so the order of the rows changes nothing. A resample
    that never pays back within the data counts as infinitely long, so an upper end of
    ``inf`` means "perhaps not within the data".

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with ``customer_id``, ``date`` and ``amount`` (US dollars).
    customers : DataFrame
        One row per customer, indexed by ``customer_id``, with ``acquisition_date`` and the
        column named by ``by``, as the data world's ``customers``.
    cac : Series, DataFrame or float
        Each group's acquisition cost per customer, US dollars: a Series indexed by group, a
        table with a ``cac`` column (:func:`acquisition_cost` with ``by="channel"``), or one
        number for all.
    margin : float
        Gross margin as a share of revenue, above 0 and at most 1.
    discount_rate : float
        Yearly discount rate, at least 0.
    by : str, default "channel"
        The column of ``customers`` that forms the groups.
    freq : str, default "MS"
        The periods: ``"MS"`` (months), ``"QS"`` (quarters) or ``"YS"`` (years).
    end : str or Timestamp, optional
        The last day of the data; by default the last purchase day.
    confidence : float, default 0.95
        The level of the intervals.
    n_resamples : int, default 2000
        Bootstrap resamples per group.
    seed : int, default 0
        Seed of the resampling.

    Returns
    -------
    DataFrame
        One row per group with ``customers`` (a count), ``cac`` (US dollars), ``payback``
        (periods of ``freq``, ``inf`` if not within the data), ``payback_lower`` and
        ``payback_upper``, ``paid_back`` (True when the estimate is finite),
        ``periods_observed`` (how many periods the curve covers), ``margin_observed`` (the
        curve's discounted margin over all of them, US dollars) and ``statement`` (the
        result in a sentence).

    Examples
    --------
    Four customers of one channel, each bringing $10 of margin a month for the three
    months observed, against a CAC of $25: paid back in 2.5 months, and the same in every
    resample:

    >>> import pandas as pd
    >>> customers = pd.DataFrame({"acquisition_date": pd.to_datetime(["2025-01-01"] * 4), "channel": "search"},
    ...                          index=pd.Index([1, 2, 3, 4], name="customer_id"))
    >>> tx = pd.DataFrame({"customer_id": [1, 2, 3, 4] * 3, "amount": 20.0,
    ...                    "date": pd.to_datetime(["2025-01-01"] * 4 + ["2025-02-01"] * 4 + ["2025-03-01"] * 4)})
    >>> table = cohort_payback(tx, customers, cac=25.0, margin=0.5, discount_rate=0.0, end="2025-03-31")
    >>> table[["payback", "payback_lower", "payback_upper", "periods_observed"]]
             payback  payback_lower  payback_upper  periods_observed
    channel
    search       2.5            2.5            2.5                 3
    >>> print(table.loc["search", "statement"])
    pays back in 2.5 months (95% interval 2.5 to 2.5)
    >>> print(cohort_payback(tx, customers, cac=50.0, margin=0.5, discount_rate=0.0, end="2025-03-31")
    ...       .loc["search", "statement"])
    does not pay back within the 3 months of data: $30.00 of discounted margin per customer against a CAC of $50.00
    """
    level = intervals._confidence(confidence)
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) or n_resamples < 1:
        raise ValueError(f"n_resamples should be a whole number of at least 1, got {n_resamples!r}")
    _check_number(discount_rate, "discount_rate", "a yearly rate of at least 0 (0.10 for 10%)")
    data, last, _ = _cohort_purchases(transactions, customers, margin, freq, by, end)
    members = data["members"]
    groups = sorted(members[by].unique())
    costs = _per_group(cac, pd.Index(groups, name=by), "cac")
    bad = ~(np.isfinite(costs) & (costs >= 0))
    if bad.any():
        name = costs.index[np.flatnonzero(bad.to_numpy())[0]]
        raise ValueError(f"cac of {_plain(name)!r} is {_plain(costs[name])!r}; expected a cost of at least 0 US dollars")
    per_year = PERIODS_PER_YEAR[freq]
    unit = _PERIOD_NAMES[freq]
    rng = np.random.default_rng(seed)
    lower_q, upper_q = (1 - level) / 2, (1 + level) / 2
    rows = {}
    for name in groups:
        who = members[members[by] == name].sort_index()
        cohort = who["cohort"].to_numpy()
        ages = last - int(cohort.min()) + 1
        position = pd.Series(np.arange(len(who)), index=who.index)
        bought = data["purchases"][data["purchases"]["customer_id"].isin(who.index)]
        matrix = np.zeros((len(who), ages))
        np.add.at(matrix, (position[bought["customer_id"]].to_numpy(), bought["age"].to_numpy()), bought["margin"].to_numpy())
        observed = (np.arange(ages)[None, :] <= (last - cohort)[:, None]).astype(float)
        discount = (1 + float(discount_rate)) ** (-np.arange(ages) / per_year)
        curve = (matrix * observed).sum(axis=0) / observed.sum(axis=0)
        estimate = float(_payback_rows(curve[None, :], float(costs[name]), discount)[0])
        resampled = []
        for start in range(0, int(n_resamples), 250):
            size = min(250, int(n_resamples) - start)
            draws = rng.integers(0, len(who), size=(size, len(who)))
            weights = np.bincount((np.arange(size)[:, None] * len(who) + draws).ravel(),
                                  minlength=size * len(who)).reshape(size, len(who)).astype(float)
            with np.errstate(invalid="ignore", divide="ignore"):
                curves = (weights @ (matrix * observed)) / (weights @ observed)
            resampled.append(_payback_rows(curves, float(costs[name]), discount))
        resampled = np.concatenate(resampled)
        low, high = (float(np.quantile(resampled, q, method="inverted_cdf")) for q in (lower_q, upper_q))
        observed_margin = float((curve * discount).sum())
        if np.isfinite(estimate):
            statement = (f"pays back in {estimate:.1f} {unit} ({level:.0%} interval {low:.1f} to "
                         f"{high:.1f}{'' if np.isfinite(high) else ': perhaps not within the data'})")
        else:
            statement = (f"does not pay back within the {ages} {unit} of data: ${observed_margin:,.2f} of discounted "
                         f"margin per customer against a CAC of ${float(costs[name]):,.2f}")
        rows[name] = {"customers": len(who), "cac": float(costs[name]), "payback": estimate, "payback_lower": low,
                      "payback_upper": high, "paid_back": bool(np.isfinite(estimate)), "periods_observed": ages,
                      "margin_observed": observed_margin, "statement": statement}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = by
    table = table.astype({"customers": "int64", "periods_observed": "int64", "paid_back": bool})
    table.attrs = {"freq": freq, "unit": unit, "confidence": level, "discount_rate": float(discount_rate),
                   "margin": float(margin), "end": data["end"]}
    return table


# ---- customer equity: acquisition against retention ---------------------------------------------------

def customer_equity(
    margin: ArrayLike,
    acquisition_rate: ArrayLike,
    acquisition_cost: ArrayLike,
    retention_rate: ArrayLike,
    retention_cost: ArrayLike,
    discount_rate: ArrayLike,
) -> float | NDArray[np.float64]:
    r"""Customer equity per prospect (Blattberg and Deighton 1996): a prospect's discounted margin, net of what they cost.

    A company spends :math:`A` on each prospect it approaches and wins a share :math:`a`
    of them (the acquisition rate), who each bring a margin :math:`m` in their first year.
    Each later year it spends :math:`R` on each customer it still has, and keeps a share
    :math:`r` of them (the retention rate); each customer kept brings :math:`m` again.
    Money is discounted at :math:`d` a year. Blattberg and Deighton's customer equity of
    one prospect is

    .. math:: \mathrm{CE} = a\,m - A + a \left(m - \frac{R}{r}\right) \frac{r'}{1 - r'},
              \qquad r' = \frac{r}{1 + d},

    which is the sum of the discounted series, year :math:`t = 0` undiscounted:

    .. math:: \mathrm{CE} = (a\,m - A) + \sum_{t=1}^{\infty}
              \frac{a\,r^t\,m - a\,r^{t-1} R}{(1 + d)^t}
              = a\,m - A + a\,\frac{m\,r - R}{1 + d - r}.

    In year :math:`t` the :math:`a\,r^{t-1}` customers left after year :math:`t - 1` each
    cost :math:`R` to keep, and the :math:`a\,r^t` who stay each bring :math:`m`. The last
    form is the one computed (it is the same number, and stays defined at :math:`r = 0`).

    Hand-worked (a textbook exercise on the model): a margin of $200 a year, a 10% discount
    rate, $20 spent per prospect for a 20% acquisition rate and $30 a year per customer for
    60% retention. Then r' = 0.6 / 1.1 and r' / (1 - r') = 1.2, so
    CE = 0.2 * 200 - 20 + 0.2 * (200 - 30 / 0.6) * 1.2 = 20 + 36 = $56. Spending $30 per
    prospect for 30% and $20 per customer for 50% retention gives
    0.3 * 200 - 30 + 0.3 * (200 - 40) * (0.5 / 0.6) = 30 + 40 = $70.

    Parameters
    ----------
    margin : float or array_like
        Margin per customer per year, US dollars, finite.
    acquisition_rate : float or array_like
        The share of prospects won, from 0 to 1.
    acquisition_cost : float or array_like
        Acquisition spending per prospect, US dollars, at least 0.
    retention_rate : float or array_like
        The share of customers kept from one year to the next, from 0 up to but excluding 1.
    retention_cost : float or array_like
        Retention spending per customer per year, US dollars, at least 0.
    discount_rate : float or array_like
        Yearly discount rate, at least 0 (0.10 for 10%).

    Returns
    -------
    float or ndarray
        Customer equity per prospect, US dollars: a ``float`` for scalar inputs, an array
        of the broadcast shape for arrays.

    Examples
    --------
    The hand-worked cases, then a grid of retention rates:

    >>> round(customer_equity(200, 0.2, 20, 0.6, 30, 0.10), 6)
    56.0
    >>> round(customer_equity(200, 0.3, 30, 0.5, 20, 0.10), 6)
    70.0
    >>> customer_equity(200, 0.2, 20, [0.0, 0.5, 0.8], 30, 0.10).round(2).tolist()
    [14.55, 43.33, 106.67]
    """
    m = _finite_array(margin, "margin", "a finite margin per customer per year (US dollars)")
    a = _rate_array(acquisition_rate, "acquisition_rate", upper_included=True)
    cost_a = _cost_array(acquisition_cost, "acquisition_cost", "per prospect")
    r = _rate_array(retention_rate, "retention_rate", upper_included=False)
    cost_r = _cost_array(retention_cost, "retention_cost", "per customer per year")
    d = _cost_array(discount_rate, "discount_rate", "a year")
    m, a, cost_a, r, cost_r, d = np.broadcast_arrays(m, a, cost_a, r, cost_r, d)
    value = a * m - cost_a + a * (m * r - cost_r) / (1 + d - r)
    return float(value) if value.ndim == 0 else value.astype(float)


def response_curve(ceiling: float, spend: float, rate: float) -> Callable[[ArrayLike], float | NDArray[np.float64]]:
    r"""The rate a budget buys, as Blattberg and Deighton elicit it from a manager: a ceiling and one known point.

    Spending more on acquisition (or retention) wins more prospects (keeps more customers),
    with diminishing returns, up to a ``ceiling`` no budget passes:

    .. math:: \text{rate}(x) = \text{ceiling}\,\left(1 - e^{-k x}\right),
              \qquad k = -\frac{1}{\text{spend}} \ln\!\left(1 - \frac{\text{rate}}{\text{ceiling}}\right),

    where ``k`` is set so that the curve passes through the known point: spending ``spend``
    gives ``rate``. Nothing is spent, nothing is won: rate(0) = 0.

    Hand-worked: a ceiling of 50% and 20% at $20 a prospect. At $40, twice the spend, the
    shortfall from the ceiling is squared: 1 - 0.2 / 0.5 = 0.6, 0.6 ** 2 = 0.36, and the rate
    is 0.5 * (1 - 0.36) = 32%.

    Parameters
    ----------
    ceiling : float
        The highest rate any budget reaches, above 0 and at most 1.
    spend : float
        A spending level whose rate is known, US dollars (per prospect, or per customer per
        year), positive.
    rate : float
        The rate at that spending, above 0 and below ``ceiling``.

    Returns
    -------
    callable
        A function of the spending (a number or an array, US dollars, at least 0) that
        returns the rate (0 to ``ceiling``); ``curve.k`` holds its steepness.

    Examples
    --------
    >>> acquisition = response_curve(ceiling=0.5, spend=20.0, rate=0.2)
    >>> round(acquisition(20.0), 6), round(acquisition(40.0), 6), acquisition(0.0)
    (0.2, 0.32, 0.0)
    """
    for name, value in (("ceiling", ceiling), ("spend", spend), ("rate", rate)):
        if isinstance(value, bool) or not np.isfinite(_number(value)):
            raise ValueError(f"{name} should be a finite number, got {value!r}")
    if not 0 < ceiling <= 1:
        raise ValueError(f"ceiling should be a rate above 0 and at most 1 (for example 0.5), got {ceiling!r}")
    if not spend > 0:
        raise ValueError(f"spend should be a positive amount of US dollars, got {spend!r}")
    if not 0 < rate < ceiling:
        raise ValueError(f"rate should be above 0 and below the ceiling ({ceiling!r}), got {rate!r}")
    k = -math.log(1 - rate / ceiling) / spend

    def curve(x: ArrayLike) -> float | NDArray[np.float64]:
        amount = np.asarray(x, dtype=float)
        if not np.all(np.isfinite(amount)) or np.any(amount < 0):
            raise ValueError(f"spending should be a finite amount of at least 0 US dollars, got {x!r}")
        value = ceiling * -np.expm1(-k * amount)
        return float(value) if value.ndim == 0 else value

    curve.k = k  # type: ignore[attr-defined]
    curve.__doc__ = f"Rate at a spending x: {ceiling:g} * (1 - exp(-{k:.6g} x))."
    return curve


def optimal_budget_split(
    budget: float,
    acquisition_response: Callable[[float], float],
    retention_response: Callable[[float], float],
    margin: float,
    discount_rate: float,
    grid_points: int = 201,
) -> pd.Series:
    r"""The split of a budget between acquisition and retention that maximises customer equity per prospect.

    A ``budget`` (US dollars) is divided into acquisition spending per prospect
    :math:`A = s \cdot \text{budget}` and retention spending per customer per year
    :math:`R = (1 - s) \cdot \text{budget}`, as in the classroom use of Blattberg and
    Deighton's model. Each buys a rate through its response curve
    (``acquisition_response(A)`` is the acquisition rate, ``retention_response(R)`` the
    retention rate; :func:`response_curve` makes such curves), and the split :math:`s` is
    chosen to maximise :func:`customer_equity`.

    The search is judged by the objective itself: customer equity is computed on a grid of
    ``grid_points`` shares from 0 to 1 (both ends included, so an all-or-nothing split is
    found when it is best), then ``scipy.optimize.minimize_scalar`` (bounded) refines the
    best grid point between its two neighbours, and whichever of the two points has the
    higher customer equity is returned.

    Parameters
    ----------
    budget : float
        The amount to divide, US dollars, positive.
    acquisition_response : callable
        Acquisition spending per prospect (US dollars) to the acquisition rate (0 to 1).
    retention_response : callable
        Retention spending per customer per year (US dollars) to the retention rate (0 up
        to but excluding 1).
    margin : float
        Margin per customer per year, US dollars.
    discount_rate : float
        Yearly discount rate, at least 0.
    grid_points : int, default 201
        How many shares the first, coarse search tries (at least 3).

    Returns
    -------
    Series
        ``acquisition_share`` (0 to 1), ``acquisition_spend`` and ``retention_spend`` (US
        dollars), ``acquisition_rate`` and ``retention_rate``, and ``customer_equity`` (US
        dollars per prospect) at the best split.

    Examples
    --------
    A $50 budget, a margin of $200 a year and a 10% discount rate; acquisition reaches 20% at
    $20 a prospect (ceiling 50%), retention 50% at $20 a customer (ceiling 80%):

    >>> best = optimal_budget_split(50.0, response_curve(0.5, 20.0, 0.2), response_curve(0.8, 20.0, 0.5),
    ...                             margin=200.0, discount_rate=0.10)
    >>> best.round(3)
    acquisition_share     0.506
    acquisition_spend    25.277
    retention_spend      24.723
    acquisition_rate      0.238
    retention_rate        0.562
    customer_equity      61.051
    dtype: float64
    """
    from scipy import optimize

    if isinstance(budget, bool) or not (np.isfinite(_number(budget)) and _number(budget) > 0):
        raise ValueError(f"budget should be a positive amount of US dollars, got {budget!r}")
    for name, response in (("acquisition_response", acquisition_response), ("retention_response", retention_response)):
        if not callable(response):
            raise TypeError(f"{name} should be a function of spending that returns a rate, got {type(response).__name__}")
    if isinstance(grid_points, bool) or not isinstance(grid_points, (int, np.integer)) or grid_points < 3:
        raise ValueError(f"grid_points should be a whole number of at least 3, got {grid_points!r}")
    budget = float(budget)

    def rates(share: float) -> tuple[float, float]:
        a = _number(acquisition_response(share * budget))
        r = _number(retention_response((1 - share) * budget))
        if not 0 <= a <= 1:
            raise ValueError(f"acquisition_response({share * budget:.6g}) gave {a!r}; expected a rate from 0 to 1")
        if not 0 <= r < 1:
            raise ValueError(f"retention_response({(1 - share) * budget:.6g}) gave {r!r}; expected a rate from 0 up to "
                             "but excluding 1")
        return a, r

    def equity(share: float) -> float:
        a, r = rates(share)
        return customer_equity(margin, a, share * budget, r, (1 - share) * budget, discount_rate)

    grid = np.linspace(0.0, 1.0, int(grid_points))
    values = np.array([equity(share) for share in grid])
    best = int(np.argmax(values))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    refined = optimize.minimize_scalar(lambda share: -equity(share), bounds=(low, high), method="bounded",
                                       options={"xatol": 1e-10})
    share = float(refined.x) if -float(refined.fun) > values[best] else float(grid[best])
    a, r = rates(share)
    return pd.Series({"acquisition_share": share, "acquisition_spend": share * budget,
                      "retention_spend": (1 - share) * budget, "acquisition_rate": a, "retention_rate": r,
                      "customer_equity": equity(share)})


# ---- helpers ----------------------------------------------------------------------------------------

def _check_number(value: object, name: str, expected: str) -> None:
    """A finite number of at least 0, or a ValueError naming ``name`` and what was expected."""
    if not (np.isfinite(_number(value)) and _number(value) >= 0):
        raise ValueError(f"{name} should be {expected}, got {value!r}")


def _check_margin(margin: object) -> None:
    if not 0 < _number(margin) <= 1:
        raise ValueError(f"margin should be a share of revenue above 0 and at most 1 (for example 0.30), got {margin!r}")


def _check_margin_and_rate(margin: object, annual_discount_rate: object) -> None:
    _check_margin(margin)
    _check_number(annual_discount_rate, "annual_discount_rate", "a yearly rate of at least 0 (0.10 for 10%)")


def _array(values: ArrayLike, name: str, expected: str) -> NDArray[np.float64]:
    if isinstance(values, bool):
        raise ValueError(f"{name} should be {expected}, got {values!r}")
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} should be {expected}, got {values!r}") from error


def _finite_array(values: ArrayLike, name: str, expected: str) -> NDArray[np.float64]:
    array = _array(values, name, expected)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} should be {expected}, got {values!r}")
    return array


def _cost_array(values: ArrayLike, name: str, per: str) -> NDArray[np.float64]:
    expected = "a yearly rate of at least 0 (0.10 for 10%)" if name == "discount_rate" \
        else f"an amount of at least 0 US dollars {per}"
    array = _finite_array(values, name, expected)
    if np.any(array < 0):
        raise ValueError(f"{name} should be {expected}, got {values!r}")
    return array


def _rate_array(values: ArrayLike, name: str, upper_included: bool) -> NDArray[np.float64]:
    expected = "a rate from 0 to 1" if upper_included else "a rate from 0 up to but excluding 1"
    array = _finite_array(values, name, expected)
    if np.any(array < 0) or np.any(array > 1) or (not upper_included and np.any(array == 1)):
        raise ValueError(f"{name} should be {expected}, got {values!r}")
    return array


def _group_keys(by: str | Sequence[str] | None, allowed: tuple[str, ...]) -> list[str]:
    """The grouping columns ``by`` names, each one of ``allowed``."""
    if by is None:
        return []
    keys = [by] if isinstance(by, str) else list(by)
    if any(key not in allowed for key in keys) or len(set(keys)) != len(keys):
        raise ValueError(f"by should name {' and/or '.join(map(repr, allowed))} (or be None for one row), got {by!r}")
    return keys


def _months(values: pd.Series, about: str) -> pd.Series:
    """Dates as the first day of their month, or an error naming the first that is not a date."""
    parsed = values if pd.api.types.is_datetime64_any_dtype(values) \
        else pd.to_datetime(values, errors="coerce", format="ISO8601")
    _raise_if(parsed.isna(), values,
              about + " has {count} missing or unreadable {values} (first: {value!r} at {where}); expected dates such as 2025-01-01")
    return parsed.dt.to_period("M").dt.to_timestamp()


def _amounts(values: pd.Series, about: str, expected: str) -> pd.Series:
    """Numbers of at least 0, or an error naming the first that is not."""
    if pd.api.types.is_bool_dtype(values):
        raise ValueError(f"{about} should hold numbers, but it holds True/False")
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    _raise_if(numbers.isna() | np.isinf(numbers) | (numbers < 0), values,
              about + " has {count} missing, unreadable, infinite or negative {values} (first: {value!r} at {where}); "
              "expected " + expected)
    return numbers


def _new_customers(customers: pd.DataFrame, data: pd.DataFrame) -> NDArray[np.int64]:
    """New customers of each row of ``data`` (month, channel), counted from the customers table."""
    require_columns(customers, ["acquisition_date", "channel"], table="customers")
    frame = customers if {"acquisition_date", "channel"} <= set(customers.columns) else customers.reset_index()
    month = _months(frame["acquisition_date"], "customers column 'acquisition_date'")
    _raise_if(frame["channel"].isna(), frame["channel"],
              "customers column 'channel' has {count} missing {values} (first at {where}); expected a channel on every row")
    counts = pd.DataFrame({"month": month.to_numpy(), "channel": frame["channel"].astype(str).to_numpy()}) \
        .groupby(["month", "channel"]).size()
    counts = counts[counts.index.get_level_values("month").isin(set(data["month"]))]
    known = pd.MultiIndex.from_arrays([data["month"].to_numpy(), data["channel"].astype(str).to_numpy()],
                                      names=["month", "channel"])
    unknown = counts.index.difference(known)
    if len(unknown):
        month_, channel = unknown[0]
        raise ValueError(f"customers has {int(counts[unknown[0]]):,} customers acquired in {month_:%Y-%m} through channel "
                         f"{channel!r}, which marketing has no row for; expected a row of marketing for every month "
                         "and channel that customers were acquired in")
    return counts.reindex(known, fill_value=0).to_numpy().astype("int64")


def _customer_values(values: pd.Series, name: str) -> pd.Series:
    """One finite number per customer, as a float Series indexed by customer_id."""
    if isinstance(values, pd.DataFrame):
        raise TypeError(f"{name} should be one value per customer (a Series indexed by customer_id), got a DataFrame; "
                        "pick one column")
    if not isinstance(values, pd.Series):
        raise TypeError(f"{name} should be a pandas Series indexed by customer_id, got {type(values).__name__}")
    if len(values) == 0:
        raise ValueError(f"{name} is empty; expected one value per customer")
    if values.index.has_duplicates:
        raise ValueError(f"{name} has customer {_plain(values.index[values.index.duplicated()][0])!r} more than once; "
                         "expected one value per customer")
    numbers = pd.to_numeric(values, errors="coerce").astype(float) if not pd.api.types.is_bool_dtype(values) \
        else pd.Series(np.nan, index=values.index)
    _raise_if(numbers.isna() | np.isinf(numbers), values,
              f"{name} has {{count}} missing, infinite or non-numeric {{values}} (first: {{value!r}} at {{where}}); "
              "expected a finite value (US dollars) for every customer")
    return numbers


def _customer_table(customers: pd.DataFrame, columns: Sequence[str], table: str) -> pd.DataFrame:
    """``customers`` indexed by customer_id, with ``columns`` present and no id twice."""
    require_columns(customers, list(columns), table=table)
    frame = customers.set_index("customer_id") if "customer_id" in customers.columns else customers
    if frame.index.has_duplicates:
        raise ValueError(f"{table} has customer {_plain(frame.index[frame.index.duplicated()][0])!r} more than once; "
                         "expected one row per customer")
    return frame


def _customer_column(customers: pd.DataFrame, column: str, ids: pd.Index, table: str) -> pd.Series:
    """``customers[column]`` for each of ``ids``, or an error naming the first id without one."""
    if not isinstance(column, str):
        raise TypeError(f"by should name one column of {table}, got {column!r}")
    labels = _customer_table(customers, [column], table)[column]
    missing = ids.difference(labels.index)
    if len(missing):
        raise ValueError(f"{len(missing):,} customers of values are not in {table} (first: {_plain(missing[0])!r}); "
                         f"expected a row of {table} for every customer with a value")
    aligned = labels.reindex(ids)
    _raise_if(aligned.isna(), aligned,
              f"{table} column {column!r} has {{count}} missing {{values}} (first at {{where}}); "
              "expected a group for every customer with a value")
    return aligned


def _per_group(values: pd.Series | pd.DataFrame | float, index: pd.Index, name: str) -> pd.Series:
    """One number per group of ``index``: from a Series, a table's ``cac`` column, or one number for all."""
    if isinstance(values, pd.DataFrame):
        require_columns(values, ["cac"], table=name)
        values = values["cac"]
    if isinstance(values, pd.Series):
        missing = [group for group in index if group not in values.index]
        if missing:
            raise ValueError(f"{name} has no value for {_plain(missing[0])!r}; expected one for every group "
                             f"({', '.join(map(str, index))})")
        return pd.to_numeric(values.reindex(index), errors="coerce").astype(float)
    if isinstance(values, bool) or not isinstance(values, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} should be a number, a Series by group or a table with a 'cac' column, "
                        f"got {type(values).__name__}")
    return pd.Series(float(values), index=index)


def _curve(margin_curve: ArrayLike) -> NDArray[np.float64]:
    """A margin curve as a finite 1-d float array."""
    if isinstance(margin_curve, pd.DataFrame):
        raise TypeError("margin_curve should be one margin per period (a list, array or Series), got a DataFrame; "
                        "pick one column")
    curve = _array(margin_curve, "margin_curve", "one margin per period, US dollars").ravel()
    if curve.size == 0:
        raise ValueError("margin_curve is empty; expected the margin of at least one period")
    if not np.all(np.isfinite(curve)):
        raise ValueError("margin_curve has missing or infinite values; expected the margin of every period, "
                         "up to the last one observed")
    return curve


def _payback_rows(curves: NDArray, cac: float, discount: NDArray) -> NDArray[np.float64]:
    """Payback period of each row of ``curves`` (periods), ``inf`` where it is not reached.

    A row's curve ends at its first missing value (a resample with nobody observed at that
    age): the periods after it are not observed.
    """
    valid = np.cumprod(np.isfinite(curves), axis=1).astype(bool)
    cumulative = np.cumsum(np.where(valid, curves, 0.0) * discount[None, :], axis=1)
    if cac <= 0:
        return np.zeros(len(curves))
    reached = (cumulative >= cac) & valid
    found = reached.any(axis=1)
    k = reached.argmax(axis=1)
    rows = np.arange(len(curves))
    at = cumulative[rows, k]
    before = np.where(k > 0, cumulative[rows, np.maximum(k - 1, 0)], 0.0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # rows not reached: discarded below
        result = k + (cac - before) / (at - before)
    return np.where(found, result, np.inf)


def _period_index(dates: pd.Series | pd.DatetimeIndex, freq: str) -> NDArray[np.int64]:
    """A whole number per calendar period (month, quarter or year) of each date: consecutive periods differ by 1."""
    index = pd.DatetimeIndex(dates)
    year, month = index.year.to_numpy().astype("int64"), index.month.to_numpy().astype("int64")
    return {"MS": year * 12 + month - 1, "QS": year * 4 + (month - 1) // 3, "YS": year}[freq]


def _period_start(index: ArrayLike, freq: str) -> pd.DatetimeIndex:
    """The first day of each period of :func:`_period_index`."""
    index = np.asarray(index, dtype="int64")
    year, month = {"MS": (index // 12, index % 12 + 1), "QS": (index // 4, 3 * (index % 4) + 1),
                   "YS": (index, np.ones_like(index))}[freq]
    return pd.DatetimeIndex(pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1})))


def _replace_level(index: pd.MultiIndex | pd.Index, name: str, values: pd.Index) -> pd.Index:
    frame = index.to_frame(index=False)
    frame[name] = np.asarray(values)
    return pd.MultiIndex.from_frame(frame)


def _cohort_purchases(transactions: pd.DataFrame, customers: pd.DataFrame, margin: float, freq: str,
                      by: str | None, end: str | pd.Timestamp | None) -> tuple[dict, int, list[str]]:
    """Each customer's cohort and each purchase's age and margin, in whole periods; the last whole period."""
    if freq not in PERIODS_PER_YEAR:
        raise ValueError(f"freq should be 'MS' (months), 'QS' (quarters) or 'YS' (years), got {freq!r}")
    _check_margin(margin)
    if by is not None and not isinstance(by, str):
        raise TypeError(f"by should name one column of customers (or be None), got {by!r}")
    keys = [] if by is None else [by]
    frame = _customer_table(customers, ["acquisition_date", *keys], "customers")
    acquired = frame["acquisition_date"]
    if not pd.api.types.is_datetime64_any_dtype(acquired):
        acquired = pd.to_datetime(acquired, errors="coerce", format="ISO8601")
    _raise_if(acquired.isna(), frame["acquisition_date"], "customers column 'acquisition_date' has {count} missing or "
              "unreadable {values} (first: {value!r} at {where}); expected a date on every row")
    for key in keys:
        _raise_if(frame[key].isna(), frame[key],
                  f"customers column {key!r} has {{count}} missing {{values}} (first at {{where}}); expected a group on every row")
    acquired = acquired.dt.normalize()
    data = check_transactions(transactions)
    data = data[data["customer_id"].isin(frame.index)]
    day = data["date"].dt.normalize()
    if end is None:
        if len(data) == 0:
            raise ValueError("transactions has no purchase by the customers given; expected at least one")
        end = day.max()
    end = periods.as_day(end)
    data, day = data[day <= end], day[day <= end]
    when_acquired = acquired.reindex(data["customer_id"]).to_numpy()
    early = day.to_numpy() < when_acquired
    if early.any():
        first = int(np.flatnonzero(early)[0])
        raise ValueError(f"customer {_plain(data['customer_id'].iloc[first])!r} bought on {day.iloc[first]:%Y-%m-%d}, before their "
                         f"acquisition_date {pd.Timestamp(when_acquired[first]):%Y-%m-%d}; expected no purchase before "
                         "acquisition")
    last = int(_period_index(pd.DatetimeIndex([end]), freq)[0])
    if _period_index(pd.DatetimeIndex([end + pd.Timedelta(days=1)]), freq)[0] == last:
        last -= 1  # the period of `end` is still under way: it is left out
    cohort = pd.Series(_period_index(acquired, freq), index=frame.index)
    members = pd.DataFrame({"cohort": cohort} | {key: frame[key] for key in keys})
    members = members[(acquired <= end) & (cohort <= last)]
    if members.empty:
        raise ValueError(f"no customer was acquired before the last whole {_PERIOD_NAMES[freq][:-1]} of the data "
                         f"(end {end:%Y-%m-%d}); expected at least one cohort with a whole period")
    data = data[data["customer_id"].isin(members.index)]
    their = members.reindex(data["customer_id"])
    purchases = pd.DataFrame({"customer_id": data["customer_id"].to_numpy(), "cohort": their["cohort"].to_numpy(),
                              "age": _period_index(data["date"], freq) - their["cohort"].to_numpy(),
                              "margin": float(margin) * data["amount"].to_numpy()}
                             | {key: their[key].to_numpy() for key in keys})
    purchases = purchases[purchases["cohort"] + purchases["age"] <= last]
    return {"members": members, "purchases": purchases, "end": end}, last, keys

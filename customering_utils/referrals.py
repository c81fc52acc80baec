r"""Referrals and advocacy: what a customer is worth through the customers they bring.

A customer's lifetime value (CLV) counts what they buy. Kumar, Petersen and Leone (2007,
"How valuable is word of mouth?", *Harvard Business Review* 85(10), 139-146) add a second
number, the **customer referral value** (CRV): the value of the customers a customer
referred, counting only what the referrals changed. A referred customer who would have
come anyway brings the company nothing new except the acquisition cost it did not have
to spend; one who would not have come otherwise brings their whole value. Both cost the
referral reward. Customers high on one number are often low on the other, so the two
together say whom to keep, and whom to encourage to talk.

:func:`referral_value` computes both for every customer from who referred whom (the data
world's ``customers.referred_by``) and a value per customer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .tables import _number, _plain, require_columns

__all__ = ["referral_value"]


def referral_value(
    customers: pd.DataFrame,
    values: pd.Series,
    incremental_share: float,
    reward: float = 0.0,
    acquisition_cost_saved: float = 0.0,
    own_values: pd.Series | None = None,
) -> pd.DataFrame:
    r"""Each customer's referral value (after Kumar, Petersen and Leone 2007) beside their own value.

    For customer :math:`i`, who referred the customers :math:`y = 1, \ldots, n_i`, each
    worth :math:`V_y` (``values``: their CLV, or the margin they have brought so far, in
    today's money), with a share :math:`s` (``incremental_share``) of referrals who would
    not have come without the referral:

    .. math:: \mathrm{CRV}_i = s \sum_{y} V_y + (1 - s)\, n_i\, S - n_i\, c,

    where :math:`S` (``acquisition_cost_saved``) is what the company would have spent to win
    a referred customer who would have come anyway (through another channel), and
    :math:`c` (``reward``) is what it pays for each referral. The first term is the value the
    referrals created, the second what they saved, the third what they cost. It is a
    simplified reading of Kumar, Petersen and Leone's customer referral value, in one line:
    the referred customers' own contribution (their margin, net of what keeping them costs)
    is whatever ``values`` holds, discounted to today by whoever computed it, and the split
    between referrals who would and would not have come anyway is a share stated by the
    analyst (in practice estimated by asking referred customers whether they would have
    come without the referral).

    Hand-worked: customer 1 referred customers 3 (worth $100) and 4 (worth $60); customer 2
    referred customer 5 (worth $40). If half of referrals would not have come anyway, each
    would-be customer saves $30 of acquisition cost and the reward is $10:
    CRV_1 = 0.5 * 160 + 0.5 * 2 * 30 - 2 * 10 = 80 + 30 - 20 = $90, and
    CRV_2 = 0.5 * 40 + 0.5 * 30 - 10 = $25.

    Parameters
    ----------
    customers : DataFrame
        One row per customer, indexed by ``customer_id`` (or with a ``customer_id`` column),
        with ``referred_by``: the ``customer_id`` of the customer who referred them, blank
        (NA) if nobody did, as in the data world's ``customers``.
    values : Series
        The value of each referred customer, US dollars, indexed by ``customer_id``. Every
        referred customer must have one.
    incremental_share : float
        The share of referred customers who would not have come without the referral, from
        0 to 1. There is no default: it is an assumption to state.
    reward : float, default 0.0
        What the company pays for each referral (a bonus to either side), US dollars, at
        least 0.
    acquisition_cost_saved : float, default 0.0
        What winning a referred customer who would have come anyway would otherwise have
        cost, US dollars, at least 0 (such as the CAC of another channel).
    own_values : Series, optional
        Each customer's own value (their CLV), US dollars, indexed by ``customer_id``; by
        default ``values``. Every customer who referred someone must have one.

    Returns
    -------
    DataFrame
        One row per customer of ``own_values`` (or ``values``), indexed by ``customer_id``,
        sorted by it, with ``own_value`` (US dollars), ``referrals`` (a count),
        ``referred_value`` (the sum of the referred customers' values, US dollars),
        ``referral_value`` (CRV, US dollars) and ``total_value`` (own plus referral value).
        ``attrs`` holds the assumptions.

    Examples
    --------
    The hand-worked case above, with customers 1 and 2 worth $20 and $200 themselves:

    >>> import pandas as pd
    >>> customers = pd.DataFrame({"referred_by": pd.array([pd.NA, pd.NA, 1, 1, 2], dtype="Int64")},
    ...                          index=pd.Index([1, 2, 3, 4, 5], name="customer_id"))
    >>> values = pd.Series([20.0, 200.0, 100.0, 60.0, 40.0], index=customers.index)
    >>> referral_value(customers, values, incremental_share=0.5, reward=10.0, acquisition_cost_saved=30.0)
                 own_value  referrals  referred_value  referral_value  total_value
    customer_id
    1                 20.0          2           160.0            90.0        110.0
    2                200.0          1            40.0            25.0        225.0
    3                100.0          0             0.0             0.0        100.0
    4                 60.0          0             0.0             0.0         60.0
    5                 40.0          0             0.0             0.0         40.0
    """
    for name, value, high in (("incremental_share", incremental_share, 1.0), ("reward", reward, np.inf),
                              ("acquisition_cost_saved", acquisition_cost_saved, np.inf)):
        number = _number(value)
        if not (np.isfinite(number) and 0 <= number <= high):
            expected = "a share from 0 to 1 (0.6 for 60%)" if high == 1.0 else "an amount of at least 0 US dollars"
            raise ValueError(f"{name} should be {expected}, got {value!r}")
    require_columns(customers, ["referred_by"], table="customers")
    frame = customers.set_index("customer_id") if "customer_id" in customers.columns else customers
    if frame.index.has_duplicates:
        raise ValueError(f"customers has customer {_plain(frame.index[frame.index.duplicated()][0])!r} more than once; "
                         "expected one row per customer")
    referred_value = _values(values, "values")
    own = referred_value if own_values is None else _values(own_values, "own_values")
    referrer = frame["referred_by"].dropna()
    missing = referrer.index.difference(referred_value.index)
    if len(missing):
        raise ValueError(f"values has no value for {len(missing):,} referred customers (first: {_plain(missing[0])!r}); "
                         "expected a value for every customer with a referrer")
    unknown = pd.Index(referrer.unique()).difference(own.index)
    if len(unknown):
        raise ValueError(f"{'own_values' if own_values is not None else 'values'} has no value for {len(unknown):,} "
                         f"customers who referred someone (first: {_plain(unknown[0])!r}); expected every referrer's own value")
    if (referrer.to_numpy() == referrer.index.to_numpy()).any():
        raise ValueError("customers has a customer who referred themselves; expected referred_by to name another customer")
    pairs = pd.DataFrame({"referrer": referrer.to_numpy(), "value": referred_value.reindex(referrer.index).to_numpy()})
    per_referrer = pairs.groupby("referrer")["value"].agg(["size", "sum"])
    table = pd.DataFrame({"own_value": own.sort_index()})
    table.index.name = "customer_id"
    table["referrals"] = per_referrer["size"].reindex(table.index, fill_value=0).astype("int64")
    table["referred_value"] = per_referrer["sum"].reindex(table.index, fill_value=0.0).astype(float)
    share, saved, cost = float(incremental_share), float(acquisition_cost_saved), float(reward)
    table["referral_value"] = share * table["referred_value"] + ((1 - share) * saved - cost) * table["referrals"]
    table["total_value"] = table["own_value"] + table["referral_value"]
    table.attrs = {"incremental_share": share, "reward": cost, "acquisition_cost_saved": saved}
    return table


def _values(values: pd.Series, name: str) -> pd.Series:
    """One finite number per customer, as a float Series indexed by customer_id."""
    if isinstance(values, pd.DataFrame):
        raise TypeError(f"{name} should be one value per customer (a Series indexed by customer_id), got a DataFrame; "
                        "pick one column")
    if not isinstance(values, pd.Series):
        raise TypeError(f"{name} should be a pandas Series indexed by customer_id, got {type(values).__name__}")
    if values.index.has_duplicates:
        raise ValueError(f"{name} has customer {_plain(values.index[values.index.duplicated()][0])!r} more than once; "
                         "expected one value per customer")
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    bad = numbers.isna() | np.isinf(numbers)
    if bad.any():
        where = numbers.index[bad.to_numpy()][0]
        raise ValueError(f"{name} has {int(bad.sum()):,} missing or infinite values (first at customer {_plain(where)!r}: "
                         f"{_plain(values[where])!r}); expected a finite value (US dollars) for every customer")
    return numbers

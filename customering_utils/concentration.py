"""How revenue is spread across customers: the Pareto table, the Lorenz curve and the Gini coefficient.

In most customer bases a few customers bring much of the revenue. That concentration is
an opportunity (serve the few well) and a risk (lose a few, lose much). These functions
measure it. ``customer_revenue`` and ``pareto_table`` take a transactions table (one row
per purchase, with ``customer_id`` and ``amount`` in US dollars); ``top_share``,
``lorenz_curve`` and ``gini`` take one value per customer, such as the output of
``customer_revenue``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from .tables import check_transactions

__all__ = ["customer_revenue", "customer_values", "pareto_table", "top_share", "lorenz_curve", "gini"]

#: What :func:`customer_values` can add up per customer.
MEASURES = ("revenue", "purchases")


def customer_revenue(transactions: pd.DataFrame) -> pd.Series:
    """Total revenue of each customer (US dollars), largest first.

    Returns a Series indexed by ``customer_id``, named ``revenue``. Customers with equal
    revenue keep the order of their ids.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with columns ``customer_id`` and ``amount`` (US dollars);
        other columns are ignored.

    Returns
    -------
    Series
        Each customer's total revenue in US dollars, largest first, indexed by
        ``customer_id`` and named ``revenue``.

    Examples
    --------
    >>> import pandas as pd
    >>> purchases = pd.DataFrame({"customer_id": [1, 2, 1, 3], "amount": [10.0, 50.0, 15.0, 5.0]})
    >>> customer_revenue(purchases).to_dict()
    {2: 50.0, 1: 25.0, 3: 5.0}
    """
    data = check_transactions(transactions, ["customer_id", "amount"])
    revenue = data.groupby("customer_id")["amount"].sum()
    return revenue.sort_values(ascending=False, kind="stable").rename("revenue")


def customer_values(transactions: pd.DataFrame, measure: str = "revenue", year: int | None = None) -> pd.Series:
    """Each customer's revenue (US dollars) or number of purchases, over all the data or in one calendar year.

    With ``year=None`` every customer of the table appears; with a year, only the
    customers who bought in it, with what they did in it. Unlike
    :func:`customer_revenue`, the result keeps the order of the customer ids.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with columns ``customer_id``, ``date`` and ``amount`` (US
        dollars).
    measure : str, default "revenue"
        ``"revenue"`` (the sum of ``amount``, US dollars) or ``"purchases"`` (how many
        purchases, a count).
    year : int, optional
        A calendar year of the data, such as 2025; ``None`` (the default) for all of it.

    Returns
    -------
    Series
        One value per customer, indexed by ``customer_id`` and named after ``measure``.

    Examples
    --------
    >>> import pandas as pd
    >>> purchases = pd.DataFrame({"customer_id": [1, 1, 2], "date": ["2024-03-01", "2025-05-01", "2025-06-01"],
    ...                           "amount": [45.0, 40.0, 5.0]})
    >>> customer_values(purchases, "revenue", year=2025).to_dict()
    {1: 40.0, 2: 5.0}
    >>> customer_values(purchases, "purchases").to_dict()
    {1: 2, 2: 1}
    """
    data = check_transactions(transactions, ["customer_id", "date", "amount"])
    if measure not in MEASURES:
        raise ValueError(f"measure should be one of {list(MEASURES)}, got {measure!r}")
    if year is not None:
        if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
            raise ValueError(f"year should be a calendar year such as 2025, or None for all the data, got {year!r}")
        data = data[data["date"].dt.year == int(year)]
        if len(data) == 0:
            raise ValueError(f"transactions have no purchase in {year}; expected a year of the data, or None")
    grouped = data.groupby("customer_id")["amount"]
    values = grouped.sum() if measure == "revenue" else grouped.size()
    return values.rename(measure)


def pareto_table(
    transactions: pd.DataFrame, shares: Sequence[float] = (0.01, 0.05, 0.10, 0.20, 0.50)
) -> pd.DataFrame:
    """Revenue of the top customers: for each share of customers, the share of revenue they bring.

    For each ``share`` in ``shares`` (a fraction of customers, greater than 0 and at most
    1), the top ``customers = ceil(share * n)`` customers by revenue, out of the ``n``
    customers in the table, with their ``revenue`` (US dollars) and ``revenue_share`` (of
    total revenue, 0 to 1). Indexed by ``top_share``. The "80/20 rule" says the 0.20 row
    tends to show a revenue share near 0.80; your data decide.

    Hand-worked: four customers with revenue 50, 25, 15 and 10 (total 100). The top 25%
    is ceil(0.25 * 4) = 1 customer with 50, half the revenue; the top 50% is 2 customers
    with 75.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with columns ``customer_id`` and ``amount`` (US dollars).
    shares : sequence of float, default (0.01, 0.05, 0.10, 0.20, 0.50)
        The shares of customers to look at, each greater than 0 and at most 1 (0.20 for
        the top 20%).

    Returns
    -------
    DataFrame
        One row per share, indexed by ``top_share`` (0 to 1), with ``customers`` (how
        many customers are in the top, a count), ``revenue`` (what they bring, US
        dollars) and ``revenue_share`` (their share of total revenue, 0 to 1).

    Examples
    --------
    The hand-worked case above:

    >>> import pandas as pd
    >>> purchases = pd.DataFrame({"customer_id": [1, 2, 3, 4, 1], "amount": [20.0, 25.0, 15.0, 10.0, 30.0]})
    >>> pareto_table(purchases, shares=[0.25, 0.5])
               customers  revenue  revenue_share
    top_share
    0.25               1     50.0           0.50
    0.50               2     75.0           0.75
    """
    revenue = customer_revenue(transactions)
    wanted = np.asarray(shares, dtype=float).ravel()
    if wanted.size == 0 or np.any(~np.isfinite(wanted)) or np.any((wanted <= 0) | (wanted > 1)):
        raise ValueError(
            "shares should be fractions of customers above 0 and at most 1 "
            f"(for example 0.2 for the top 20%), got {shares!r}"
        )
    total = float(revenue.sum())
    if total <= 0:
        raise ValueError("transactions column 'amount' sums to 0 US dollars; revenue shares need some revenue")
    n = len(revenue)
    # round() first so that 0.07 * 100 = 7.000000000000001 counts 7 customers, not 8.
    counts = [math.ceil(round(share * n, 9)) for share in wanted]
    cumulative = revenue.cumsum().to_numpy()
    top = np.array([cumulative[count - 1] for count in counts])
    return pd.DataFrame(
        {"customers": np.array(counts, dtype="int64"), "revenue": top, "revenue_share": top / total},
        index=pd.Index(wanted, name="top_share"),
    )


def top_share(values: ArrayLike, share: float = 0.20) -> float:
    """The share of the total held by the top ``share`` of customers: one row of the Pareto table.

    The customers are sorted from the largest value down and the top ``ceil(share * n)``
    of the ``n`` customers taken, as in :func:`pareto_table`; the result is their values'
    sum over the sum of all values. Useful where one number per customer is at hand (a
    resample, one year's revenue) rather than a transactions table.

    Hand-worked: values 50, 25, 15 and 10 (total 100). The top 25% is ceil(0.25 * 4) = 1
    customer with 50: a share of 0.5.

    Parameters
    ----------
    values : array_like
        One value per customer, at least 0, with a positive total: a list, array or
        Series, such as each customer's revenue in US dollars.
    share : float, default 0.20
        The share of customers at the top, greater than 0 and at most 1 (0.20 for the
        top 20%).

    Returns
    -------
    float
        The share of the total they hold, from 0 to 1 (no unit).

    Examples
    --------
    >>> top_share([10, 50, 15, 25], share=0.25)
    0.5
    >>> top_share([10, 50, 15, 25], share=0.5)
    0.75
    """
    if isinstance(share, bool) or not isinstance(share, (int, float, np.integer, np.floating)) \
            or not np.isfinite(share) or not 0 < share <= 1:
        raise ValueError(f"share should be a fraction of customers above 0 and at most 1 (for example 0.2), got {share!r}")
    ordered = np.sort(_values(values))[::-1]
    count = math.ceil(round(share * ordered.size, 9))  # as pareto_table: 0.07 * 100 is 7 customers
    return float(ordered[:count].sum() / ordered.sum())


def lorenz_curve(values: ArrayLike) -> pd.DataFrame:
    """Points of the Lorenz curve: the poorest x share of customers hold y share of the revenue.

    Customers are sorted from the smallest value to the largest. Point k (k = 0..n) has
    ``customer_share`` k / n and ``revenue_share`` = (sum of the k smallest values) / (sum
    of all values), so the curve runs from (0, 0) to (1, 1). If every customer had the
    same value it would be the diagonal; the further it sags below, the more concentrated
    the revenue.

    ``values`` is one non-negative number per customer (a list, array or Series, for
    example ``customer_revenue(transactions)``), with a positive total.

    Parameters
    ----------
    values : array_like
        One value per customer, at least 0, with a positive total: a list, array or
        Series, such as each customer's revenue in US dollars.

    Returns
    -------
    DataFrame
        ``n + 1`` rows for ``n`` customers, numbered from 0, with ``customer_share``
        (the share of customers, smallest first, 0 to 1) and ``revenue_share`` (the
        share of the total they hold, 0 to 1).

    Examples
    --------
    Four customers, two of whom bought nothing:

    >>> lorenz_curve([10, 0, 30, 0])
       customer_share  revenue_share
    0            0.00           0.00
    1            0.25           0.00
    2            0.50           0.00
    3            0.75           0.25
    4            1.00           1.00
    """
    ordered = np.sort(_values(values))
    total = ordered.sum()
    n = ordered.size
    return pd.DataFrame({
        "customer_share": np.arange(n + 1) / n,
        "revenue_share": np.concatenate([[0.0], np.cumsum(ordered) / total]),
    })


def gini(values: ArrayLike) -> float:
    r"""Gini coefficient of ``values``: 0 when all are equal, up to (n - 1) / n when one holds all.

    The Gini coefficient is the mean absolute difference between two customers' values,
    over twice the mean value:

    .. math:: G = \frac{\sum_{i=1}^{n} \sum_{j=1}^{n} |x_i - x_j|}{2 n^2 \bar{x}}
              = \frac{\sum_{i=1}^{n} (2i - n - 1) \, x_{(i)}}{n \sum_{i=1}^{n} x_i},

    where :math:`x_{(1)} \le \dots \le x_{(n)}` are the values sorted ascending. The second
    form is the same number computed in one pass: in the double sum, the i-th smallest
    value is the larger of a pair i - 1 times and the smaller n - i times. The Gini is
    also 1 minus twice the area under the Lorenz curve (:func:`lorenz_curve`). ``values``
    must be non-negative with a positive total.

    Hand-worked, with n = 4 the weights 2i - n - 1 are -3, -1, 1, 3. For [0, 0, 0, 10]
    only the largest value is not zero: G = 3 * 10 / (4 * 10) = 0.75, the most unequal
    that four customers can be. For [1, 2, 3, 4]: G = (-3 - 2 + 3 + 12) / (4 * 10) = 0.25.

    Parameters
    ----------
    values : array_like
        One value per customer, at least 0, with a positive total: a list, array or
        Series, such as each customer's revenue in US dollars.

    Returns
    -------
    float
        The Gini coefficient, from 0 (all equal) to (n - 1) / n for ``n`` customers (one
        customer holds everything); a number without a unit.

    Examples
    --------
    Equal values, then the hand-worked cases above:

    >>> gini([5, 5, 5, 5])
    0.0
    >>> gini([0, 0, 0, 10])
    0.75
    >>> gini([1, 2, 3, 4])
    0.25
    """
    ordered = np.sort(_values(values))
    n = ordered.size
    weight = 2 * np.arange(1, n + 1) - n - 1
    # max(): a rounding error must not take an exactly equal base a hair below zero.
    return max(float(np.sum(weight * ordered) / (n * ordered.sum())), 0.0)


def _values(values: ArrayLike) -> NDArray[np.float64]:
    """One finite, non-negative number per customer with a positive total, as a new float array."""
    if isinstance(values, pd.DataFrame):
        raise TypeError("values should be one number per customer (a list, array or Series), got a DataFrame; "
                        "pass one column, for example customer_revenue(transactions)")
    try:
        array = np.array(values, dtype=float).ravel()
    except (TypeError, ValueError) as error:
        raise TypeError(f"values should be numbers (one per customer), got {type(values).__name__}") from error
    if array.size == 0:
        raise ValueError("values is empty; expected one number per customer")
    missing = int(np.isnan(array).sum())
    if missing:
        raise ValueError(f"values has {missing:,} missing (NaN) {'entry' if missing == 1 else 'entries'}; "
                         "expected a number for every customer")
    if np.isinf(array).any():
        raise ValueError("values has infinite entries; expected finite amounts")
    if (array < 0).any():
        raise ValueError(
            f"values has negative entries (smallest: {float(array.min())!r}); expected amounts of at least 0"
        )
    if array.sum() <= 0:
        raise ValueError("values sum to 0; shares of revenue need a positive total")
    return array

"""Who is still buying: active customers over time, and retention from one period to the next.

A customer is **active** on a date if they bought at least once in the ``window_days``
days up to and including that date (365 days by default: "bought in the last year").
A company never learns that a customer has left; it only sees that they stopped buying,
so counting recent buyers is the simplest honest measure of the size of the base.

**Retention** from one period to the next is the share of the customers active in a
period who buy again in the following one:

.. math:: \\text{retention}_t = \\frac{|A_{t-1} \\cap A_t|}{|A_{t-1}|},

where :math:`A_t` is the set of customers who bought in period :math:`t`.

The rule is a stand-in for something a company cannot see: who has really left.
Where the truth is known (in the course's simulated data world), :func:`window_errors`
measures how well a window finds the customers who are truly still there, and how it errs.

The functions take a transactions table: one row per purchase, with columns
``customer_id`` and ``date`` (see :func:`customering_utils.tables.check_transactions`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import periods
from .tables import check_transactions

__all__ = ["active_customers", "period_retention", "window_errors"]


def active_customers(transactions: pd.DataFrame, freq: str = "MS", window_days: int = 365) -> pd.Series:
    """Number of active customers on each date of a regular calendar.

    The dates run from the first to the last purchase date, every ``freq`` (a pandas
    frequency: ``"MS"`` month starts, ``"ME"`` month ends, ``"W-MON"`` Mondays, ...). On
    each date, a customer counts as active if they bought at least once in the
    ``window_days`` days up to and including that date (for 365 days: from the same
    date a year earlier, exclusive, to that date, inclusive). Times of day are ignored.

    Returns a Series of whole numbers indexed by ``date``, named ``active_customers``.

    Hand-worked, with a 31-day window: customer 1 buys on 1 January and 10 February,
    customer 2 on 20 January, customer 3 on 1 March. On 1 January only customer 1 has
    bought. On 1 February the window is 2 January to 1 February: only customer 2 (customer
    1's purchase is 31 days back, just outside). On 1 March the window is 30 January to
    1 March: customers 1 and 3.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with columns ``customer_id`` and ``date``; other columns
        (such as ``amount``, US dollars) are ignored.
    freq : str, default "MS"
        How often to count, as a pandas frequency: ``"MS"`` (the first of each month),
        ``"ME"`` (the last of each month), ``"W-MON"`` (every Monday), ...
    window_days : int, default 365
        How far back a purchase still makes a customer active, in days (365: bought in
        the last year).

    Returns
    -------
    Series
        The number of active customers (a count, whole numbers) on each date, indexed by
        ``date`` and named ``active_customers``.

    Examples
    --------
    The hand-worked case above:

    >>> import pandas as pd
    >>> purchases = pd.DataFrame({
    ...     "customer_id": [1, 2, 1, 3],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-01-20", "2025-02-10", "2025-03-01"]),
    ...     "amount": [10.0, 20.0, 15.0, 5.0],
    ... })
    >>> active = active_customers(purchases, freq="MS", window_days=31)
    >>> active.index.strftime("%d %b").tolist(), active.tolist()
    (['01 Jan', '01 Feb', '01 Mar'], [1, 1, 2])
    """
    data = check_transactions(transactions, ["customer_id", "date"])
    window = periods.window_days(window_days)
    dates = data["date"].dt.normalize()
    calendar = periods.calendar(dates.min(), dates.max(), freq)
    order = np.argsort(dates.to_numpy(), kind="stable")
    sorted_dates = dates.to_numpy()[order]
    ids = data["customer_id"].to_numpy()[order]
    counts = []
    for day in calendar:
        # Purchases from (day - window + 1 day) to day, both inclusive, are a slice of the sorted dates.
        first = np.searchsorted(sorted_dates, (day - window + pd.Timedelta(days=1)).to_datetime64(), side="left")
        last = np.searchsorted(sorted_dates, day.to_datetime64(), side="right")
        counts.append(len(pd.unique(ids[first:last])))
    return pd.Series(counts, index=pd.DatetimeIndex(calendar, name="date"), name="active_customers", dtype="int64")


def period_retention(transactions: pd.DataFrame, freq: str = "YS") -> pd.DataFrame:
    """Customers active in each period, and the share of the previous period's who bought again.

    Periods are calendar periods of the pandas frequency ``freq`` (``"YS"``: calendar
    years, ``"QS"``: quarters, ``"MS"``: months), labelled by their first day; the first
    period is the one holding the first purchase. For each period:

    - ``active``: customers who bought at least once in the period;
    - ``retained``: of the previous period's active customers, how many bought again in
      this one (missing, ``<NA>``, for the first period);
    - ``retention``: ``retained`` over the previous period's ``active`` (NaN for the first
      period, or when the previous period had no buyers).

    A period with no purchases shows 0 active customers. The first and last periods may
    be partial (a data set that starts in March has a short first year); read them with care.

    Hand-worked: in 2024 customers 1, 2 and 3 buy; in 2025 customers 1, 3 and 4 buy. Of
    the 3 customers of 2024, 2 (customers 1 and 3) bought again: retention 2/3.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with columns ``customer_id`` and ``date``; other columns
        (such as ``amount``, US dollars) are ignored.
    freq : str, default "YS"
        The length of a period, as a pandas frequency: ``"YS"`` (calendar years),
        ``"QS"`` (quarters) or ``"MS"`` (months).

    Returns
    -------
    DataFrame
        One row per period, indexed by ``period`` (its first day), with ``active`` (a
        count of customers), ``retained`` (a count of customers; ``<NA>`` for the first
        period) and ``retention`` (a share from 0 to 1; NaN for the first period).

    Examples
    --------
    The hand-worked case above:

    >>> import pandas as pd
    >>> purchases = pd.DataFrame({
    ...     "customer_id": [1, 2, 3, 1, 3, 4],
    ...     "date": pd.to_datetime(["2024-02-01", "2024-05-01", "2024-12-31",
    ...                             "2025-01-01", "2025-03-01", "2025-06-01"]),
    ...     "amount": [10.0, 20.0, 30.0, 10.0, 30.0, 40.0],
    ... })
    >>> table = period_retention(purchases)
    >>> table.index.year.tolist(), table["active"].tolist(), table["retained"].tolist()
    ([2024, 2025], [3, 3], [<NA>, 2])
    >>> round(float(table["retention"].iloc[1]), 4)
    0.6667
    """
    data = check_transactions(transactions, ["customer_id", "date"])
    dates = data["date"].dt.normalize()
    offset = periods.offset(freq)
    starts = periods.calendar(offset.rollback(dates.min()), dates.max(), freq)
    # Each purchase belongs to the last period that starts on or before its date.
    period = starts[np.searchsorted(starts.to_numpy(), dates.to_numpy(), side="right") - 1]
    buyers = data.groupby(period)["customer_id"].agg(lambda ids: frozenset(ids.tolist()))
    buyers = buyers.reindex(starts, fill_value=frozenset())
    active, retained, retention = [], [], []
    previous: frozenset | None = None
    for current in buyers:
        active.append(len(current))
        if previous is None:
            retained.append(pd.NA)
            retention.append(np.nan)
        else:
            kept = len(previous & current)
            retained.append(kept)
            retention.append(kept / len(previous) if previous else np.nan)
        previous = current
    return pd.DataFrame(
        {
            "active": pd.array(active, dtype="int64"),
            "retained": pd.array(retained, dtype="Int64"),
            "retention": np.array(retention, dtype=float),
        },
        index=pd.DatetimeIndex(starts, name="period"),
    )


def window_errors(
    transactions: pd.DataFrame,
    still_customer: pd.Series,
    on: object,
    windows: Sequence[int] = (30, 90, 180, 365, 730),
) -> pd.DataFrame:
    """How well the "active" rule finds the customers who are truly still there, for several windows.

    On the day ``on``, a customer is active for a window of ``w`` days if they bought at
    least once from day ``on - w + 1`` to day ``on``, both included (as in
    :func:`active_customers`; purchases after ``on`` are ignored). ``still_customer``
    says, for every customer, whether they are truly still a customer on ``on``: a thing
    a real company never sees, but the course's data world records
    (``~world.truth.customers["churned"]`` for the end of 2025). The rule errs two ways:

    - **counted but gone**: active by the rule, but already left;
    - **missed**: truly still a customer, but no purchase in the window.

    Hand-worked, on 31 March with a 31-day window: customer 1 bought on 1 March and is
    still a customer; customer 2 bought on 20 March and has left; customer 3 bought on 1
    February and is still a customer. The window runs from 1 March to 31 March: customers
    1 and 2 are active, so 2 counted active against 2 still customers, with one error of
    each kind (2 counted but gone, 3 missed).

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with columns ``customer_id`` and ``date``; other columns
        (such as ``amount``, US dollars) are ignored.
    still_customer : Series of bool
        One row per customer, indexed by ``customer_id``: True if the customer is truly
        still a customer on ``on``. Every customer who bought up to ``on`` must be in it;
        a customer in it with no purchase counts as not active.
    on : str or Timestamp
        The day to count on, such as ``"2025-12-31"``.
    windows : sequence of int, default (30, 90, 180, 365, 730)
        The windows to compare, in days (each at least 1).

    Returns
    -------
    DataFrame
        One row per window, indexed by ``window_days``, with counts of customers:
        ``active`` (active by the rule), ``still_customers`` (truly still customers, the
        same on every row), ``counted_but_gone``, ``missed`` and ``misclassified`` (the
        two errors together); and two shares: ``misclassified_share`` (of all customers,
        0 to 1) and ``overcount`` (``active`` over ``still_customers``, minus 1: 0.12 is
        12% too many, -0.05 is 5% too few). ``attrs["on"]`` holds the day.

    Examples
    --------
    The hand-worked case above:

    >>> import pandas as pd
    >>> purchases = pd.DataFrame({
    ...     "customer_id": [1, 2, 3],
    ...     "date": pd.to_datetime(["2025-03-01", "2025-03-20", "2025-02-01"]),
    ... })
    >>> still = pd.Series({1: True, 2: False, 3: True})
    >>> table = window_errors(purchases, still, on="2025-03-31", windows=[31, 60])
    >>> table[["active", "still_customers", "counted_but_gone", "missed", "misclassified"]]
                 active  still_customers  counted_but_gone  missed  misclassified
    window_days
    31                2                2                 1       1              2
    60                3                2                 1       0              1
    """
    data = check_transactions(transactions, ["customer_id", "date"])
    day = periods.as_day(on, name="on")
    lengths = [periods.window_days(w).days for w in ([windows] if np.isscalar(windows) else list(windows))]
    if not lengths:
        raise ValueError("windows is empty; expected one or more windows in days, such as [90, 365]")
    still = _still_customers(still_customer)
    dates = data["date"].dt.normalize()
    last = dates[dates <= day].groupby(data["customer_id"]).max()
    unknown = last.index.difference(still.index)
    if len(unknown):
        raise ValueError(
            f"still_customer has no row for {len(unknown):,} customer{'s' if len(unknown) != 1 else ''} who "
            f"bought up to {day:%Y-%m-%d} (first: {unknown[0]}); expected one row per customer"
        )
    last = last.reindex(still.index)  # customers with no purchase yet: NaT, never active
    truth = still.to_numpy()
    rows = []
    for length in lengths:
        active = (last > day - pd.Timedelta(days=length)).to_numpy()
        rows.append((int(active.sum()), int((active & ~truth).sum()), int((~active & truth).sum())))
    counts = np.array(rows, dtype="int64").reshape(-1, 3)
    n_still = int(truth.sum())
    table = pd.DataFrame(
        {
            "active": counts[:, 0],
            "still_customers": np.full(len(lengths), n_still, dtype="int64"),
            "counted_but_gone": counts[:, 1],
            "missed": counts[:, 2],
            "misclassified": counts[:, 1] + counts[:, 2],
        },
        index=pd.Index(lengths, name="window_days"),
    )
    table["misclassified_share"] = table["misclassified"] / len(still)
    table["overcount"] = table["active"] / n_still - 1 if n_still else np.nan
    table.attrs["on"] = day
    return table


def _still_customers(still_customer: pd.Series) -> pd.Series:
    """``still_customer`` checked: a Series of True/False, one row per customer, none missing."""
    if not isinstance(still_customer, pd.Series):
        raise TypeError(
            "still_customer should be a pandas Series of True/False indexed by customer_id, "
            f"got {type(still_customer).__name__}"
        )
    if len(still_customer) == 0:
        raise ValueError("still_customer is empty; expected one row per customer")
    if still_customer.isna().any() or not pd.api.types.is_bool_dtype(still_customer):
        raise ValueError("still_customer should hold True or False for every customer, with no missing values")
    if still_customer.index.has_duplicates:
        first = still_customer.index[still_customer.index.duplicated()][0]
        raise ValueError(f"still_customer has customer {first} twice; expected one row per customer")
    return still_customer.astype(bool)

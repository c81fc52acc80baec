"""From transactions to customers: one row per customer, RFM scores, and cohort retention.

A transactions table has one row per purchase (``customer_id``, ``date``, ``amount`` in
US dollars; see :func:`customering_utils.tables.check_transactions`). Customer
management starts by turning it around, into one row per customer:

- :func:`customer_summary`: when each customer first and last bought, how long ago that
  was, how often they bought and how much they spent;
- :func:`rfm_scores`: the classic **RFM** scores, 1 to 5 for recency, frequency and
  monetary value, and the cell they make ("545");
- :func:`cohort_counts` and :func:`cohort_retention`: customers grouped by the period of
  their first purchase (their acquisition **cohort**), and how many of each cohort buy
  in each later period; :func:`cohort_intervals`: each of those shares with its 95%
  interval, to tell a real difference between cohorts from noise.

RFM ranks customers on what they did. It says nothing directly about what they will do;
lesson 1a of Module 1 (*RFM and segments*) shows where that matters, and lesson 1b
(*Cohort retention*) reads the cohorts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import periods
from .tables import check_transactions, require_columns

__all__ = ["customer_summary", "rfm_scores", "cohort_counts", "cohort_retention", "cohort_intervals"]

#: The columns :func:`rfm_scores` reads, with the score each one gives.
RFM_COLUMNS = {"R": "recency_days", "F": "frequency", "M": "monetary"}


def customer_summary(transactions: pd.DataFrame, end: str | pd.Timestamp) -> pd.DataFrame:
    """One row per customer, as of ``end``: first and last purchase, recency, frequency, spend.

    ``end`` is the day the analysis looks back from (a date string such as
    ``"2025-12-31"`` or a Timestamp). It is inclusive: purchases on ``end`` count, those
    after it are left out, and a customer whose first purchase is after ``end`` does not
    appear. Times of day are ignored. The columns, indexed by ``customer_id`` (ascending):

    - ``first_purchase``, ``last_purchase``: dates of the first and the last purchase;
    - ``recency_days``: whole days from the last purchase to ``end`` (0: bought on ``end``);
    - ``frequency``: number of purchases, counting every row, the first included (two
      rows on the same day count twice). Note that BG/NBD models count *repeat*
      purchases instead, one fewer;
    - ``monetary``: mean amount of a purchase (US dollars);
    - ``revenue``: total amount of the purchases (US dollars), ``frequency * monetary``.

    Hand-worked, to 31 March 2025: customer 1 bought on 1 January ($10) and 1 March
    ($30): last purchase 30 days before the end, 2 purchases, $20 on average. Customer 2
    bought once, on 31 March, for $5. Customer 3's only purchase, on 1 April, is after
    the end, so customer 3 is not in the summary.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with columns ``customer_id``, ``date`` and ``amount``
        (US dollars).
    end : str or Timestamp
        The last day of the analysis, included, such as ``"2025-12-31"``.

    Returns
    -------
    DataFrame
        One row per customer who bought on or before ``end``, indexed by
        ``customer_id``, with ``first_purchase`` and ``last_purchase`` (dates),
        ``recency_days`` (days), ``frequency`` (a count of purchases), ``monetary`` (US
        dollars per purchase) and ``revenue`` (US dollars).

    Examples
    --------
    The hand-worked case above:

    >>> import pandas as pd
    >>> purchases = pd.DataFrame({
    ...     "customer_id": [1, 1, 2, 3],
    ...     "date": ["2025-01-01", "2025-03-01", "2025-03-31", "2025-04-01"],
    ...     "amount": [10.0, 30.0, 5.0, 8.0],
    ... })
    >>> customer_summary(purchases, end="2025-03-31")[["recency_days", "frequency", "monetary", "revenue"]]
                 recency_days  frequency  monetary  revenue
    customer_id
    1                      30          2      20.0     40.0
    2                       0          1       5.0      5.0
    """
    end_day = periods.as_day(end)
    data = check_transactions(transactions, ["customer_id", "date", "amount"])
    data["date"] = data["date"].dt.normalize()
    first_day = data["date"].min()
    data = data[data["date"] <= end_day]
    if len(data) == 0:
        raise ValueError(
            f"transactions has no purchase on or before end={end_day:%Y-%m-%d} (its first purchase is on "
            f"{first_day:%Y-%m-%d}); expected an end date on or after the first purchase"
        )
    grouped = data.groupby("customer_id")
    summary = pd.DataFrame({
        "first_purchase": grouped["date"].min(),
        "last_purchase": grouped["date"].max(),
        "frequency": grouped.size().astype("int64"),
        "revenue": grouped["amount"].sum(),
    })
    summary["recency_days"] = (end_day - summary["last_purchase"]).dt.days.astype("int64")
    summary["monetary"] = summary["revenue"] / summary["frequency"]
    summary.index.name = "customer_id"
    columns = ["first_purchase", "last_purchase", "recency_days", "frequency", "monetary", "revenue"]
    return summary[columns].sort_index()


def rfm_scores(summary: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """RFM scores: each customer's recency, frequency and monetary value as a score from 1 to ``bins``.

    ``summary`` has one row per customer with ``recency_days``, ``frequency`` and
    ``monetary`` (the output of :func:`customer_summary`). For each of the three, the
    customers are put in order from worst to best and cut into ``bins`` groups of equal
    size (quantiles): the best group scores ``bins``, the worst 1. Best means the
    **smallest** ``recency_days`` (bought most recently), the **largest** ``frequency``
    and the **largest** ``monetary``. With ``n`` customers, the customer in position
    ``k`` (0 for the worst, ``n - 1`` for the best) scores ``1 + k * bins // n``, so the
    groups differ in size by at most one customer.

    Returns, indexed like ``summary``: ``R``, ``F``, ``M`` (whole numbers), ``rfm_cell``
    (the three digits as text, such as ``"545"``) and ``rfm_score`` (their sum, 3 to
    ``3 * bins``). ``bins`` must be 2 to 9, so that every cell is three digits.

    **Ties.** Many customers share a value: in a typical base a quarter or more bought
    exactly once, and many last bought on the same day. Cutting at value quantiles
    would then give duplicate cut points and empty or lopsided groups (with a quarter
    of the base at one purchase, F 1 could not hold only the bottom fifth). This function
    keeps the groups equal instead, and breaks ties deliberately, the same way every
    time: customers with equal values are ordered by the other two measures (for R:
    frequency, then monetary; for F: recency, then monetary; for M: frequency, then
    recency), and, if those tie too, by ``customer_id``, higher ids first (a larger id
    usually means a later, so more recent, customer in the course's data). So two
    customers with the same frequency may get different F scores, and then the one who
    bought more recently gets the higher. The scores never contradict the values: a
    customer with a strictly better value never gets a lower score. What a tie-split
    score does not mean is that the two customers differ on that measure.

    **Small groups.** With fewer customers than ``bins``, some score would be empty;
    that raises ``ValueError``. A summary with missing values, or negative recency,
    frequency or monetary value, raises ``ValueError`` too.

    Hand-worked, with ``bins=5`` and ten customers (two per score): recency in days
    1, 2, ..., 10 for customers 1 to 10 gives customers 1 and 2 an R of 5, customers 9
    and 10 an R of 1.

    Parameters
    ----------
    summary : DataFrame
        One row per customer, with ``recency_days`` (days since the last purchase),
        ``frequency`` (a count of purchases) and ``monetary`` (US dollars per purchase),
        all at least 0: the output of :func:`customer_summary`.
    bins : int, default 5
        How many groups each measure is cut into, a whole number from 2 to 9: the
        highest score.

    Returns
    -------
    DataFrame
        Indexed like ``summary``, with ``R``, ``F`` and ``M`` (scores, whole numbers
        from 1 to ``bins``), ``rfm_cell`` (text such as ``"545"``) and ``rfm_score``
        (the sum of the three scores, from 3 to ``3 * bins``).

    Examples
    --------
    The hand-worked case above (equal frequency and monetary value, so the ties in F
    and M are broken by recency):

    >>> import pandas as pd
    >>> summary = pd.DataFrame(
    ...     {"recency_days": range(1, 11), "frequency": [1] * 10, "monetary": [10.0] * 10},
    ...     index=pd.Index(range(1, 11), name="customer_id"),
    ... )
    >>> rfm_scores(summary)["R"].tolist()
    [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    >>> rfm_scores(summary).loc[[1, 10]]
                 R  F  M rfm_cell  rfm_score
    customer_id
    1            5  5  5      555         15
    10           1  1  1      111          3
    """
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or not 2 <= bins <= 9:
        raise ValueError(f"bins should be a whole number from 2 to 9 (5 for the classic RFM), got {bins!r}")
    require_columns(summary, RFM_COLUMNS.values(), table="summary")
    values = {}
    for column in RFM_COLUMNS.values():
        series = summary[column]
        if not pd.api.types.is_numeric_dtype(series):
            raise ValueError(f"summary column {column!r} should hold numbers, got dtype {series.dtype}")
        numbers = series.to_numpy(dtype=float, na_value=np.nan)
        for bad, what in ((np.isnan(numbers), "missing"), (np.isinf(numbers), "infinite"), (numbers < 0, "negative")):
            if bad.any():
                first = int(np.flatnonzero(bad)[0])
                where = summary.index[first]
                where = where.item() if isinstance(where, np.generic) else where
                count = int(bad.sum())
                raise ValueError(
                    f"summary column {column!r} has {count:,} {what} value{'s' if count > 1 else ''} "
                    f"(first at {summary.index.name or 'index'} {where!r}); "
                    "expected a finite number of at least 0 for every customer"
                )
        values[column] = numbers
    repeated = summary.index.duplicated()
    if repeated.any():
        first = summary.index[repeated][0]
        first = first.item() if isinstance(first, np.generic) else first
        raise ValueError(
            f"summary has more than one row for {summary.index.name or 'index'} {first!r}; "
            "expected one row per customer (the output of customer_summary)"
        )
    n = len(summary)
    if n < bins:
        raise ValueError(
            f"summary has {n} customer(s), fewer than bins={bins}: some score would be empty; "
            f"score at least {bins} customers, or use fewer bins"
        )
    # "Goodness" of each measure: larger is better (recency is negated: fewer days is better).
    good = {"R": -values["recency_days"], "F": values["frequency"], "M": values["monetary"]}
    tie_breaks = {"R": ("F", "M"), "F": ("R", "M"), "M": ("F", "R")}
    # Customer ids as a last tie-break: their rank, so ids of any type sort.
    id_rank = pd.Series(summary.index).rank(method="first").to_numpy()
    scores = {}
    for letter, (second, third) in tie_breaks.items():
        # np.lexsort sorts by the last key first: worst to best by this measure, then the others, then id.
        order = np.lexsort((id_rank, good[third], good[second], good[letter]))
        position = np.empty(n, dtype=np.int64)
        position[order] = np.arange(n)
        scores[letter] = 1 + position * bins // n
    result = pd.DataFrame(scores, index=summary.index.copy())
    result["rfm_cell"] = result["R"].astype(str) + result["F"].astype(str) + result["M"].astype(str)
    result["rfm_score"] = result["R"] + result["F"] + result["M"]
    return result


def cohort_counts(transactions: pd.DataFrame, freq: str = "QS") -> pd.DataFrame:
    """How many customers of each acquisition cohort buy in each period after it.

    Periods are calendar periods of the pandas frequency ``freq`` (``"QS"``: quarters,
    ``"MS"``: months, ``"YS"``: years), labelled by their first day. A customer's
    **cohort** is the period of their first purchase in ``transactions``. Row: a cohort
    (index ``cohort``, the period's first day); column ``k``: the number of the cohort's
    customers who bought at least once ``k`` periods after it (columns named
    ``periods_since_acquisition``). Column 0 is the cohort's size: everyone bought in
    the period they were acquired.

    Periods after the table's last purchase have not been seen yet: those cells are
    missing (``<NA>``), not 0. A period that has been seen but in which nobody of the
    cohort bought is 0. The last period may be partial (a table that ends in mid-quarter);
    read it with care. Cohorts in which nobody was acquired have no row.

    Hand-worked, by quarter: customers 1 and 2 first buy in Q1 2025, customer 3 in Q2.
    Customer 1 buys again in Q2 (1 quarter after acquisition), customer 2 in Q3 (2
    quarters after), customer 3 in Q3 (1 quarter after). The data end in Q3, so the Q2
    cohort's period 2 (Q4) is not seen yet.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with columns ``customer_id`` and ``date``; other columns
        (such as ``amount``, US dollars) are ignored.
    freq : str, default "QS"
        The length of a period, as a pandas frequency: ``"QS"`` (quarters), ``"MS"``
        (months) or ``"YS"`` (years).

    Returns
    -------
    DataFrame
        One row per cohort, indexed by ``cohort`` (the first day of the period of
        acquisition), and one column per number of periods since acquisition (0, 1,
        2, ...), each cell a count of customers (``<NA>`` where not seen yet).

    Examples
    --------
    The hand-worked case above:

    >>> import pandas as pd
    >>> purchases = pd.DataFrame({
    ...     "customer_id": [1, 2, 1, 3, 2, 3],
    ...     "date": ["2025-01-10", "2025-02-01", "2025-04-01", "2025-05-05", "2025-07-07", "2025-08-08"],
    ...     "amount": [10.0, 20.0, 10.0, 30.0, 20.0, 30.0],
    ... })
    >>> cohort_counts(purchases)
    periods_since_acquisition  0  1     2
    cohort
    2025-01-01                 2  1     1
    2025-04-01                 1  1  <NA>
    """
    data = check_transactions(transactions, ["customer_id", "date"])
    dates = data["date"].dt.normalize()
    starts = periods.calendar(periods.offset(freq).rollback(dates.min()), dates.max(), freq)
    # Each purchase belongs to the last period that starts on or before its date, numbered 0, 1, 2, ...
    period = pd.Series(
        np.searchsorted(starts.to_numpy(), dates.to_numpy(), side="right") - 1, index=data.index
    )
    cohort = period.groupby(data["customer_id"]).transform("min")
    since = period - cohort
    buyers = (
        pd.DataFrame({"cohort": cohort.to_numpy(), "since": since.to_numpy(),
                      "customer_id": data["customer_id"].to_numpy()})
        .drop_duplicates()
        .groupby(["cohort", "since"])
        .size()
        .unstack("since", fill_value=0)
    )
    last = len(starts) - 1
    columns = pd.RangeIndex(last + 1 - int(buyers.index.min()), name="periods_since_acquisition")
    buyers = buyers.reindex(columns=columns, fill_value=0).astype("Int64")
    # A cell is seen only if its period (cohort + k) is on or before the last period.
    unseen = (buyers.index.to_numpy()[:, None] + columns.to_numpy()[None, :]) > last
    buyers = buyers.mask(unseen)
    buyers.index = pd.DatetimeIndex(starts[buyers.index.to_numpy()], name="cohort")
    buyers.attrs["freq"] = freq  # so a figure can say "quarters" rather than "periods"
    return buyers


def cohort_retention(transactions: pd.DataFrame, freq: str = "QS") -> pd.DataFrame:
    r"""Share of each acquisition cohort's customers who buy in each period after it.

    The cohort counts (:func:`cohort_counts`, same ``transactions`` and ``freq``) divided
    by each cohort's size, column 0: for cohort :math:`c` and :math:`k` periods after it,

    .. math:: \text{retention}_{c,k} = \frac{\text{customers of cohort } c \text{ who buy in period } c + k}
              {\text{customers acquired in period } c},

    a number from 0 to 1; column 0 is always 1.0. Unseen cells (periods after the data
    end) are NaN. Unlike the period-to-period retention of
    :func:`customering_utils.activity.period_retention`, each cohort is compared with
    its own size at acquisition, so a customer who skips a period and comes back counts
    again when they return.

    With the purchases of the :func:`cohort_counts` example: of the Q1 2025 cohort's two
    customers, one buys in each of the next two quarters.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with columns ``customer_id`` and ``date``; other columns
        (such as ``amount``, US dollars) are ignored.
    freq : str, default "QS"
        The length of a period, as a pandas frequency: ``"QS"`` (quarters), ``"MS"``
        (months) or ``"YS"`` (years).

    Returns
    -------
    DataFrame
        Shaped like :func:`cohort_counts`' table, each cell the share of the cohort who
        bought in that period, from 0 to 1 (NaN where not seen yet).

    Examples
    --------
    The purchases of the :func:`cohort_counts` example:

    >>> import pandas as pd
    >>> purchases = pd.DataFrame({
    ...     "customer_id": [1, 2, 1, 3, 2, 3],
    ...     "date": ["2025-01-10", "2025-02-01", "2025-04-01", "2025-05-05", "2025-07-07", "2025-08-08"],
    ...     "amount": [10.0, 20.0, 10.0, 30.0, 20.0, 30.0],
    ... })
    >>> cohort_retention(purchases)
    periods_since_acquisition    0    1    2
    cohort
    2025-01-01                 1.0  0.5  0.5
    2025-04-01                 1.0  1.0  NaN
    """
    counts = cohort_counts(transactions, freq).astype("float64")
    shares = counts.div(counts[0], axis=0)
    shares.attrs["freq"] = freq
    return shares


def cohort_intervals(counts: pd.DataFrame, cohorts: list | None = None, confidence: float = 0.95) -> pd.DataFrame:
    """Each cohort's share buying in each period after acquisition, with its Wilson interval.

    ``counts`` is a table of :func:`cohort_counts`: one row per cohort, column 0 its
    size, column ``k`` how many of its customers bought ``k`` periods after acquisition
    (``<NA>`` where not seen yet). For every seen cell from period 1 on (period 0 is the
    whole cohort by definition), the share ``buyers / customers`` and its interval from
    :func:`customering_utils.intervals.proportion` (Wilson 1927): the range that would
    hold the cohort's true share in 95% of samples (for ``confidence=0.95``). Two
    cohorts whose intervals overlap widely may differ by chance alone.

    Hand-worked: a cohort of 4 customers, 3 of whom buy one period later, has a share of
    0.75 and a 95% interval from 0.301 to 0.954: four customers say little.

    Parameters
    ----------
    counts : DataFrame
        Counts of customers, cohorts by periods since acquisition: the output of
        :func:`cohort_counts` (not of :func:`cohort_retention`, which holds shares).
    cohorts : list, optional
        The cohorts (row labels of ``counts``, such as ``"2024-01-01"``) to compute;
        ``None`` (the default) computes every cohort. Each interval takes a few
        milliseconds, so a monthly table of three years is quicker cohort by cohort.
    confidence : float, default 0.95
        The level of the intervals, a share between 0 and 1.

    Returns
    -------
    DataFrame
        One row per seen cell from period 1 on, indexed by ``cohort`` and
        ``periods_since_acquisition``, with ``customers`` (the cohort's size),
        ``buyers`` (how many bought that period), ``share`` (from 0 to 1) and ``lower``
        and ``upper`` (the ends of its interval).

    Examples
    --------
    The hand-worked case, and a second period not seen yet:

    >>> import pandas as pd
    >>> counts = pd.DataFrame({0: [4], 1: [3], 2: [pd.NA]}, index=pd.DatetimeIndex(["2025-01-01"], name="cohort"),
    ...                       dtype="Int64")
    >>> cohort_intervals(counts).round(3)
                                          customers  buyers  share  lower  upper
    cohort     periods_since_acquisition
    2025-01-01 1                                  4       3   0.75  0.301  0.954
    """
    from . import intervals

    if not isinstance(counts, pd.DataFrame):
        raise TypeError(f"counts should be a pandas DataFrame from cohort_counts(transactions), got {type(counts).__name__}")
    if counts.empty or 0 not in counts.columns:
        raise ValueError("counts should have one row per cohort and a column 0 (the cohort sizes): use cohort_counts(transactions)")
    numbers = counts.astype("float64")
    seen = numbers.to_numpy()[~np.isnan(numbers.to_numpy())]
    sizes = numbers[0]
    if (seen < 0).any() or (seen != np.round(seen)).any() or sizes.isna().any() or (sizes < 1).any():
        raise ValueError(
            "counts should hold whole numbers of customers, with every cohort's size (column 0) at least 1; "
            "pass cohort_counts(...), not cohort_retention(...)"
        )
    if (numbers.gt(sizes, axis=0)).any().any():
        raise ValueError("counts has a period with more buyers than the cohort has customers; expected cohort_counts(...)")
    if cohorts is None:
        picked = list(counts.index)
    else:
        picked = [pd.Timestamp(cohort) if isinstance(counts.index, pd.DatetimeIndex) else cohort for cohort in cohorts]
        missing = [cohort for cohort in picked if cohort not in counts.index]
        if missing:
            raise ValueError(f"cohorts {missing!r} are not rows of counts (its first row is {counts.index[0]!r})")
    rows = []
    for cohort in picked:
        size = int(sizes[cohort])
        for period in counts.columns[1:]:
            buyers = numbers.loc[cohort, period]
            if not np.isnan(buyers):
                interval = intervals.proportion(int(buyers), size, confidence)
                rows.append((cohort, period, size, int(buyers), interval.estimate, interval.lower, interval.upper))
    columns = ["cohort", "periods_since_acquisition", "customers", "buyers", "share", "lower", "upper"]
    kinds = {"customers": "int64", "buyers": "int64", "share": "float64", "lower": "float64", "upper": "float64"}
    table = pd.DataFrame(rows, columns=columns).astype(kinds).set_index(columns[:2])
    table.attrs["freq"] = counts.attrs.get("freq")
    return table

"""The course's figures, drawn one way everywhere: titled, labelled with units, colour-blind safe.

Each function takes an optional matplotlib ``ax`` to draw into (a new figure is made if
it is ``None``) and returns the ``Axes``, so you can add to it or change its title.
matplotlib is imported inside the functions, so ``import customering_utils`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .concentration import gini, lorenz_curve

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["PALETTE", "lorenz", "active_customers", "retention_heatmap"]

#: The Okabe-Ito palette (Okabe and Ito 2008), distinguishable with every common form of
#: colour blindness. Every figure of the course takes its colours from here.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}


def lorenz(values: ArrayLike, ax: Axes | None = None) -> Axes:
    """Draw the Lorenz curve of ``values`` (one per customer), the equality diagonal, and the Gini in the title.

    The horizontal axis is the share of customers, smallest first (%); the vertical axis
    the share of revenue they hold (%). See :func:`customering_utils.concentration.lorenz_curve`.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = lorenz([0, 0, 0, 10])
    >>> ax.get_title()
    'Lorenz curve of revenue (Gini 0.75)'
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('share of customers (%)', 'share of revenue (%)')
    """
    curve = lorenz_curve(values)
    coefficient = gini(values)
    ax = _axes(ax, figsize=(5.5, 5.5))
    x, y = 100 * curve["customer_share"], 100 * curve["revenue_share"]
    ax.plot([0, 100], [0, 100], color=PALETTE["grey"], linestyle="--", linewidth=1.2,
            label="equality: every customer the same")
    ax.fill_between(x, y, x, color=PALETTE["sky_blue"], alpha=0.3, linewidth=0)
    ax.plot(x, y, color=PALETTE["blue"], linewidth=2, label="customers, smallest first")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_aspect("equal")
    ax.set_xlabel("share of customers (%)")
    ax.set_ylabel("share of revenue (%)")
    ax.set_title(f"Lorenz curve of revenue (Gini {coefficient:.2f})")
    ax.legend(loc="upper left", frameon=False)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    return ax


def active_customers(series: pd.Series, ax: Axes | None = None) -> Axes:
    """Draw a count of active customers over time, such as the output of ``activity.active_customers``.

    ``series`` holds whole numbers of customers, indexed by date.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> counts = pd.Series([120, 150, 170], index=pd.date_range("2025-01-31", periods=3, freq="ME"))
    >>> ax = active_customers(counts)
    >>> ax.get_ylabel(), float(ax.get_ylim()[0])
    ('active customers (count)', 0.0)
    """
    if not isinstance(series, pd.Series):
        raise TypeError(
            f"series should be a pandas Series of customer counts indexed by date, got {type(series).__name__}"
        )
    if not isinstance(series.index, pd.DatetimeIndex):
        raise TypeError(f"series should be indexed by date (a DatetimeIndex), got a {type(series.index).__name__}")
    if len(series) == 0 or not pd.api.types.is_numeric_dtype(series) or series.isna().any():
        raise ValueError("series should hold at least one count of customers, with no missing values")
    from matplotlib.ticker import StrMethodFormatter

    ax = _axes(ax, figsize=(8, 4))
    ax.plot(series.index, series.to_numpy(dtype=float), color=PALETTE["blue"], linewidth=2,
            label=str(series.name or "active customers").replace("_", " "))
    ax.set_ylim(0, max(float(np.max(series.to_numpy(dtype=float))) * 1.08, 1.0))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel("date")
    ax.set_ylabel("active customers (count)")
    ax.set_title("Active customers over time")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    return ax


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """``ax`` itself, or the axes of a new figure of ``figsize`` inches."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def retention_heatmap(matrix: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Draw a cohort retention matrix as a heat map: one row per cohort, one column per period since acquisition.

    ``matrix`` holds shares from 0 to 1, such as the output of
    :func:`customering_utils.rfm.cohort_retention`: rows are acquisition cohorts (indexed
    by the first day of the period), columns are periods since acquisition (0, 1, 2,
    ...), and missing values (NaN) are cells not seen yet, left blank. Each cell is
    coloured, and written, as a percentage of the cohort. The colour map is ``cividis``,
    readable with every common form of colour blindness and in grey. The colour scale
    runs from 0 to the highest share after acquisition (column 1 onwards), rounded up to
    the next 10%, so differences between cohorts show; column 0, 100% by definition,
    takes the top colour. Axis labels name the period ("quarters") when the matrix
    comes from ``cohort_retention`` or its cohorts are year, quarter or month starts.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> matrix = pd.DataFrame(
    ...     [[1.0, 0.5, 0.25], [1.0, 0.4, float("nan")]],
    ...     index=pd.DatetimeIndex(["2025-01-01", "2025-04-01"], name="cohort"),
    ... )
    >>> ax = retention_heatmap(matrix)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('periods since acquisition (quarters)', 'acquisition cohort (quarter of first purchase)')
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['2025 Q1', '2025 Q2']
    >>> ax.images[0].colorbar.ax.get_ylabel()
    '% of cohort buying'
    """
    if not isinstance(matrix, pd.DataFrame):
        raise TypeError(
            f"matrix should be a pandas DataFrame of shares (cohorts by periods since acquisition), "
            f"got {type(matrix).__name__}; use rfm.cohort_retention(transactions)"
        )
    if matrix.size == 0:
        raise ValueError("matrix is empty; expected at least one cohort and one period")
    try:
        shares = matrix.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as error:
        raise ValueError("matrix should hold numbers: shares of each cohort from 0 to 1") from error
    seen = shares[~np.isnan(shares)]
    if seen.size == 0:
        raise ValueError("matrix has no values, only NaN; expected shares of each cohort from 0 to 1")
    if (seen < 0).any() or (seen > 1).any():
        raise ValueError(
            "matrix should hold shares of each cohort from 0 to 1 (NaN for cells not seen yet); "
            f"got values from {seen.min():g} to {seen.max():g}. Pass cohort_retention(...), not cohort_counts(...)"
        )
    import matplotlib

    percent = 100 * shares
    later = percent[:, 1:][~np.isnan(percent[:, 1:])]
    top = min(100.0, max(10.0, 10 * np.ceil(later.max() / 10))) if later.size else 100.0
    unit, labels = _period_names(matrix)
    n_rows, n_columns = percent.shape
    ax = _axes(ax, figsize=(max(6.0, 0.6 * n_columns + 3), max(3.5, 0.4 * n_rows + 1.5)))
    colours = matplotlib.colormaps["cividis"].with_extremes(bad="white")  # unseen cells: blank
    image = ax.imshow(np.ma.masked_invalid(percent), cmap=colours, vmin=0, vmax=top, aspect="auto",
                      interpolation="nearest")
    colorbar = ax.figure.colorbar(image, ax=ax, extend="max" if top < 100 else "neither")
    colorbar.set_label("% of cohort buying")
    if n_rows * n_columns <= 400:
        for (row, column), value in np.ndenumerate(percent):
            if not np.isnan(value):
                # cividis is dark at the bottom and light at the top: white text below the middle.
                dark = min(value, top) / top < 0.5
                ax.text(column, row, f"{value:.0f}", ha="center", va="center", fontsize=8,
                        color="white" if dark else "black")
    ax.set_xticks(range(n_columns), [str(column) for column in matrix.columns])
    ax.set_yticks(range(n_rows), labels)
    ax.set_xlabel(f"periods since acquisition ({unit}s)" if unit else "periods since acquisition")
    ax.set_ylabel(f"acquisition cohort ({unit} of first purchase)" if unit else "acquisition cohort")
    ax.set_title("Cohort retention: % of each cohort buying, by periods since acquisition")
    return ax


def _period_names(matrix: pd.DataFrame) -> tuple[str, list[str]]:
    """The name of the matrix's period ("quarter", or "" if unknown) and a label for each cohort."""
    index = matrix.index
    if not isinstance(index, pd.DatetimeIndex):
        return "", [str(cohort) for cohort in index]
    freq = str(matrix.attrs.get("freq", "")).upper()
    firsts = bool((index.day == 1).all())
    if freq[:1] == "Y" or freq[:1] == "A" or (not freq and firsts and (index.month == 1).all()):
        return "year", [f"{cohort:%Y}" for cohort in index]
    if freq[:1] == "Q" or (not freq and firsts and index.month.isin([1, 4, 7, 10]).all()):
        return "quarter", [f"{cohort.year} Q{cohort.quarter}" for cohort in index]
    if freq[:1] == "M" or (not freq and firsts):
        return "month", [f"{cohort:%Y-%m}" for cohort in index]
    if freq[:1] == "W":
        return "week", [f"{cohort:%Y-%m-%d}" for cohort in index]
    if freq[:1] == "D":
        return "day", [f"{cohort:%Y-%m-%d}" for cohort in index]
    return "", [f"{cohort:%Y-%m-%d}" for cohort in index]


# ---- Module 1, lessons 1b and 1c: one customer's history --------------------------------


def purchase_timeline(purchases: pd.Series, ax: Axes | None = None, end: str | pd.Timestamp | None = None) -> Axes:
    """Draw one customer's purchases as stems: one per purchase day, as tall as what they spent that day.

    ``purchases`` holds amounts in US dollars, indexed by date (a ``DatetimeIndex``),
    such as ``transactions.set_index("date")["amount"]`` for one customer. Purchases on
    the same day are drawn as one stem with their amounts added, as the BG/NBD model
    counts them. ``end``, if given, is the last day observed: the horizontal axis runs
    to it and a dashed line marks it.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> bought = pd.Series([20.0, 5.0, 30.0], index=pd.to_datetime(["2025-01-01", "2025-01-01", "2025-03-01"]))
    >>> ax = purchase_timeline(bought, end="2025-06-30")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('date', 'spent that day (US$)')
    >>> [float(y) for y in ax.get_lines()[0].get_ydata()]   # the two purchase days, same-day amounts added
    [25.0, 30.0]
    """
    days = _purchase_days(purchases)
    ax = _axes(ax, figsize=(8, 2.8))
    ax.vlines(days.index, 0, days.to_numpy(), color=PALETTE["blue"], linewidth=1.5)
    ax.plot(days.index, days.to_numpy(), "o", color=PALETTE["blue"], markersize=4,
            label=f"{len(days):,} purchase day{'s' if len(days) != 1 else ''}")
    if end is not None:
        end = pd.Timestamp(end)
        ax.axvline(end, color=PALETTE["grey"], linestyle="--", linewidth=1, label=f"today, {end:%Y-%m-%d}")
        ax.set_xlim(days.index.min() - pd.Timedelta(days=7), end + pd.Timedelta(days=7))
    ax.set_ylim(0, max(float(days.max()) * 1.15, 1.0))
    _concise_dates(ax)
    ax.set_xlabel("date")
    ax.set_ylabel("spent that day (US$)")
    ax.set_title("Purchases")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    ax.grid(True, axis="y", color="#dddddd", linewidth=0.6)
    return ax


def p_alive_path(p_alive: pd.Series, ax: Axes | None = None) -> Axes:
    """Draw how a customer's P(alive) moved over time: the model's answer at each date, from what was known then.

    ``p_alive`` holds probabilities from 0 to 1 indexed by date, for example
    ``model.p_alive(history)`` for a ``history`` from
    :func:`customering_utils.widgets.history_by_week`. The line falls while the
    customer is silent and jumps back up when they buy.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> path = pd.Series([1.0, 0.8, 0.5], index=pd.date_range("2025-01-01", periods=3, freq="7D"))
    >>> ax = p_alive_path(path)
    >>> ax.get_ylabel(), [float(y) for y in ax.get_ylim()]
    ('P(alive) (probability)', [0.0, 1.05])
    """
    if not isinstance(p_alive, pd.Series) or not isinstance(p_alive.index, pd.DatetimeIndex):
        raise TypeError("p_alive should be a pandas Series of probabilities indexed by date (a DatetimeIndex)")
    values = p_alive.to_numpy(dtype=float)
    if len(values) == 0 or np.isnan(values).any() or (values < 0).any() or (values > 1).any():
        raise ValueError("p_alive should hold at least one probability, each from 0 to 1, with no missing values")
    ax = _axes(ax, figsize=(8, 2.8))
    ax.plot(p_alive.index, values, color=PALETTE["vermillion"], linewidth=2,
            label=f"P(alive) on the last day: {values[-1]:.2f}")
    ax.set_ylim(0.0, 1.05)
    _concise_dates(ax)
    ax.set_xlabel("date")
    ax.set_ylabel("P(alive) (probability)")
    ax.set_title("P(alive), as the model would have said on each day")
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    return ax


def _concise_dates(ax: Axes) -> None:
    """Short date labels on the horizontal axis ("2025", "Apr", "Jul"), so they do not crowd."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _purchase_days(purchases: pd.Series) -> pd.Series:
    """``purchases`` (amounts by date) checked, with same-day amounts added: one row per purchase day."""
    if not isinstance(purchases, pd.Series) or not isinstance(purchases.index, pd.DatetimeIndex):
        raise TypeError("purchases should be a pandas Series of amounts (US dollars) indexed by date (a DatetimeIndex)")
    amounts = purchases.to_numpy(dtype=float)
    if len(amounts) == 0 or np.isnan(amounts).any() or (amounts < 0).any():
        raise ValueError("purchases should hold at least one amount, each at least 0 US dollars, with no missing values")
    return purchases.groupby(purchases.index.normalize()).sum().sort_index()


__all__ += ["purchase_timeline", "p_alive_path"]

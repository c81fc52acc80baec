"""Figures of the active customer base: over time, and against the truth for several activity windows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["active_customers", "window_errors"]


def active_customers(series: pd.Series, ax: Axes | None = None) -> Axes:
    """Draw a count of active customers over time, such as the output of ``activity.active_customers``.

    ``series`` holds whole numbers of customers, indexed by date.

    Parameters
    ----------
    series : Series
        Active customers (a count) on each date, indexed by date (a ``DatetimeIndex``),
        with no missing values.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: dates across, active customers (a count) up, from 0.

    Examples
    --------
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

    ax = new_axes(ax, figsize=(8, 4))
    ax.plot(series.index, series.to_numpy(dtype=float), color=PALETTE["blue"], linewidth=2,
            label=str(series.name or "active customers").replace("_", " "))
    ax.set_ylim(0, max(float(np.max(series.to_numpy(dtype=float))) * 1.08, 1.0))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel("date")
    ax.set_ylabel("active customers (count)")
    ax.set_title("Active customers over time")
    add_grid(ax)
    return ax


def window_errors(table: pd.DataFrame, window: int | None = None, ax: Axes | None = None) -> Axes:
    """Draw, against the activity window, the customers counted active, the truth, and the two errors.

    ``table`` is the output of :func:`customering_utils.activity.window_errors`: one row
    per window (days). Four lines of customers (counts): active by the rule (blue), truly
    still customers (black, dashed), counted active but already gone (vermillion) and
    still customers missed by the rule (orange). ``window``, if given, is marked by a
    grey vertical line with a dot on each line.

    Parameters
    ----------
    table : DataFrame
        Indexed by ``window_days``, with columns ``active``, ``still_customers``,
        ``counted_but_gone`` and ``missed`` (counts of customers), as
        ``activity.window_errors`` returns; ``attrs["on"]``, if set, names the day in
        the title.
    window : int, optional
        A window to mark, in days (one of the table's rows); ``None`` (the default)
        marks none.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: activity window (days) across, customers (a count) up, from 0.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"active": [2, 3], "still_customers": [2, 2], "counted_but_gone": [1, 1],
    ...                       "missed": [1, 0]}, index=pd.Index([31, 60], name="window_days"))
    >>> ax = window_errors(table, window=31)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('activity window (days)', 'customers (count)')
    >>> [line.get_label() for line in ax.get_lines()[:4]]
    ['counted active', 'truly still customers', 'counted active but already gone', 'still customers counted inactive']
    """
    from ..tables import require_columns

    columns = ["active", "still_customers", "counted_but_gone", "missed"]
    require_columns(table, columns, table="table")
    if len(table) == 0 or table[columns].isna().any().any():
        raise ValueError("table should hold at least one window, with no missing counts")
    if window is not None and window not in table.index:
        raise ValueError(f"window should be one of the table's windows (days), got {window!r}")
    from matplotlib.ticker import StrMethodFormatter

    ax = new_axes(ax, figsize=(8, 4))
    days = table.index.to_numpy(dtype=float)
    lines = (("active", "counted active", PALETTE["blue"], "-"),
             ("still_customers", "truly still customers", PALETTE["black"], "--"),
             ("counted_but_gone", "counted active but already gone", PALETTE["vermillion"], "-"),
             ("missed", "still customers counted inactive", PALETTE["orange"], "-"))
    for column, label, colour, style in lines:
        ax.plot(days, table[column].to_numpy(dtype=float), color=colour, linestyle=style, linewidth=2, label=label)
    if window is not None:
        ax.axvline(window, color=PALETTE["grey"], linestyle=":", linewidth=1.5)
        for column, _, colour, _ in lines:
            ax.plot([window], [float(table.loc[window, column])], "o", color=colour, markersize=6)
    ax.set_ylim(0, max(float(table[columns].to_numpy(dtype=float).max()) * 1.3, 1.0))  # room for the legend
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel("activity window (days)")
    ax.set_ylabel("customers (count)")
    on = table.attrs.get("on")
    ax.set_title("Active by the rule against the truth" + (f", {on:%d %B %Y}" if on is not None else ""))
    ax.legend(loc="upper center", ncols=2, frameon=False, fontsize=8)
    add_grid(ax)
    return ax

"""Figures of the active customer base over time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["active_customers"]


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

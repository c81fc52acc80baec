"""Figures of one customer's purchases and of what a purchase model says about them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import PALETTE, add_grid, concise_dates, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["purchase_timeline", "p_alive_path"]


def purchase_timeline(purchases: pd.Series, ax: Axes | None = None, end: str | pd.Timestamp | None = None) -> Axes:
    """Draw one customer's purchases as stems: one per purchase day, as tall as what they spent that day.

    ``purchases`` holds amounts in US dollars, indexed by date (a ``DatetimeIndex``),
    such as ``transactions.set_index("date")["amount"]`` for one customer. Purchases on
    the same day are drawn as one stem with their amounts added, as the BG/NBD model
    counts them. ``end``, if given, is the last day observed: the horizontal axis runs
    to it and a dashed line marks it.

    Parameters
    ----------
    purchases : Series
        One customer's purchase amounts, US dollars (each at least 0), indexed by date
        (a ``DatetimeIndex``).
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    end : str or Timestamp, optional
        The last day observed, such as ``"2025-06-30"``; ``None`` (the default) draws no
        line and lets the axis fit the purchases.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: dates across, US dollars spent each purchase day up.

    Examples
    --------
    Two purchases on 1 January (drawn as one stem of $25) and one on 1 March:

    >>> import pandas as pd
    >>> bought = pd.Series([20.0, 5.0, 30.0], index=pd.to_datetime(["2025-01-01", "2025-01-01", "2025-03-01"]))
    >>> ax = purchase_timeline(bought, end="2025-06-30")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('date', 'spent that day (US$)')
    >>> [float(y) for y in ax.get_lines()[0].get_ydata()]   # the two purchase days, same-day amounts added
    [25.0, 30.0]
    """
    days = _purchase_days(purchases)
    ax = new_axes(ax, figsize=(8, 2.8))
    ax.vlines(days.index, 0, days.to_numpy(), color=PALETTE["blue"], linewidth=1.5)
    ax.plot(days.index, days.to_numpy(), "o", color=PALETTE["blue"], markersize=4,
            label=f"{len(days):,} purchase day{'s' if len(days) != 1 else ''}")
    if end is not None:
        end = pd.Timestamp(end)
        ax.axvline(end, color=PALETTE["grey"], linestyle="--", linewidth=1, label=f"today, {end:%Y-%m-%d}")
        ax.set_xlim(days.index.min() - pd.Timedelta(days=7), end + pd.Timedelta(days=7))
    ax.set_ylim(0, max(float(days.max()) * 1.15, 1.0))
    concise_dates(ax)
    ax.set_xlabel("date")
    ax.set_ylabel("spent that day (US$)")
    ax.set_title("Purchases")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    add_grid(ax, axis="y")
    return ax


def p_alive_path(p_alive: pd.Series, ax: Axes | None = None) -> Axes:
    """Draw how a customer's P(alive) moved over time: the model's answer at each date, from what was known then.

    ``p_alive`` holds probabilities from 0 to 1 indexed by date, for example
    ``model.p_alive(history)`` for a ``history`` from
    :func:`customering_utils.widgets.history_by_week`. The line falls while the
    customer is silent and jumps back up when they buy.

    Parameters
    ----------
    p_alive : Series
        Probabilities that the customer is alive, each from 0 to 1, indexed by date (a
        ``DatetimeIndex``), with no missing values.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: dates across, P(alive) (a probability from 0 to 1) up.

    Examples
    --------
    Three weeks without a purchase:

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
    ax = new_axes(ax, figsize=(8, 2.8))
    ax.plot(p_alive.index, values, color=PALETTE["vermillion"], linewidth=2,
            label=f"P(alive) on the last day: {values[-1]:.2f}")
    ax.set_ylim(0.0, 1.05)
    concise_dates(ax)
    ax.set_xlabel("date")
    ax.set_ylabel("P(alive) (probability)")
    ax.set_title("P(alive), as the model would have said on each day")
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    add_grid(ax)
    return ax


def _purchase_days(purchases: pd.Series) -> pd.Series:
    """``purchases`` (amounts by date) checked, with same-day amounts added: one row per purchase day."""
    if not isinstance(purchases, pd.Series) or not isinstance(purchases.index, pd.DatetimeIndex):
        raise TypeError("purchases should be a pandas Series of amounts (US dollars) indexed by date (a DatetimeIndex)")
    amounts = purchases.to_numpy(dtype=float)
    if len(amounts) == 0 or np.isnan(amounts).any() or (amounts < 0).any():
        raise ValueError("purchases should hold at least one amount, each at least 0 US dollars, with no missing values")
    return purchases.groupby(purchases.index.normalize()).sum().sort_index()

"""Figures of the hand-over: what happens to new customers in their first days, channel by channel.

Module 4's lesson c follows each acquisition channel's customers through their first 90
days (acquisition handing over to service): the share who make a second purchase, raise a
ticket, and have their first ticket handled badly, each with its Wilson interval.

- :func:`first_days_funnel`: those shares, one row of points per measure, one colour per
  channel, with their intervals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["CHANNEL_COLOURS", "MEASURE_LABELS", "first_days_funnel"]

#: One colour per acquisition channel (and grey for all channels together), the same in every figure.
CHANNEL_COLOURS = {"search": "blue", "social": "orange", "display": "vermillion", "partner": "green",
                   "referral": "purple", "all channels": "grey"}
#: What each measure of the first days means, as the figure labels it.
MEASURE_LABELS = {"second_purchase": "made a second purchase", "ticket": "raised a ticket",
                  "handled_badly": "first ticket handled badly"}
COLUMNS = ("measure", "channel", "share", "lower", "upper")


def first_days_funnel(table: pd.DataFrame, ax: Axes | None = None, days: int = 90,
                      title: str | None = None) -> Axes:
    """Shares of new customers by measure and channel, each a point with its interval.

    One horizontal row per measure (in the order they first appear in ``table``, top to
    bottom), one colour per channel (:data:`CHANNEL_COLOURS`), the channels' points set
    slightly apart within a row. Shares are drawn as percentages of the customers
    acquired.

    Parameters
    ----------
    table : DataFrame
        One row per measure and channel, with columns ``measure`` (a key of
        :data:`MEASURE_LABELS` or any label), ``channel``, ``share``, ``lower`` and
        ``upper`` (shares from 0 to 1, ``lower <= share <= upper``), as
        :func:`customering_utils.widgets.hand_over.first_days_by_channel` returns.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if ``None``.
    days : int, default 90
        The length of the window, for the title and the axis label.
    title : str, optional
        The title; by default it names the window and the intervals.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"measure": ["second_purchase", "second_purchase"], "channel": ["search", "referral"],
    ...                       "share": [0.51, 0.66], "lower": [0.49, 0.63], "upper": [0.53, 0.69]})
    >>> ax = first_days_funnel(table)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['search', 'referral']
    >>> [round(float(x), 1) for x in ax.containers[1].lines[0].get_xdata()]   # referral, in %
    [66.0]
    """
    data = _check(table)
    ax = new_axes(ax, figsize=(7.5, 4.2))
    measures = list(dict.fromkeys(data["measure"]))
    channels = list(dict.fromkeys(data["channel"]))
    shifts = np.linspace(-0.3, 0.3, len(channels)) if len(channels) > 1 else np.zeros(1)
    rows = {measure: len(measures) - 1 - number for number, measure in enumerate(measures)}  # first on top
    for number, channel in enumerate(channels):
        part = data[data["channel"] == channel]
        y = np.array([rows[m] for m in part["measure"]], dtype=float) - shifts[number]
        share, lower, upper = (100 * part[column].to_numpy(dtype=float) for column in ("share", "lower", "upper"))
        colour = PALETTE[CHANNEL_COLOURS.get(channel, "black")]
        ax.errorbar(share, y, xerr=[share - lower, upper - share], fmt="o", markersize=5, color=colour, ecolor=colour,
                    elinewidth=1.5, capsize=3, label=str(channel))
    ax.set_yticks(list(rows.values()), [MEASURE_LABELS.get(m, str(m)) for m in rows])
    ax.set_ylim(-0.6, len(measures) - 0.4)
    ax.set_xlim(0, max(100.0, float(np.ceil(100 * data["upper"].max() / 10) * 10)))
    ax.set_xlabel(f"share of customers acquired, within {days} days (%)")
    ax.set_ylabel("measure")
    ax.set_title(title or f"The first {days} days by acquisition channel (95% Wilson intervals)")
    add_grid(ax, axis="x")
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    return ax


def _check(table: object) -> pd.DataFrame:
    """``table`` with its columns checked; clear errors otherwise."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table should be a pandas DataFrame, got {type(table).__name__}")
    missing = [column for column in COLUMNS if column not in table.columns]
    if missing:
        raise ValueError(f"table is missing columns {missing}; expected {list(COLUMNS)}")
    if table.empty:
        raise ValueError("table has no rows; expected one row per measure and channel")
    share, lower, upper = (table[column].to_numpy(dtype=float) for column in ("share", "lower", "upper"))
    if np.any(~np.isfinite(share)) or np.any(share < 0) or np.any(share > 1):
        raise ValueError("table column 'share' should hold shares from 0 to 1")
    if np.any(lower > share) or np.any(share > upper):
        raise ValueError("every row of table should have lower <= share <= upper")
    return table

"""Figures of targeting: how much true value each way of choosing customers reaches, and the gap between two ways.

Both take the value reached over many resamples of the customers (one row per resample,
one column per number of customers contacted) and draw the mean over the resamples with
a band holding the middle ``confidence`` of them, so one lucky draw never passes for a
result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["value_reached", "value_gap"]

#: The colours of the ways of choosing, in the order they are given.
COLOURS = ("blue", "orange", "purple", "grey", "green", "sky_blue", "vermillion", "black")


def value_reached(reached: dict[str, pd.DataFrame], ax: Axes | None = None, confidence: float = 0.95,
                  value_label: str = "true value reached (US$)") -> Axes:
    """Draw the value each way of choosing reaches against the number of customers contacted, with its band.

    ``reached`` maps the name of each way of choosing (such as ``"one by one"``) to a
    table with one row per resample of the customers and one column per number of
    customers contacted (whole numbers, smallest first), holding the value reached in US
    dollars. Each way gets a line at the mean over the resamples and a shaded band
    between the percentiles that leave ``(1 - confidence) / 2`` of the resamples on each
    side.

    Parameters
    ----------
    reached : dict of str to DataFrame
        ``{name: table}``; every table has the same columns (customers contacted,
        positive whole numbers in increasing order), at least 2 rows (resamples) and only
        finite values (US dollars).
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    confidence : float, default 0.95
        The share of the resamples each band holds, between 0 and 1.
    value_label : str, default "true value reached (US$)"
        The label of the vertical axis, with its unit.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: customers contacted (count) across, the value reached (US
        dollars) up; one line and one band per way of choosing.

    Examples
    --------
    Two ways of choosing, three resamples, 1 or 2 customers contacted:

    >>> import pandas as pd
    >>> sizes = [1, 2]
    >>> reached = {"one by one": pd.DataFrame([[10.0, 15.0], [12.0, 16.0], [11.0, 17.0]], columns=sizes),
    ...            "by segment": pd.DataFrame([[8.0, 14.0], [9.0, 15.0], [7.0, 13.0]], columns=sizes)}
    >>> ax = value_reached(reached)
    >>> [line.get_label() for line in ax.get_lines()]
    ['one by one', 'by segment']
    >>> [float(y) for y in ax.get_lines()[0].get_ydata()]   # the means over the resamples
    [11.0, 16.0]
    >>> ax.get_xlabel()
    'customers contacted (count)'
    """
    tables = _check_reached(reached)
    ax = new_axes(ax, figsize=(7, 4.2))
    for (name, table), colour in zip(tables.items(), _colours(len(tables)), strict=True):
        sizes, mean, low, high = _band(table, confidence)
        ax.fill_between(sizes, low, high, color=colour, alpha=0.2, linewidth=0)
        ax.plot(sizes, mean, color=colour, linewidth=2, label=name)
    _finish(ax, value_label, f"Value reached, mean and {confidence:.0%} band over resamples")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    return ax


def value_gap(gap: pd.DataFrame, ax: Axes | None = None, confidence: float = 0.95,
              label: str = "gap", value_label: str = "gap in value reached (US$)") -> Axes:
    """Draw the gap between two ways of choosing against the number of customers contacted, with its band.

    ``gap`` has one row per resample and one column per number of customers contacted,
    holding the value one way reached minus the value the other reached, in US dollars
    (the difference of two tables of :func:`value_reached`, resample by resample). The
    line is the mean gap over the resamples, the band holds the middle ``confidence`` of
    them, and a dashed line marks no gap: where the band clears it, the gap is not the
    luck of one draw.

    Parameters
    ----------
    gap : DataFrame
        One row per resample (at least 2), one column per number of customers contacted
        (positive whole numbers in increasing order), finite values in US dollars.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    confidence : float, default 0.95
        The share of the resamples the band holds, between 0 and 1.
    label : str, default "gap"
        The legend's name for the line, such as ``"one by one minus by RFM cell"``.
    value_label : str, default "gap in value reached (US$)"
        The label of the vertical axis, with its unit.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: customers contacted (count) across, the gap (US dollars) up.

    Examples
    --------
    >>> import pandas as pd
    >>> gap = pd.DataFrame([[2.0, 1.0], [3.0, 1.0], [4.0, 1.0]], columns=[1, 2])
    >>> ax = value_gap(gap, label="one by one minus by segment")
    >>> [float(y) for y in ax.get_lines()[0].get_ydata()]
    [3.0, 1.0]
    >>> ax.get_ylabel()
    'gap in value reached (US$)'
    """
    table = _check_reached({label: gap})[label]
    ax = new_axes(ax, figsize=(7, 4.2))
    sizes, mean, low, high = _band(table, confidence)
    ax.fill_between(sizes, low, high, color=PALETTE["vermillion"], alpha=0.2, linewidth=0,
                    label=f"middle {confidence:.0%} of the resamples")
    ax.plot(sizes, mean, color=PALETTE["vermillion"], linewidth=2, label=f"{label}, mean")
    ax.axhline(0, color=PALETTE["grey"], linestyle="--", linewidth=1)
    _finish(ax, value_label, f"Gap, mean and {confidence:.0%} band over resamples")
    ax.legend(loc="upper right", frameon=False, fontsize=8)
    return ax


def _check_reached(reached: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``reached`` checked: tables of finite numbers, at least 2 rows, the same increasing whole-number columns."""
    if not isinstance(reached, dict) or not reached:
        raise TypeError("reached should be a dict of {name: DataFrame}, with at least one way of choosing")
    columns = None
    for name, table in reached.items():
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"reached[{name!r}] should be a DataFrame (rows: resamples, columns: customers contacted)")
        sizes = np.asarray(table.columns)
        if (len(sizes) == 0 or not np.issubdtype(sizes.dtype, np.integer) or (sizes < 1).any()
                or (np.diff(sizes) <= 0).any()):
            raise ValueError(f"reached[{name!r}] columns should be numbers of customers contacted: "
                             "positive whole numbers in increasing order")
        if columns is not None and not np.array_equal(sizes, columns):
            raise ValueError(f"reached[{name!r}] has other columns than the first table; "
                             "every way of choosing needs the same numbers of customers contacted")
        columns = sizes
        values = table.to_numpy(dtype=float)
        if len(values) < 2 or not np.isfinite(values).all():
            raise ValueError(f"reached[{name!r}] should hold at least 2 resamples (rows) of finite values")
    return dict(reached)


def _band(table: pd.DataFrame, confidence: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sizes, mean over the rows, and the percentiles leaving (1 - confidence) / 2 of them on each side."""
    if isinstance(confidence, bool) or not 0 < confidence < 1:
        raise ValueError(f"confidence should be a share between 0 and 1 (for example 0.95), got {confidence!r}")
    values = table.to_numpy(dtype=float)
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(values, [tail, 100 - tail], axis=0)
    return np.asarray(table.columns, dtype=float), values.mean(axis=0), low, high


def _colours(n: int) -> list[str]:
    return [PALETTE[COLOURS[i % len(COLOURS)]] for i in range(n)]


def _finish(ax: Axes, value_label: str, title: str) -> None:
    from matplotlib.ticker import StrMethodFormatter

    ax.set_xlabel("customers contacted (count)")
    ax.set_ylabel(value_label)
    ax.set_title(title)
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    add_grid(ax)

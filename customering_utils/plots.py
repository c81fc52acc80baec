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

__all__ = ["PALETTE", "lorenz", "active_customers"]

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

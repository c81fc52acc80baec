"""Figures of how value is spread across customers: the Lorenz curve."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..concentration import gini, lorenz_curve
from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

__all__ = ["lorenz"]


def lorenz(values: ArrayLike, ax: Axes | None = None, measure: str = "revenue") -> Axes:
    """Draw the Lorenz curve of ``values`` (one per customer), the equality diagonal, and the Gini in the title.

    The horizontal axis is the share of customers, smallest first (%); the vertical axis
    the share of the ``measure`` they hold (%). See :func:`customering_utils.concentration.lorenz_curve`.

    Parameters
    ----------
    values : array_like
        One value per customer, at least 0, with a positive total: a list, array or
        Series, such as each customer's revenue in US dollars.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    measure : str, default "revenue"
        What the values are, for the labels and the title (such as ``"purchases"``).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: share of customers (%) across, share of the measure (%) up,
        both from 0 to 100, with the Gini coefficient (0 to 1) in the title.

    Examples
    --------
    One customer of four holds all the revenue:

    >>> ax = lorenz([0, 0, 0, 10])
    >>> ax.get_title()
    'Lorenz curve of revenue (Gini 0.75)'
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('share of customers (%)', 'share of revenue (%)')
    """
    curve = lorenz_curve(values)
    coefficient = gini(values)
    ax = new_axes(ax, figsize=(5.5, 5.5))
    x, y = 100 * curve["customer_share"], 100 * curve["revenue_share"]
    ax.plot([0, 100], [0, 100], color=PALETTE["grey"], linestyle="--", linewidth=1.2,
            label="equality: every customer the same")
    ax.fill_between(x, y, x, color=PALETTE["sky_blue"], alpha=0.3, linewidth=0)
    ax.plot(x, y, color=PALETTE["blue"], linewidth=2, label="customers, smallest first")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_aspect("equal")
    ax.set_xlabel("share of customers (%)")
    ax.set_ylabel(f"share of {measure} (%)")
    ax.set_title(f"Lorenz curve of {measure} (Gini {coefficient:.2f})")
    ax.legend(loc="upper left", frameon=False)
    add_grid(ax)
    return ax

"""Figures of survival: Kaplan-Meier curves of groups of customers, each with its confidence band.

A Kaplan-Meier curve (:func:`customering_utils.survival.kaplan_meier`) is a step
function: the share of a group still "surviving" (here: still a customer) stays flat
between the times at which someone left, and drops at each of them. The figure draws it
as steps, with the band of its interval shaded behind, so two groups can be compared by
eye and their bands show where the gap could be chance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["kaplan_meier_curves"]

#: The colours of the groups' curves, in the order the groups are given.
CURVE_COLOURS = ("blue", "vermillion", "green", "orange", "purple", "sky_blue", "black")
#: The columns a Kaplan-Meier table must have to be drawn.
NEEDED = ("at_risk", "survival", "lower", "upper")


def kaplan_meier_curves(tables: dict[str, pd.DataFrame], ax: Axes | None = None, *, at: float | None = None,
                        time_label: str = "weeks", value_label: str = "share still a customer",
                        title: str | None = None) -> Axes:
    """Draw Kaplan-Meier curves as steps, each with its confidence band shaded behind it.

    ``tables`` maps a group's name (such as ``"resolved"``) to its table from
    :func:`customering_utils.survival.kaplan_meier`: indexed by time, with the number
    ``at_risk`` and the ``survival`` with its band's ``lower`` and ``upper`` ends (shares
    from 0 to 1). Each group gets a step line (the curve stays flat until the next time
    someone leaves) labelled with its number of customers (``at_risk`` at the first
    time), and its band in the same colour, lighter. Every curve starts at 1: when some
    customers left at time 0, it drops there at once. A dotted vertical line marks time
    ``at`` when given, where a reader compares the curves.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``{name: table}``, at least one group; each table as
        :func:`customering_utils.survival.kaplan_meier` returns it, with at least one row.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    at : float, optional
        A time to mark with a vertical line, in the unit of the tables' times.
    time_label : str, default "weeks"
        The label of the horizontal axis, with its unit, such as ``"weeks since the ticket"``.
    value_label : str, default "share still a customer"
        The label of the vertical axis.
    title : str, optional
        The figure's title; by default one naming the method and the band's level (from
        the first table's ``attrs["confidence"]``, 95% if not set).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: time across, the share still a customer (0 to 1) up, one
        step line and one band per group.

    Examples
    --------
    The package's hand-worked case: five customers watched for 2, 3, 3, 5 and 8 weeks,
    two of them still there at the end:

    >>> from customering_utils import survival
    >>> table = survival.kaplan_meier([2, 3, 3, 5, 8], observed=[1, 1, 0, 1, 0])
    >>> ax = kaplan_meier_curves({"five customers": table}, at=4, time_label="weeks since the ticket")
    >>> [line.get_label() for line in ax.get_lines()]
    ['five customers (5 customers)', '_at']
    >>> [round(float(y), 3) for y in ax.get_lines()[0].get_ydata()]
    [1.0, 0.8, 0.6, 0.3, 0.3]
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('weeks since the ticket', 'share still a customer')
    """
    checked = _check_tables(tables)
    ax = new_axes(ax, figsize=(7.5, 4.2))
    for number, (name, table) in enumerate(checked.items()):
        colour = PALETTE[CURVE_COLOURS[number % len(CURVE_COLOURS)]]
        times = table.index.to_numpy(dtype=float)
        shares, lower, upper = (table[column].to_numpy(dtype=float) for column in ("survival", "lower", "upper"))
        if times[0] == 0 and shares[0] < 1:  # some left at time 0: start at 1 and drop at once
            times, shares, lower, upper = np.r_[0.0, times], np.r_[1.0, shares], np.r_[1.0, lower], np.r_[1.0, upper]
        ax.fill_between(times, lower, upper, step="post", color=colour, alpha=0.2, linewidth=0)
        size = int(table["at_risk"].iloc[0])
        ax.step(times, shares, where="post", color=colour, linewidth=2,
                label=f"{name} ({size:,} customer{'s' if size != 1 else ''})")
    if at is not None:
        ax.axvline(float(at), color=PALETTE["black"], linestyle=":", linewidth=1, label="_at")
    level = next(iter(checked.values())).attrs.get("confidence", 0.95)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, None)
    ax.set_xlabel(time_label)
    ax.set_ylabel(value_label)
    ax.set_title(title if title is not None else f"Kaplan-Meier survival, with {level:.0%} bands")
    ax.legend(loc="upper right", frameon=False, fontsize=8)
    add_grid(ax)
    return ax


def _check_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``tables`` checked: a non-empty dict of Kaplan-Meier tables with the columns to draw."""
    if not isinstance(tables, dict) or not tables:
        raise TypeError("tables should be a dict of {name: DataFrame} from survival.kaplan_meier, with at least one group")
    for name, table in tables.items():
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"tables[{name!r}] should be a DataFrame from survival.kaplan_meier, "
                            f"got {type(table).__name__}")
        missing = [column for column in NEEDED if column not in table.columns]
        if missing:
            raise ValueError(f"tables[{name!r}] lacks the columns {missing}; pass the table survival.kaplan_meier returns")
        if table.empty:
            raise ValueError(f"tables[{name!r}] is empty; a group needs at least one customer")
        shares = table[["survival", "lower", "upper"]].to_numpy(dtype=float)
        if not np.all(np.isfinite(shares)) or (shares < 0).any() or (shares > 1).any():
            raise ValueError(f"tables[{name!r}] should hold shares from 0 to 1 in survival, lower and upper")
    return tables

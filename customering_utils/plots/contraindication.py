"""Figures of the contraindication: an experience's effect in two groups of customers, with intervals.

Module 3's lesson c splits an experiment's customers by their service before it (poor
against sound) and compares treated with control *within* each group. These figures draw
the two groups' effects side by side, so a gap between them, and the width of each
interval, can be read at a glance:

- :func:`effects_by_group`: each group's effect at each dose (points with their intervals);
- :func:`effects_by_threshold`: each group's effect as the rule that defines the groups
  moves (lines with their bands).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["GROUP_COLOURS", "effects_by_group", "effects_by_threshold"]

#: The colours of the groups, in turn: the first group (poor service) vermillion, the second blue.
GROUP_COLOURS = ("vermillion", "blue", "green", "orange", "purple", "sky_blue", "black")
#: The vertical axis's label: the effect of an experience on purchases in the data world's 13-week window.
EFFECT_LABEL = "effect: extra purchases per customer in 13 weeks"


def _check_tables(tables: object, columns: tuple[str, ...], what: str) -> dict[str, pd.DataFrame]:
    """``tables`` as a dict of DataFrames, each with ``columns``; clear errors otherwise."""
    if not isinstance(tables, dict) or not tables:
        raise TypeError(f"tables should be a non-empty dict of group name -> DataFrame ({what}), "
                        f"got {type(tables).__name__}")
    if len(tables) > len(GROUP_COLOURS):
        raise ValueError(f"tables has {len(tables)} groups; at most {len(GROUP_COLOURS)} can be drawn")
    for name, table in tables.items():
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"tables[{name!r}] should be a pandas DataFrame, got {type(table).__name__}")
        missing = [column for column in columns if column not in table.columns]
        if missing:
            raise ValueError(f"tables[{name!r}] is missing columns {missing}; expected {list(columns)}")
    return tables


def effects_by_group(tables: dict[str, pd.DataFrame], ax: Axes | None = None,
                     title: str = "The experience's effect by dose, within each group (95% intervals)",
                     ylabel: str = EFFECT_LABEL) -> Axes:
    """Draw each group's effect at each dose as a point with its interval, the groups side by side.

    Each table is what :func:`customering_utils.experiments.dose_response` returns for one
    group of customers: indexed by dose, with ``effect``, ``effect_lower`` and
    ``effect_upper`` (the dose's mean outcome minus dose 0's, and its interval). Dose 0,
    the control, has no effect to draw and is left out. Each group's points are shifted a
    little sideways so the intervals do not hide each other; a line marks no effect.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Group name (the legend's label) -> that group's dose-response table, in the
        order to draw them (colours :data:`GROUP_COLOURS` in turn).
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    title : str, optional
        The figure's title.
    ylabel : str, optional
        The vertical axis's label, with its unit.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: the dose across (experience touches), the effect up, one set
        of points with error bars per group, a line at 0.

    Examples
    --------
    >>> import pandas as pd
    >>> poor = pd.DataFrame({"effect": [0.0, 0.05, 0.02], "effect_lower": [None, -0.3, -0.4],
    ...                      "effect_upper": [None, 0.4, 0.44]}, index=pd.Index([0, 1, 2], name="dose"))
    >>> rest = pd.DataFrame({"effect": [0.0, 0.13, 0.25], "effect_lower": [None, 0.02, 0.13],
    ...                      "effect_upper": [None, 0.24, 0.37]}, index=pd.Index([0, 1, 2], name="dose"))
    >>> ax = effects_by_group({"poor service": poor, "the rest": rest})
    >>> [round(float(y), 2) for y in ax.containers[1].lines[0].get_ydata()]   # the rest, doses 1 and 2
    [0.13, 0.25]
    >>> ax.get_xlabel()
    'dose (experience touches)'
    """
    tables = _check_tables(tables, ("effect", "effect_lower", "effect_upper"), "dose_response tables")
    ax = new_axes(ax, figsize=(7.5, 4.2))
    ax.axhline(0, color=PALETTE["black"], linewidth=1)
    width = 0.25 if len(tables) > 1 else 0.0
    shifts = np.linspace(-width / 2, width / 2, len(tables))
    doses: set[float] = set()
    for number, (name, table) in enumerate(tables.items()):
        treated = table[np.asarray(table.index, dtype=float) > 0]
        dose = np.asarray(treated.index, dtype=float)
        effect, lower, upper = (treated[column].to_numpy(dtype=float) for column in ("effect", "effect_lower", "effect_upper"))
        if np.any(lower > effect) or np.any(effect > upper):
            raise ValueError(f"tables[{name!r}]: every dose should have effect_lower <= effect <= effect_upper")
        colour = PALETTE[GROUP_COLOURS[number]]
        ax.errorbar(dose + shifts[number], effect, yerr=[effect - lower, upper - effect], fmt="o", markersize=6,
                    color=colour, ecolor=colour, elinewidth=1.5, capsize=3, label=f"{name}")
        doses.update(dose.tolist())
    ticks = sorted(doses)
    ax.set_xticks(ticks, [f"{dose:g}" for dose in ticks])
    ax.set_xlabel("dose (experience touches)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    add_grid(ax, axis="y")
    ax.legend(loc="best", frameon=False, fontsize=9)
    return ax


def effects_by_threshold(tables: dict[str, pd.DataFrame], marked: float | None = 24.0, ax: Axes | None = None,
                         title: str = "The experience's effect in each group, by the rule that defines poor service",
                         xlabel: str = "a first response slower than this counts as poor service (hours)",
                         ylabel: str = EFFECT_LABEL) -> Axes:
    """Draw each group's effect as the threshold that defines the groups moves, with its interval as a band.

    Each table has one row per threshold (its index, hours) and ``estimate``, ``lower`` and
    ``upper``: the effect of the treatment within the group the threshold defines (treated
    minus control), and its interval. A dotted line marks the threshold in use.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Group name (the legend's label) -> that group's effects, indexed by threshold
        (hours, ascending), in the order to draw them.
    marked : float, optional
        A threshold to mark with a dotted line, 24 hours by default; ``None`` for none.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    title : str, optional
        The figure's title.
    xlabel : str, optional
        The horizontal axis's label, with its unit.
    ylabel : str, optional
        The vertical axis's label, with its unit.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: the threshold across (hours), the effect up, one line with
        its band per group, a line at 0.

    Examples
    --------
    >>> import pandas as pd
    >>> hours = pd.Index([8, 24, 48], name="hours")
    >>> poor = pd.DataFrame({"estimate": [0.26, 0.03, 0.12], "lower": [0.02, -0.27, -0.26],
    ...                      "upper": [0.50, 0.34, 0.49]}, index=hours)
    >>> rest = pd.DataFrame({"estimate": [0.16, 0.19, 0.18], "lower": [0.08, 0.11, 0.10],
    ...                      "upper": [0.24, 0.27, 0.26]}, index=hours)
    >>> ax = effects_by_threshold({"poor service": poor, "the rest": rest})
    >>> [float(y) for y in ax.get_lines()[1].get_ydata()]   # the first line is 0; then poor service
    [0.26, 0.03, 0.12]
    >>> ax.get_legend().get_texts()[0].get_text()
    'poor service'
    """
    tables = _check_tables(tables, ("estimate", "lower", "upper"), "effects indexed by threshold")
    ax = new_axes(ax, figsize=(7.5, 4.2))
    ax.axhline(0, color=PALETTE["black"], linewidth=1)
    for number, (name, table) in enumerate(tables.items()):
        hours = np.asarray(table.index, dtype=float)
        estimate, lower, upper = (table[column].to_numpy(dtype=float) for column in ("estimate", "lower", "upper"))
        if np.any(lower > estimate) or np.any(estimate > upper):
            raise ValueError(f"tables[{name!r}]: every row should have lower <= estimate <= upper")
        colour = PALETTE[GROUP_COLOURS[number]]
        ax.fill_between(hours, lower, upper, color=colour, alpha=0.18, linewidth=0)
        ax.plot(hours, estimate, color=colour, marker="o", markersize=4, linewidth=1.8, label=name)
    if marked is not None:
        ax.axvline(marked, color=PALETTE["grey"], linestyle=":", linewidth=1.5, label=f"the rule in use: {marked:g} h")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    add_grid(ax)
    ax.legend(loc="best", frameon=False, fontsize=9)
    return ax

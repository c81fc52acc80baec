"""Figures of league tables: agents (or teams) ranked with their intervals, the funnel plot, and how often a ranking errs.

A league table ranks people by a rate, such as the share of their tickets they resolved.
Each rate is an estimate from a limited number of tickets, so each figure here shows the
chance in it: :func:`league_table` draws every rate with its interval and, where the truth
is known (as in the data world), colours each unit by whether it is truly above or below
average; :func:`funnel_plot` draws the rates against the number of tickets behind them,
with the limits chance alone allows around the company's rate; :func:`ranking_error_curve`
draws how often the top of a table goes to truly below-average units, against the number
of tickets each unit handled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..surveys import funnel_limits
from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["league_table", "funnel_plot", "ranking_error_curve"]

#: Colours of a unit truly above average, truly below average, and of unknown truth.
ABOVE, BELOW, UNKNOWN = PALETTE["blue"], PALETTE["vermillion"], PALETTE["grey"]
#: The line styles of the funnels, widest confidence last.
FUNNEL_STYLES = ("--", ":")


def league_table(table: pd.DataFrame, ax: Axes | None = None, *, rate: str = "rate", lower: str = "lower",
                 upper: str = "upper", below_average: pd.Series | None = None, top: int | None = None,
                 reference: float | None = None, rate_label: str = "resolution rate (% of tickets)") -> Axes:
    """Draw a league table: one row per unit, best at the top, each rate as a dot with its interval as a bar.

    The units (agents or teams, the index of ``table``) are sorted by ``rate``, highest
    first (ties keep the table's order). With ``below_average`` (the truth, known in the
    data world), a dot is blue for a unit truly above average and vermillion for one truly
    below; without it, every dot is grey. ``top`` shades the first places, those a bonus
    for the top of the table would pay, and ``reference`` draws a dashed line at a rate
    to compare with, such as the company's.

    Parameters
    ----------
    table : DataFrame
        One row per unit, indexed by its name, with the columns named by ``rate``,
        ``lower`` and ``upper`` (shares from 0 to 1, ``lower <= rate <= upper``).
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    rate, lower, upper : str
        The columns of the rate and of its interval's ends.
    below_average : Series of bool, optional
        For each unit of ``table`` (same index, any order), whether it is truly below
        average.
    top : int, optional
        How many of the first places to shade; ``None`` (the default) shades none.
    reference : float, optional
        A rate to mark with a dashed vertical line, as a share.
    rate_label : str, default "resolution rate (% of tickets)"
        The label of the horizontal axis, with its unit.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: the rate (%) across, the units down, best at the top.

    Examples
    --------
    Three agents; Cy resolved the most but is truly below average:

    >>> import pandas as pd
    >>> table = pd.DataFrame({"rate": [0.80, 0.90, 0.95], "lower": [0.70, 0.82, 0.85],
    ...                       "upper": [0.88, 0.95, 0.99]}, index=["Ana", "Ben", "Cy"])
    >>> truth = pd.Series([False, False, True], index=["Ana", "Ben", "Cy"])
    >>> ax = league_table(table, below_average=truth, top=1, reference=0.88)
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['Cy', 'Ben', 'Ana']
    >>> ax.get_xlabel()
    'resolution rate (% of tickets)'
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import PercentFormatter

    data = _checked_table(table, [rate, lower, upper])
    data = data.sort_values(rate, ascending=False, kind="stable")
    colours = [UNKNOWN] * len(data)
    if below_average is not None:
        truth = _truth_for(below_average, data.index)
        colours = [BELOW if flag else ABOVE for flag in truth]
    ax = new_axes(ax, figsize=(6.4, max(2.4, 0.22 * len(data) + 1.2)))
    rows = np.arange(len(data))
    if top:
        ax.axhspan(-0.5, top - 0.5, color=PALETTE["yellow"], alpha=0.25, linewidth=0)
    ax.hlines(rows, data[lower], data[upper], colors=colours, linewidth=1.6)
    ax.scatter(data[rate], rows, c=colours, s=22, zorder=3)
    if reference is not None:
        ax.axvline(float(reference), color=PALETTE["black"], linestyle="--", linewidth=1)
    ax.set_yticks(rows, [str(name) for name in data.index], fontsize=7 if len(data) > 12 else 9)
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(rate_label)
    ax.set_ylabel("ranked, best at the top")
    ax.set_title("League table, with 95% intervals")
    add_grid(ax, axis="x")
    handles = []
    if below_average is not None:
        handles += [Line2D([], [], color=ABOVE, marker="o", label="truly above average"),
                    Line2D([], [], color=BELOW, marker="o", label="truly below average")]
    if top:
        handles.append(Patch(color=PALETTE["yellow"], alpha=0.25, label=f"top {top}: paid a bonus"))
    if reference is not None:
        handles.append(Line2D([], [], color=PALETTE["black"], linestyle="--", label="company rate"))
    if handles:
        ax.legend(handles=handles, loc="lower right", fontsize=7, frameon=True)
    return ax


def funnel_plot(trials: pd.Series, rate: pd.Series, target: float, ax: Axes | None = None, *,
                below_average: pd.Series | None = None, confidence: tuple[float, ...] = (0.95, 0.998),
                rate_label: str = "resolution rate (% of tickets)", trials_label: str = "tickets handled (count)") -> Axes:
    """Draw a funnel plot: each unit's rate against its number of tickets, inside the limits chance allows.

    Around the ``target`` rate (the company's, say), the limits of
    :func:`customering_utils.surveys.funnel_limits` are drawn for every number of tickets
    from a little below the smallest unit to a little above the largest, one pair of lines
    per level of ``confidence`` (95%: about two standard errors; 99.8%: about three). A
    unit inside the funnel is what a unit with the target rate could show by chance; a
    unit outside it differs by more than chance. Dots are coloured by the truth when
    ``below_average`` is given, as in :func:`league_table`.

    Parameters
    ----------
    trials : Series
        Each unit's number of tickets (whole numbers of at least 1), indexed by unit.
    rate : Series
        Each unit's rate, shares from 0 to 1, with the same index.
    target : float
        The rate the funnel is centred on, strictly between 0 and 1.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    below_average : Series of bool, optional
        For each unit, whether it is truly below average.
    confidence : tuple of float, default (0.95, 0.998)
        The levels of the funnels, each between 0 and 1.
    rate_label, trials_label : str
        The labels of the vertical and horizontal axes, with their units.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: tickets (count) across, rate (%) up.

    Examples
    --------
    >>> import pandas as pd
    >>> trials = pd.Series([40, 160, 100], index=["Ana", "Ben", "Cy"])
    >>> rate = pd.Series([0.95, 0.80, 0.90], index=["Ana", "Ben", "Cy"])
    >>> ax = funnel_plot(trials, rate, target=0.9)
    >>> [line.get_label() for line in ax.get_lines()][:3]
    ['company rate', '95% limits', '_nolegend_']
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('tickets handled (count)', 'resolution rate (% of tickets)')
    """
    from matplotlib.ticker import PercentFormatter

    data = _checked_table(pd.DataFrame({"trials": trials, "rate": rate}), ["trials", "rate"])
    if (data["trials"] < 1).any() or (data["trials"] % 1 != 0).any():
        raise ValueError("trials should be whole numbers of tickets, at least 1 for every unit")
    ax = new_axes(ax, figsize=(8.0, 4.2))
    low, high = int(max(1, data["trials"].min() * 0.8)), int(np.ceil(data["trials"].max() * 1.1))
    grid = np.unique(np.linspace(low, high, 200).round().astype(int))
    ax.axhline(target, color=PALETTE["black"], linewidth=1, label="company rate")
    for level, style in zip(confidence, FUNNEL_STYLES * len(confidence), strict=False):
        limits = funnel_limits(grid, target, confidence=level)
        ax.step(grid, limits["lower"], where="mid", color=PALETTE["grey"], linestyle=style, linewidth=1.2,
                label=f"{level:.1%}".replace(".0%", "%") + " limits")
        ax.step(grid, limits["upper"], where="mid", color=PALETTE["grey"], linestyle=style, linewidth=1.2,
                label="_nolegend_")
    colours = [UNKNOWN] * len(data)
    if below_average is not None:
        colours = [BELOW if flag else ABOVE for flag in _truth_for(below_average, data.index)]
        for colour, label in ((ABOVE, "truly above average"), (BELOW, "truly below average")):
            ax.scatter([], [], c=colour, s=24, label=label)
    ax.scatter(data["trials"], data["rate"], c=colours, s=24, zorder=3)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
    ax.set_xlabel(trials_label)
    ax.set_ylabel(rate_label)
    ax.set_title("Funnel plot: rates against the tickets behind them")
    add_grid(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return ax


def ranking_error_curve(shares: pd.DataFrame, ax: Axes | None = None, *, baseline: dict[str, float] | None = None,
                        tickets_label: str = "tickets per agent (count, log scale)") -> Axes:
    """Draw how often the top of a league table goes to truly below-average units, against the tickets behind it.

    ``shares`` has one row per number of tickets per agent (the index, increasing) and one
    column per kind of table (such as ``"agents"`` and ``"teams"``), holding the share of
    the top places that went to truly below-average units over many simulated tables (0 to
    1). ``baseline`` gives, for some columns, the share a ranking by pure chance would give
    (the share of units below average), drawn as a dotted line in the column's colour. The
    horizontal axis is logarithmic: each step doubles the tickets.

    Parameters
    ----------
    shares : DataFrame
        Index: tickets per agent (positive, increasing); columns: kinds of table; values:
        shares from 0 to 1.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    baseline : dict of str to float, optional
        ``{column: share}`` of a ranking by chance.
    tickets_label : str, default "tickets per agent (count, log scale)"
        The label of the horizontal axis, with its unit.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: tickets per agent across (log scale), the share of top
        places going to below-average units (%) up.

    Examples
    --------
    >>> import pandas as pd
    >>> shares = pd.DataFrame({"agents": [0.30, 0.10, 0.01], "teams": [0.20, 0.03, 0.0]}, index=[10, 100, 1000])
    >>> ax = ranking_error_curve(shares, baseline={"agents": 0.53})
    >>> [line.get_label() for line in ax.get_lines()]
    ['agents', 'teams', 'agents: by chance']
    >>> ax.get_xscale()
    'log'
    """
    from matplotlib.ticker import PercentFormatter, StrMethodFormatter

    if not isinstance(shares, pd.DataFrame) or shares.empty:
        raise TypeError("shares should be a non-empty DataFrame: tickets per agent down, kinds of table across")
    sizes = np.asarray(shares.index, dtype=float)
    values = shares.to_numpy(dtype=float)
    if (sizes <= 0).any() or (np.diff(sizes) <= 0).any():
        raise ValueError("shares should be indexed by tickets per agent: positive numbers in increasing order")
    if not np.isfinite(values).all() or (values < 0).any() or (values > 1).any():
        raise ValueError("shares should hold shares from 0 to 1, with no missing value")
    ax = new_axes(ax, figsize=(6.4, 4.0))
    colours = [PALETTE[name] for name in ("vermillion", "blue", "orange", "green", "purple")]
    colour_of = {}
    for i, column in enumerate(shares.columns):
        colour_of[column] = colours[i % len(colours)]
        ax.plot(sizes, values[:, i], marker="o", markersize=4, linewidth=2, color=colour_of[column], label=str(column))
    for column, share in (baseline or {}).items():
        if column not in colour_of:
            raise ValueError(f"baseline names {column!r}, which is not a column of shares {list(shares.columns)}")
        ax.axhline(share, color=colour_of[column], linestyle=":", linewidth=1.2, label=f"{column}: by chance")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylim(0, max(0.05, float(np.nanmax([values.max(), *(baseline or {}).values()]))) * 1.08)
    ax.set_xlabel(tickets_label)
    ax.set_ylabel("top places going to below-average units (%)")
    ax.set_title("How often the top of the table is wrong")
    add_grid(ax)
    ax.legend(loc="upper right", fontsize=8, frameon=True)
    return ax


def _checked_table(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The named columns of ``table`` as floats, or a clear error for a missing column, no row, or a non-number."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table should be a pandas DataFrame with columns {columns}, got {type(table).__name__}")
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(f"table has no column {missing[0]!r}; expected columns {columns}")
    if len(table) == 0:
        raise ValueError("table is empty; expected one row per unit (agent or team)")
    try:
        data = table[columns].astype(float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"table columns {columns} should hold numbers") from error
    if not np.isfinite(data.to_numpy()).all():
        raise ValueError(f"table columns {columns} should hold finite numbers, with no missing value")
    return data


def _truth_for(below_average: pd.Series, index: pd.Index) -> list[bool]:
    """``below_average`` in the order of ``index``, or an error naming a unit it lacks."""
    if not isinstance(below_average, pd.Series):
        raise TypeError("below_average should be a pandas Series of True/False, indexed by unit")
    missing = [name for name in index if name not in below_average.index]
    if missing:
        raise ValueError(f"below_average has no value for {missing[0]!r}; expected one for every unit of the table")
    return [bool(flag) for flag in below_average.reindex(index)]

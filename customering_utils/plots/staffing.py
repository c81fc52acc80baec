"""Figures of contact-centre staffing: service level and abandonment against agents, and month by month.

- :func:`staffing_curves`: for one half-hour's calls, the share answered within the target
  and the share that hangs up, against the agents on the phones (Erlang A, with Erlang C's
  service level beside it);
- :func:`service_by_month`: the service level and abandonment a centre actually gave, month
  by month, each with its interval band, the goal and a period (such as a hiring freeze)
  marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..service import erlang_a, offered_load, service_level
from .style import PALETTE, add_grid, concise_dates, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["staffing_curves", "service_by_month"]

#: The columns :func:`service_by_month` reads: each share with the ends of its interval.
MONTHLY_COLUMNS = ("service_level", "service_level_lower", "service_level_upper",
                   "abandonment", "abandonment_lower", "abandonment_upper")


def staffing_curves(
    arrivals: float,
    handle_time: float,
    patience: float,
    staffed: int | None = None,
    most_agents: int | None = None,
    goal: float = 0.8,
    target: float = 20.0,
    interval: float = 1800.0,
    ax: Axes | None = None,
) -> Axes:
    """Draw the service level and the abandonment of one interval's calls against the number of agents.

    For ``arrivals`` calls in an interval of ``interval`` seconds, each taking
    ``handle_time`` seconds on average, from callers who hang up after ``patience``
    seconds on average, the figure shows for 1 to ``most_agents`` agents:

    - Erlang A's service level (:func:`customering_utils.service.erlang_a`): the share of
      offered calls answered within ``target`` seconds, hang-ups counted as missed (blue);
    - Erlang C's service level (:func:`customering_utils.service.service_level`), where
      nobody hangs up (sky blue, dashed; 0 where the load is at least the agents);
    - Erlang A's abandonment: the share of offered calls that hang up (vermillion);
    - the ``goal`` (grey dotted line) and, if given, the ``staffed`` agents (black
      vertical line).

    Parameters
    ----------
    arrivals : float
        Calls arriving in the interval, a count of at least 0.
    handle_time : float
        Average handle time of a call (talk and wrap-up), seconds, more than 0.
    patience : float
        Callers' mean patience before they hang up, seconds, more than 0.
    staffed : int, optional
        The agents actually on the phones, marked with a vertical line.
    most_agents : int, optional
        The right end of the axis; by default a few agents beyond where Erlang C first
        reaches 95%, and beyond ``staffed``.
    goal : float, default 0.8
        The service-level goal, a share between 0 and 1, drawn as a line.
    target : float, default 20.0
        The answer time that counts as good service, seconds.
    interval : float, default 1800.0
        Length of the interval, seconds (1800: half an hour).
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: agents on the phones (count) across, share of offered calls
        (%) up.

    Examples
    --------
    8 calls of 6 minutes in half an hour (1.6 Erlangs), callers who wait 3 minutes on average:

    >>> ax = staffing_curves(8, 360, 180, staffed=2, most_agents=6)
    >>> [line.get_label() for line in ax.get_lines()[:3]]
    ['service level, Erlang A (callers hang up)', 'service level, Erlang C (nobody hangs up)', 'abandonment, Erlang A']
    >>> [round(float(y), 1) for y in ax.get_lines()[1].get_ydata()]   # Erlang C, 1 to 6 agents (%)
    [0.0, 30.5, 74.7, 92.1, 97.9, 99.5]
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('agents on the phones (count)', 'share of offered calls (%)')
    """
    for name, value in (("arrivals", arrivals), ("handle_time", handle_time), ("patience", patience)):
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise TypeError(f"{name} should be one number, got {type(value).__name__}")
    if not 0 < goal < 1:
        raise ValueError(f"goal should be a share between 0 and 1 (for example 0.8), got {goal!r}")
    load = float(offered_load(arrivals, handle_time, interval))
    if most_agents is None:
        enough = int(np.floor(load)) + 1
        while float(service_level(arrivals, handle_time, enough, target, interval)) < 0.95:
            enough += 1
        most_agents = max(enough + 2, (staffed or 0) + 2, 4)
    if isinstance(most_agents, bool) or int(most_agents) != most_agents or most_agents < 1:
        raise ValueError(f"most_agents should be a whole number of at least 1, got {most_agents!r}")
    agents = np.arange(1, int(most_agents) + 1)
    with_hang_ups = erlang_a(np.full(len(agents), float(arrivals)), handle_time, agents, patience, target, interval)
    patient = service_level(arrivals, handle_time, agents, target, interval)
    ax = new_axes(ax, figsize=(7, 4.2))
    ax.plot(agents, 100 * with_hang_ups["service_level"], color=PALETTE["blue"], marker="o", linewidth=2,
            label="service level, Erlang A (callers hang up)")
    ax.plot(agents, 100 * patient, color=PALETTE["sky_blue"], marker="s", linestyle="--", linewidth=1.5,
            label="service level, Erlang C (nobody hangs up)")
    ax.plot(agents, 100 * with_hang_ups["p_abandon"], color=PALETTE["vermillion"], marker="^", linewidth=2,
            label="abandonment, Erlang A")
    ax.axhline(100 * goal, color=PALETTE["grey"], linestyle=":", linewidth=1.5,
               label=f"goal: {goal:.0%} within {target:g} s")
    if staffed is not None:
        ax.axvline(staffed, color=PALETTE["black"], linewidth=1, label=f"staffed: {staffed} agent{'' if staffed == 1 else 's'}")
    ax.set_xticks(agents)
    ax.set(xlabel="agents on the phones (count)", ylabel="share of offered calls (%)", ylim=(0, 102),
           title=f"{arrivals:g} calls of {handle_time:g} s in {interval / 60:g} minutes, "
                 f"patience {patience:g} s: {load:.2f} Erlangs")
    ax.legend(loc="center right", frameon=False, fontsize=8)
    add_grid(ax)
    return ax


def service_by_month(
    monthly: pd.DataFrame,
    goal: float | None = 0.8,
    marked: tuple[str, str] | None = None,
    marked_label: str = "hiring freeze",
    ax: Axes | None = None,
) -> Axes:
    """Draw a contact centre's service level and abandonment month by month, each with its interval band.

    ``monthly`` has one row per month, indexed by the month's first day, with the shares
    ``service_level`` and ``abandonment`` (0 to 1) and the ends of their intervals
    (``service_level_lower``, ``service_level_upper``, ``abandonment_lower``,
    ``abandonment_upper``). Each share is a line with a shaded band between its ends; the
    ``goal`` is a grey dotted line, and the months from ``marked[0]`` to ``marked[1]`` are
    shaded grey.

    Parameters
    ----------
    monthly : DataFrame
        One row per month (a DatetimeIndex), with the six columns above, shares from 0 to 1.
    goal : float or None, default 0.8
        The service-level goal, a share between 0 and 1; ``None`` draws no goal line.
    marked : tuple of two dates, optional
        The first and last day of a period to shade, such as ``("2024-05-01", "2024-08-31")``.
    marked_label : str, default "hiring freeze"
        The legend's name for the shaded period.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: months across, share of offered calls (%) up.

    Examples
    --------
    >>> import pandas as pd
    >>> monthly = pd.DataFrame({"service_level": [0.85, 0.60], "service_level_lower": [0.83, 0.57],
    ...                         "service_level_upper": [0.87, 0.63], "abandonment": [0.06, 0.25],
    ...                         "abandonment_lower": [0.05, 0.23], "abandonment_upper": [0.07, 0.27]},
    ...                        index=pd.DatetimeIndex(["2024-04-01", "2024-05-01"]))
    >>> ax = service_by_month(monthly, marked=("2024-05-01", "2024-05-31"))
    >>> [line.get_label() for line in ax.get_lines()]
    ['service level (answered within 20 s)', 'abandonment (hung up)', 'goal: 80%']
    >>> [float(y) for y in ax.get_lines()[1].get_ydata()]
    [6.0, 25.0]
    """
    if not isinstance(monthly, pd.DataFrame) or not isinstance(monthly.index, pd.DatetimeIndex):
        raise TypeError("monthly should be a DataFrame indexed by the months' first days (a DatetimeIndex)")
    missing = [column for column in MONTHLY_COLUMNS if column not in monthly.columns]
    if missing:
        raise ValueError(f"monthly is missing the columns {missing}; expected each share with its interval: "
                         f"{list(MONTHLY_COLUMNS)}")
    if len(monthly) == 0:
        raise ValueError("monthly is empty (0 rows); expected at least one month")
    values = monthly[list(MONTHLY_COLUMNS)].to_numpy(dtype=float)
    if not np.all(np.isfinite(values)) or (values < 0).any() or (values > 1).any():
        raise ValueError("monthly should hold shares from 0 to 1 in every row (no blanks)")
    ax = new_axes(ax, figsize=(8, 4.2))
    months = monthly.index
    if marked is not None:
        ax.axvspan(pd.Timestamp(marked[0]), pd.Timestamp(marked[1]), color=PALETTE["grey"], alpha=0.2,
                   linewidth=0, label=marked_label)
    for share, colour, label in (("service_level", "blue", "service level (answered within 20 s)"),
                                 ("abandonment", "vermillion", "abandonment (hung up)")):
        ax.fill_between(months, 100 * monthly[f"{share}_lower"], 100 * monthly[f"{share}_upper"],
                        color=PALETTE[colour], alpha=0.25, linewidth=0)
        ax.plot(months, 100 * monthly[share], color=PALETTE[colour], marker="o", markersize=3, linewidth=2, label=label)
    if goal is not None:
        ax.axhline(100 * goal, color=PALETTE["grey"], linestyle=":", linewidth=1.5, label=f"goal: {goal:.0%}")
    ax.set(xlabel="month", ylabel="share of offered calls (%)", ylim=(0, 100),
           title="Calls answered within 20 seconds and calls abandoned, by month, with intervals")
    ax.legend(loc="center left", frameon=False, fontsize=8)
    concise_dates(ax)
    add_grid(ax)
    return ax

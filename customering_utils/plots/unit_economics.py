"""The unit economics of marketing, in three figures: what a customer costs, what they are worth, and when they pay back.

- :func:`cac_by_month` draws each channel's customer acquisition cost (CAC) month by month,
  with its average over the whole table as a dashed line: how much it drifts;
- :func:`clv_to_cac_ratios` draws each channel's CLV:CAC with its interval against the
  break-even line at 1, coloured by what the interval says (creates value, cannot tell,
  destroys value);
- :func:`payback_curves` draws the cumulative discounted margin of an average acquired
  customer of each channel against the channel's CAC: where a curve crosses its CAC line,
  the customer has paid back.

The tables are the ones :mod:`customering_utils.economics` returns
(:func:`~customering_utils.economics.acquisition_cost`,
:func:`~customering_utils.economics.clv_to_cac`,
:func:`~customering_utils.economics.cohort_margin_curves`). Each channel keeps one colour
in all three figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import PALETTE, add_grid, concise_dates, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["CHANNEL_COLOURS", "cac_by_month", "clv_to_cac_ratios", "payback_curves"]

#: The colour of each of the data world's channels; other groups take the remaining colours in turn.
CHANNEL_COLOURS: dict[str, str] = {"search": PALETTE["blue"], "social": PALETTE["orange"],
                                   "display": PALETTE["vermillion"], "partner": PALETTE["green"],
                                   "referral": PALETTE["purple"]}
_SPARE = (PALETTE["sky_blue"], PALETTE["black"], PALETTE["grey"], PALETTE["yellow"])


def channel_colour(name: object, position: int) -> str:
    """The colour of a channel: its own for the data world's five, else a spare one by ``position``.

    Parameters
    ----------
    name : object
        The channel.
    position : int
        Its position among the channels drawn, 0 for the first.

    Returns
    -------
    str
        A hex colour of :data:`customering_utils.plots.PALETTE`.

    Examples
    --------
    >>> from customering_utils.plots import PALETTE
    >>> channel_colour("search", 0) in PALETTE.values(), channel_colour("email", 1) in PALETTE.values()
    (True, True)
    """
    return CHANNEL_COLOURS.get(str(name), _SPARE[position % len(_SPARE)])


def _table(table: object, columns: list[str], name: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name} should be a pandas DataFrame, got {type(table).__name__}")
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(f"{name} has no column {missing[0]!r}; expected columns {', '.join(map(repr, columns))}")
    if len(table) == 0:
        raise ValueError(f"{name} is empty; expected one row per channel")
    return table


def cac_by_month(cac_table: pd.DataFrame, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Each channel's CAC month by month (solid), with its average over the table (dashed).

    The average is the channel's total cost over its total new customers (not the mean of
    the monthly CACs, which would weigh a quiet month like a busy one). Months without new
    customers have no CAC and leave a gap.

    Parameters
    ----------
    cac_table : DataFrame
        :func:`customering_utils.economics.acquisition_cost` with ``by=("channel", "month")``
        (the default): indexed by channel and month, with ``cost``, ``new_customers`` and
        ``cac`` (US dollars).
    ax : matplotlib Axes, optional
        Where to draw; a new figure if ``None``.
    title : str, optional
        The title; a default one says what is shown.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: one solid line per channel (its monthly CAC), then one dashed
        line per channel (its average), in the channels' sorted order.

    Examples
    --------
    >>> import pandas as pd
    >>> from customering_utils import economics
    >>> marketing = pd.DataFrame({"month": ["2025-01-01", "2025-02-01"] * 2, "channel": ["search"] * 2 + ["social"] * 2,
    ...                           "spend": [1000.0, 1500.0, 800.0, 900.0], "new_customers": [20, 30, 10, 15]})
    >>> ax = cac_by_month(economics.acquisition_cost(marketing))
    >>> [line.get_label() for line in ax.get_lines()]
    ['search', 'social', 'search: $50.00 on average', 'social: $68.00 on average']
    >>> ax.get_lines()[0].get_ydata().tolist()
    [50.0, 50.0]
    """
    table = _table(cac_table, ["cost", "new_customers", "cac"], "cac_table")
    if not isinstance(table.index, pd.MultiIndex) or list(table.index.names) != ["channel", "month"]:
        raise ValueError("cac_table should be indexed by channel and month, as economics.acquisition_cost(marketing) "
                         f"returns it; got an index named {list(table.index.names)}")
    ax = new_axes(ax, figsize=(8.5, 4.0))
    channels = list(table.index.unique("channel"))
    for position, channel in enumerate(channels):
        rows = table.xs(channel, level="channel").sort_index()
        ax.plot(pd.DatetimeIndex(rows.index), rows["cac"].to_numpy(dtype=float), color=channel_colour(channel, position),
                linewidth=1.5, label=str(channel))
    for position, channel in enumerate(channels):
        rows = table.xs(channel, level="channel")
        average = float(rows["cost"].sum() / rows["new_customers"].sum())
        ax.axhline(average, color=channel_colour(channel, position), linestyle="--", linewidth=1,
                   label=f"{channel}: ${average:,.2f} on average")
    ax.set_xlabel("month of acquisition")
    ax.set_ylabel("CAC (US$ per new customer)")
    ax.set_ylim(bottom=0)
    ax.set_title(title or "Fully loaded CAC by channel and month, with each channel's average")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    concise_dates(ax)
    add_grid(ax, axis="y")
    return ax


def clv_to_cac_ratios(table: pd.DataFrame, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Each channel's CLV:CAC with its interval, against the break-even line at 1.

    Channels are sorted by their ratio, the highest at the top. A dot is blue when the
    whole interval is above 1 (the channel's customers bring back more than they cost),
    orange when the interval contains 1 (the data cannot tell) and vermillion when it is
    wholly below 1 (the channel destroys value).

    Parameters
    ----------
    table : DataFrame
        :func:`customering_utils.economics.clv_to_cac`: one row per channel with
        ``clv_to_cac``, ``clv_to_cac_lower`` and ``clv_to_cac_upper``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if ``None``.
    title : str, optional
        The title; a default one says what is shown.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into; the dots are its last collection, top row first in
        ``get_yticklabels``' reverse order.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"clv_to_cac": [1.5, 0.7, 1.05], "clv_to_cac_lower": [1.3, 0.6, 0.9],
    ...                       "clv_to_cac_upper": [1.7, 0.8, 1.2]}, index=["search", "display", "social"])
    >>> ax = clv_to_cac_ratios(table)
    >>> [label.get_text() for label in ax.get_yticklabels()]  # the bottom row first
    ['display', 'social', 'search']
    >>> [label.get_text() for label in ax.get_legend().get_texts()]
    ['interval above 1: creates value', 'interval contains 1: cannot tell', 'interval below 1: destroys value', 'break-even (1)']
    """
    data = _table(table, ["clv_to_cac", "clv_to_cac_lower", "clv_to_cac_upper"], "table")
    numbers = data[["clv_to_cac", "clv_to_cac_lower", "clv_to_cac_upper"]].astype(float)
    if not np.all(np.isfinite(numbers.to_numpy())):
        raise ValueError("table's clv_to_cac and its interval should be finite numbers; found a missing or infinite one")
    numbers = numbers.sort_values("clv_to_cac")
    at = np.arange(len(numbers))
    kinds = np.where(numbers["clv_to_cac_lower"] > 1, 0, np.where(numbers["clv_to_cac_upper"] < 1, 2, 1))
    colours = np.array([PALETTE["blue"], PALETTE["orange"], PALETTE["vermillion"]])
    ax = new_axes(ax, figsize=(7.0, 0.5 * len(numbers) + 1.8))
    ax.hlines(at, numbers["clv_to_cac_lower"], numbers["clv_to_cac_upper"], color=colours[kinds], linewidth=2)
    names = ["interval above 1: creates value", "interval contains 1: cannot tell", "interval below 1: destroys value"]
    for kind, name in enumerate(names):
        ax.scatter([], [], color=colours[kind], label=name)  # one legend entry per kind, shown or not
    ax.axvline(1.0, color=PALETTE["black"], linestyle="--", linewidth=1, label="break-even (1)")
    ax.scatter(numbers["clv_to_cac"], at, color=colours[kinds], zorder=3, s=40)
    ax.set_yticks(at, [str(name) for name in numbers.index])
    ax.set_xlim(left=0)
    ax.set_xlabel("CLV:CAC (dollars of lifetime value per dollar of acquisition cost)")
    ax.set_title(title or "CLV:CAC by channel, with intervals")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    add_grid(ax, axis="x")
    return ax


def payback_curves(
    curves: pd.DataFrame,
    cac: pd.Series,
    discount_rate: float,
    periods_per_year: int = 12,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """The cumulative discounted margin of an average acquired customer of each channel, against its CAC.

    Each period's margin is discounted to the day of acquisition,
    :math:`m_k (1 + d)^{-k/n}`, and added up (:func:`customering_utils.economics.payback_period`
    reads the same running total). Each channel's CAC is a dashed line in its colour;
    where the curve crosses it, a dot marks the payback period. A curve stops where its
    margin curve does (the last period the data cover for that channel).

    Parameters
    ----------
    curves : DataFrame
        Indexed by age (whole periods since acquisition, 0, 1, 2, ...), one column per
        channel: the margin per acquired customer in that period, US dollars; NaN after a
        channel's last observed period.
    cac : Series
        Each channel's CAC, US dollars, indexed by channel (every column of ``curves``).
    discount_rate : float
        Yearly discount rate, at least 0.
    periods_per_year : int, default 12
        Periods in a year: 12 for months.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if ``None``.
    title : str, optional
        The title; a default one says what is shown.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: one solid curve per channel (in the columns' order), then one
        dashed CAC line per channel (``get_lines``); a dot (a collection) where a curve reaches its CAC.

    Examples
    --------
    >>> import pandas as pd
    >>> curves = pd.DataFrame({"search": [10.0, 8.0, 6.0, 5.0]}, index=pd.RangeIndex(4, name="age"))
    >>> ax = payback_curves(curves, pd.Series({"search": 20.0}), discount_rate=0.0)
    >>> ax.get_lines()[0].get_ydata().tolist()  # 0 at acquisition, then the running total at each month's end
    [0.0, 10.0, 18.0, 24.0, 29.0]
    >>> ax.get_lines()[0].get_label()
    'search: pays back in 2.3 months'
    """
    from ..economics import payback_period

    data = curves if isinstance(curves, pd.DataFrame) else None
    if data is None:
        raise TypeError(f"curves should be a pandas DataFrame (ages down, channels across), got {type(curves).__name__}")
    if not isinstance(cac, pd.Series):
        raise TypeError(f"cac should be a pandas Series indexed by channel, got {type(cac).__name__}")
    missing = [channel for channel in data.columns if channel not in cac.index]
    if missing:
        raise ValueError(f"cac has no value for {missing[0]!r}; expected one for every channel of curves")
    ax = new_axes(ax, figsize=(8.5, 4.2))
    for position, channel in enumerate(data.columns):
        curve = data[channel].to_numpy(dtype=float)
        observed = int(np.cumprod(np.isfinite(curve)).sum())
        curve = curve[:observed]
        months = np.arange(observed + 1)  # the running total at the end of each period, from 0 at acquisition
        total = np.r_[0.0, np.cumsum(curve * (1 + discount_rate) ** (-np.arange(observed) / periods_per_year))]
        back = payback_period(curve, float(cac[channel]), discount_rate, periods_per_year)
        said = f"pays back in {back:.1f} months" if np.isfinite(back) else f"not within {observed} months"
        colour = channel_colour(channel, position)
        ax.plot(months, total, color=colour, linewidth=2, label=f"{channel}: {said}")
        if np.isfinite(back):
            ax.scatter([back], [float(cac[channel])], color=colour, zorder=3)
    for position, channel in enumerate(data.columns):
        ax.axhline(float(cac[channel]), color=channel_colour(channel, position), linestyle="--", linewidth=1)
    ax.set_xlabel("months since acquisition")
    ax.set_ylabel("cumulative discounted margin per customer (US$)")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_title(title or f"Payback: discounted margin per acquired customer against CAC (dashed), at {discount_rate:.0%} a year")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    add_grid(ax)
    return ax

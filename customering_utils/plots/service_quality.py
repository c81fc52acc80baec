"""Figures of the state of service: a share over the months with its interval band, and differences with theirs.

Both draw shares (0 to 1) as percentages and show the uncertainty with the estimate, so a
wiggle inside the band, or a difference whose interval holds 0, is not read as news.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import PALETTE, add_grid, concise_dates, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["METRIC_NAMES", "metric_over_time", "difference_intervals"]

#: Plain names of the shares of ``service.ticket_metrics`` and ``surveys.csat``/``ces``, for labels.
METRIC_NAMES: dict[str, str] = {
    "sla_attainment": "SLA attainment",
    "resolution_rate": "resolution rate",
    "first_contact_resolution": "first-contact resolution",
    "csat": "CSAT (share satisfied)",
    "ces": "CES (share easy)",
}

#: The period names of a PeriodIndex's frequency, for labels.
PERIOD_NAMES = {"M": "month", "Q": "quarter", "Y": "year", "A": "year", "W": "week", "D": "day"}


def metric_over_time(table: pd.DataFrame, metric: str = "sla_attainment", ax: Axes | None = None,
                     marked: tuple[str, str] | None = None, marked_label: str = "marked period",
                     label: str | None = None, color: str = "blue", unit: str = "% of tickets") -> Axes:
    """Draw a share over the periods as a line, with its confidence interval as a band; optionally shade a span.

    ``table`` has one row per period, as :func:`customering_utils.service.ticket_metrics`
    gives with ``by`` a column of pandas periods (such as
    ``tickets["created_at"].dt.to_period("M")``), and the columns ``metric``,
    ``metric + "_lower"`` and ``metric + "_upper"`` (shares, 0 to 1). Each period is drawn
    at its middle, as a percentage. Where the bands of two periods overlap, the two may
    differ by chance alone; compare them with the interval of their difference
    (:func:`difference_intervals`).

    Parameters
    ----------
    table : DataFrame
        One row per period, indexed by a ``PeriodIndex`` (or a ``DatetimeIndex``), with
        the share and its interval's ends.
    metric : str, default "sla_attainment"
        The share to draw, such as ``"resolution_rate"`` or ``"first_contact_resolution"``.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    marked : tuple of two dates, optional
        The first and last day of a span to shade, such as
        ``("2024-05-01", "2024-08-31")``; ``None`` (the default) shades nothing.
    marked_label : str, default "marked period"
        The legend's name for the shaded span.
    label : str, optional
        The legend's name for the line; by default the metric's name.
    color : str, default "blue"
        The line's colour: a name of :data:`customering_utils.plots.PALETTE`.
    unit : str, default "% of tickets"
        What the percentages are of, for the vertical axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: the periods across (dates), the share up (per cent, 0 to
        100), one line with its band, and the shaded span.

    Examples
    --------
    >>> import pandas as pd
    >>> from customering_utils import service
    >>> tickets = pd.DataFrame({"month": pd.PeriodIndex(["2025-01", "2025-01", "2025-02", "2025-02"], freq="M"),
    ...                         "first_response_hours": [2.0, 30.0, 5.0, 10.0], "resolved": [True, True, False, True],
    ...                         "resolution_hours": [3.0, 40.0, None, 12.0], "contacts": [1, 2, 3, 1]})
    >>> ax = metric_over_time(service.ticket_metrics(tickets, by="month"), "sla_attainment")
    >>> [float(y) for y in ax.get_lines()[0].get_ydata()]   # 1 of 2 in January, 2 of 2 in February
    [50.0, 100.0]
    >>> ax.get_ylabel()
    'SLA attainment (% of tickets)'
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table should be a pandas DataFrame such as service.ticket_metrics(..., by=...) gives, "
                        f"got {type(table).__name__}")
    columns = [metric, f"{metric}_lower", f"{metric}_upper"]
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(f"table is missing columns {missing}; expected {columns} (a share and its interval's ends)")
    if len(table) == 0:
        raise ValueError("table is empty; expected at least one period")
    if color not in PALETTE:
        raise ValueError(f"color should be one of the palette's names {sorted(PALETTE)}, got {color!r}")
    when, period = _middles(table.index)
    name = METRIC_NAMES.get(metric, metric.replace("_", " "))
    ax = new_axes(ax, figsize=(8, 4))
    if marked is not None:
        start, end = pd.Timestamp(marked[0]), pd.Timestamp(marked[1]) + pd.Timedelta(days=1)
        ax.axvspan(start, end, color=PALETTE["grey"], alpha=0.25, linewidth=0, label=marked_label)
    values = 100 * table[columns].to_numpy(dtype=float)
    ax.fill_between(when, values[:, 1], values[:, 2], color=PALETTE[color], alpha=0.2, linewidth=0)
    ax.plot(when, values[:, 0], color=PALETTE[color], marker="o", markersize=3, linewidth=1.5,
            label=label if label is not None else name)
    confidence = table.attrs.get("confidence", 0.95)
    ax.set_ylabel(f"{name} ({unit})")
    ax.set_xlabel(period if period else "date")
    ax.set_title(f"{name[:1].upper()}{name[1:]} by {period or 'period'}, with {confidence:.0%} intervals (band)")
    concise_dates(ax)
    add_grid(ax)
    ax.legend(loc="best", frameon=False, fontsize=8)
    return ax


def difference_intervals(differences: pd.DataFrame, ax: Axes | None = None,
                         title: str = "Differences with their 95% intervals",
                         ylabel: str = "difference (percentage points)") -> Axes:
    """Draw differences of shares as points with their intervals, marking those whose interval leaves out 0.

    ``differences`` has one row per comparison (such as each month against the month
    before) with ``estimate``, ``lower`` and ``upper``: a difference of two shares and its
    interval's ends, from -1 to 1, drawn in percentage points. A comparison whose interval
    leaves out 0 is drawn in vermillion: at the 95% level, a difference that chance alone
    would rarely give. With many comparisons, some cross the line by chance alone (about 1
    in 20 at 95% when nothing changed).

    Parameters
    ----------
    differences : DataFrame
        One row per comparison, with columns ``estimate``, ``lower`` and ``upper``; the
        index names the comparisons (periods, dates or text).
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    title : str, default "Differences with their 95% intervals"
        The figure's title.
    ylabel : str, default "difference (percentage points)"
        The vertical axis's label, with its unit.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: the comparisons across, the differences up (percentage
        points), a line at 0.

    Examples
    --------
    >>> import pandas as pd
    >>> changes = pd.DataFrame({"estimate": [0.02, -0.10], "lower": [-0.01, -0.15], "upper": [0.05, -0.05]},
    ...                        index=["February", "March"])
    >>> ax = difference_intervals(changes)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['interval holds 0', 'interval leaves out 0 (1 of 2)']
    >>> ax.get_ylabel()
    'difference (percentage points)'
    """
    if not isinstance(differences, pd.DataFrame):
        raise TypeError(f"differences should be a pandas DataFrame with estimate, lower and upper, "
                        f"got {type(differences).__name__}")
    missing = [column for column in ("estimate", "lower", "upper") if column not in differences.columns]
    if missing:
        raise ValueError(f"differences is missing columns {missing}; expected estimate, lower and upper (shares)")
    if len(differences) == 0:
        raise ValueError("differences is empty; expected at least one comparison")
    values = 100 * differences[["estimate", "lower", "upper"]].to_numpy(dtype=float)
    if np.any(values[:, 1] > values[:, 0]) or np.any(values[:, 0] > values[:, 2]):
        raise ValueError("every row should have lower <= estimate <= upper")
    crosses = (values[:, 1] > 0) | (values[:, 2] < 0)
    where = np.arange(len(values))
    ax = new_axes(ax, figsize=(min(10.0, max(6.0, 0.2 * len(values) + 3)), 4))
    ax.axhline(0, color=PALETTE["black"], linewidth=1)
    for mask, colour, text in ((~crosses, "blue", "interval holds 0"),
                               (crosses, "vermillion", f"interval leaves out 0 ({crosses.sum()} of {len(values)})")):
        if mask.any():
            ax.errorbar(where[mask], values[mask, 0], yerr=[values[mask, 0] - values[mask, 1], values[mask, 2] - values[mask, 0]],
                        fmt="o", markersize=4, color=PALETTE[colour], ecolor=PALETTE[colour], elinewidth=1.2, capsize=2,
                        label=text)
    labels = [str(name) for name in differences.index]
    step = max(1, len(labels) // 18)
    ax.set_xticks(where[::step], labels[::step], rotation=90 if len(labels) > 8 else 0, fontsize=8)
    ax.set_xlim(-0.7, len(values) - 0.3)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    add_grid(ax, axis="y")
    ax.legend(loc="best", frameon=False, fontsize=8)
    return ax


def _middles(index: pd.Index) -> tuple[pd.DatetimeIndex, str]:
    """The middle of each period (or the dates themselves) and the period's name ("month", or "")."""
    if isinstance(index, pd.PeriodIndex):
        start, end = index.start_time, index.end_time
        code = index.freqstr.split("-")[0].rstrip("SE")[:1]
        return start + (end - start) / 2, PERIOD_NAMES.get(code, "")
    if isinstance(index, pd.DatetimeIndex):
        return index, ""
    raise TypeError(f"table should be indexed by periods (a PeriodIndex) or dates, got {type(index).__name__}")


"""An explorer of the state of service: pick a ticket metric, the SLA promise, a split and a period, see it with intervals."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from .. import intervals
from ..plots.service_quality import METRIC_NAMES, metric_over_time
from ..plots.style import png
from ..service import ticket_metrics

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["ticket_metrics_explorer"]

#: The shares the explorer offers, and the count each is made of (as ticket_metrics names them).
METRICS = {"sla_attainment": "within_sla", "resolution_rate": "resolved", "first_contact_resolution": "first_contact_resolved"}
#: The periods the explorer offers: (button label, pandas period frequency).
PERIODS = (("months", "M"), ("quarters", "Q"))
#: The colours of the groups' lines, in turn.
GROUP_COLOURS = ("blue", "orange", "green", "purple", "sky_blue", "vermillion", "black")


def ticket_metrics_explorer(tickets: pd.DataFrame, *, metric: str = "sla_attainment", sla_hours: float = 24.0,
                            by: str | None = None, freq: str = "M", marked: tuple[str, str] | None = ("2024-05-01", "2024-08-31"),
                            marked_label: str = "hiring freeze") -> ipywidgets.Widget:
    """A ticket metric over time with its intervals: choose the metric, the SLA promise, a split and the period.

    The controls choose one of the shares of
    :func:`customering_utils.service.ticket_metrics` (SLA attainment, resolution rate,
    first-contact resolution), the SLA promise in hours (it moves SLA attainment only), a
    split of the tickets (all together, by ``channel`` or by ``category``, when the table
    has those columns) and the period (months or quarters). The readout gives, for each
    group, the share over all its tickets with its 95% Wilson interval and, when a span is
    ``marked``, the share inside and outside the span and their difference with its 95%
    interval (Newcombe's, from the two Wilson intervals), saying whether that interval
    leaves out 0. The figure draws each group's share by period with its band
    (:func:`customering_utils.plots.metric_over_time`), the span shaded. Returns an
    ``ipywidgets.VBox``: show it by making it the last line of a cell.

    Parameters
    ----------
    tickets : DataFrame
        One row per ticket with ``created_at`` (dates) and the columns
        :func:`customering_utils.service.ticket_metrics` reads (``first_response_hours``,
        ``resolved``, ``resolution_hours``, ``contacts``); ``channel`` and ``category``,
        if present, are offered as splits.
    metric : str, default "sla_attainment"
        The share to start with: ``"sla_attainment"``, ``"resolution_rate"`` or
        ``"first_contact_resolution"``.
    sla_hours : float, default 24.0
        The promised time to first response to start with, hours (1 to 96).
    by : str, optional
        The split to start with: ``None`` (all tickets), ``"channel"`` or ``"category"``.
    freq : str, default "M"
        The period to start with: ``"M"`` (months) or ``"Q"`` (quarters).
    marked : tuple of two dates, optional
        The first and last day of a span to compare with the rest and shade, by default
        the data world's hiring freeze, ``("2024-05-01", "2024-08-31")``; ``None`` for none.
    marked_label : str, default "hiring freeze"
        The span's name in the readout and the legend.

    Returns
    -------
    ipywidgets.VBox
        The metric menu, the SLA slider (hours), the split buttons, the period buttons,
        the readout (shares in %, differences in percentage points) and the figure, in
        that order in ``children``.

    Examples
    --------
    Four tickets, two of them in a marked span whose first replies were slow:

    >>> import pandas as pd
    >>> tickets = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2024-04-10", "2024-05-10", "2024-06-10", "2024-09-10"]),
    ...     "first_response_hours": [2.0, 30.0, 20.0, 3.0], "resolved": [True, True, False, True],
    ...     "resolution_hours": [5.0, 50.0, None, 8.0], "contacts": [1, 2, 3, 1]})
    >>> explorer = ticket_metrics_explorer(tickets)
    >>> metric, hours, split, period, readout, picture = explorer.children
    >>> "SLA attainment within 24 h</b>: 75.0%" in readout.value
    True
    >>> hours.value = 12   # what moving the SLA slider does: the 20-hour reply now misses too
    >>> "SLA attainment within 12 h</b>: 50.0%" in readout.value
    True
    """
    import ipywidgets as widgets

    if metric not in METRICS:
        raise ValueError(f"metric should be one of {list(METRICS)}, got {metric!r}")
    if freq not in dict((code, label) for label, code in PERIODS):
        raise ValueError(f"freq should be one of {[code for _, code in PERIODS]} (months, quarters), got {freq!r}")
    if isinstance(sla_hours, bool) or not isinstance(sla_hours, int | float) or not 1 <= sla_hours <= 96:
        raise ValueError(f"sla_hours should be a number of hours from 1 to 96, got {sla_hours!r}")
    if not isinstance(tickets, pd.DataFrame):
        raise TypeError(f"tickets should be a pandas DataFrame (one row per ticket), got {type(tickets).__name__}")
    if "created_at" not in tickets.columns:
        raise ValueError("tickets is missing column 'created_at' (when each ticket was raised)")
    splits = [("all tickets", None)] + [(column, column) for column in ("channel", "category") if column in tickets.columns]
    if by not in [value for _, value in splits]:
        raise ValueError(f"by should be one of {[value for _, value in splits]}, got {by!r}")
    span = None if marked is None else (pd.Timestamp(marked[0]), pd.Timestamp(marked[1]) + pd.Timedelta(days=1))
    created = pd.to_datetime(tickets["created_at"])
    inside = created.ge(span[0]) & created.lt(span[1]) if span else pd.Series(False, index=tickets.index)
    data = tickets.assign(_span=inside.map({True: "inside", False: "outside"}))

    menu = widgets.Dropdown(options=[(METRIC_NAMES[name], name) for name in METRICS], value=metric, description="metric",
                            style={"description_width": "110px"}, layout=widgets.Layout(width="420px"))
    hours = widgets.IntSlider(value=round(sla_hours), min=1, max=96, step=1, description="SLA promise (h)",
                              style={"description_width": "110px"}, layout=widgets.Layout(width="480px"))
    split = widgets.ToggleButtons(options=splits, value=by, description="split", style={"button_width": "90px"})
    period = widgets.ToggleButtons(options=list(PERIODS), value=freq, description="period", style={"button_width": "90px"})
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="680px"))

    def redraw(change: object = None) -> None:
        hours.disabled = menu.value != "sla_attainment"
        readout.value = _readout(data, menu.value, hours.value, split.value, marked_label if span else None)
        picture.value = _figure(data, created, menu.value, hours.value, split.value, period.value, marked, marked_label)

    for control in (menu, hours, split, period):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([menu, hours, split, period, readout, picture])


def _difference(k1: int, n1: int, k2: int, n2: int, confidence: float = 0.95) -> intervals.Interval:
    """``k1/n1 - k2/n2`` with Newcombe's (1998) interval, from the two shares' Wilson intervals."""
    a, b = intervals.proportion(k1, n1, confidence), intervals.proportion(k2, n2, confidence)
    d = a.estimate - b.estimate
    lower = d - math.hypot(a.estimate - a.lower, b.upper - b.estimate)
    upper = d + math.hypot(a.upper - a.estimate, b.estimate - b.lower)
    return intervals.Interval(d, lower, upper, confidence)


def _name(metric: str, sla_hours: int) -> str:
    return f"{METRIC_NAMES[metric]} within {sla_hours} h" if metric == "sla_attainment" else METRIC_NAMES[metric]


def _readout(data: pd.DataFrame, metric: str, sla_hours: int, by: str | None, marked_label: str | None) -> str:
    """Each group's share over all its tickets, and inside against outside the marked span, as HTML."""
    count = METRICS[metric]
    keys = [by] if by else []
    overall = ticket_metrics(data, by=by, sla_hours=sla_hours)
    parts = ticket_metrics(data, by=[*keys, "_span"], sla_hours=sla_hours) if marked_label else None
    lines = []
    for group, row in overall.iterrows():
        head = f"<b>{_name(metric, sla_hours)}</b>" if by is None else f"<b>{group}</b>"
        line = (f"{head}: {row[metric]:.1%} of {int(row['tickets']):,} tickets "
                f"(95% interval {row[f'{metric}_lower']:.1%} to {row[f'{metric}_upper']:.1%})")
        if parts is not None:
            inside, outside = ((group, side) if by else side for side in ("inside", "outside"))
            if inside in parts.index and outside in parts.index:
                a, b = parts.loc[inside], parts.loc[outside]
                gap = _difference(int(a[count]), int(a["tickets"]), int(b[count]), int(b["tickets"]))
                verdict = "leaves out 0" if not gap.contains(0) else "holds 0: no clear difference"
                line += (f"; in the {marked_label} {a[metric]:.1%}, outside it {b[metric]:.1%}: a difference of "
                         f"{100 * gap.estimate:+.1f} points (95% interval {100 * gap.lower:+.1f} to "
                         f"{100 * gap.upper:+.1f}), which {verdict}")
        lines.append(line + ".")
    if by is not None:
        lines.insert(0, f"<b>{_name(metric, sla_hours)}</b>, by {by}:")
    return "<br>".join(lines)


def _figure(data: pd.DataFrame, created: pd.Series, metric: str, sla_hours: int, by: str | None, freq: str,
            marked: tuple[str, str] | None, marked_label: str) -> bytes:
    """PNG bytes of each group's share by period, with its band, the marked span shaded."""
    from matplotlib.figure import Figure

    with_period = data.assign(_period=created.dt.to_period(freq))
    figure = Figure(figsize=(7.2, 3.8), dpi=100, layout="constrained")
    ax = figure.subplots()
    groups = [(None, with_period)] if by is None else list(with_period.groupby(by, sort=True))
    for number, (group, rows) in enumerate(groups):
        table = ticket_metrics(rows, by="_period", sla_hours=sla_hours)
        metric_over_time(table, metric, ax=ax, marked=marked if number == 0 else None, marked_label=marked_label,
                         label=None if group is None else str(group), color=GROUP_COLOURS[number % len(GROUP_COLOURS)])
    ax.set_title(f"{_name(metric, sla_hours)[:1].upper()}{_name(metric, sla_hours)[1:]}, with 95% intervals (bands)",
                 fontsize=10)
    return png(figure)

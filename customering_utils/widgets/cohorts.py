"""An explorer of acquisition cohorts: pick the period and the cohorts, see their retention with intervals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..plots.cohorts import retention_curves
from ..plots.style import png
from ..rfm import cohort_counts, cohort_intervals

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["cohort_explorer"]

#: The periods the explorer offers: (button label, pandas frequency, name of one period).
PERIODS = (("months", "MS", "month"), ("quarters", "QS", "quarter"), ("years", "YS", "year"))


def cohort_explorer(transactions: pd.DataFrame, *, freq: str = "QS", cohorts: list | None = None) -> ipywidgets.Widget:
    """Buttons for the length of a period, a list of acquisition cohorts, and their retention curves with intervals.

    ``transactions`` has one row per purchase (``customer_id``, ``date``). The buttons
    choose months, quarters or years; the list shows that period's acquisition cohorts
    (see :func:`customering_utils.rfm.cohort_counts`) with their sizes; pick one or
    several (Ctrl- or Shift-click). Below, a readout gives, for each cohort picked, the
    share buying one period after acquisition with its 95% Wilson interval
    (:func:`customering_utils.rfm.cohort_intervals`), and says whether those intervals
    all overlap (if they do not, the cohorts differ by more than chance alone would
    give); the figure draws the cohorts' curves and bands over all cohorts pooled
    (:func:`customering_utils.plots.retention_curves`). Returns an ``ipywidgets.VBox``:
    show it by making it the last line of a cell.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with columns ``customer_id`` and ``date``; other columns
        (such as ``amount``, US dollars) are ignored.
    freq : str, default "QS"
        The period to start with: ``"MS"`` (months), ``"QS"`` (quarters) or ``"YS"``
        (years).
    cohorts : list, optional
        The cohorts to pick first, as the first days of their periods (such as
        ``["2023-01-01", "2024-01-01"]``). ``None`` (the default) picks the first cohort,
        the middle one and the last but one. When the period changes, the picks go back
        to that default.

    Returns
    -------
    ipywidgets.VBox
        The period buttons, the list of cohorts, the readout (shares in %) and the
        figure, in that order in ``children``.

    Examples
    --------
    Two customers acquired in the first quarter of 2025 and one in the second:

    >>> import pandas as pd
    >>> purchases = pd.DataFrame({
    ...     "customer_id": [1, 2, 1, 3, 2, 3],
    ...     "date": ["2025-01-10", "2025-02-01", "2025-04-01", "2025-05-05", "2025-07-07", "2025-08-08"],
    ... })
    >>> explorer = cohort_explorer(purchases, cohorts=["2025-01-01"])
    >>> period, picker, readout, picture = explorer.children
    >>> picker.options[0]
    ('2025 Q1 (2 customers)', Timestamp('2025-01-01 00:00:00'))
    >>> "2025 Q1</b> (2 customers): 50.0% buy 1 quarter after" in readout.value
    True
    >>> picker.value = (picker.options[1][1],)   # what picking the second cohort does
    >>> "2025 Q2</b> (1 customer): 100.0% buy 1 quarter after" in readout.value
    True
    """
    import ipywidgets as widgets

    codes = [code for _, code, _ in PERIODS]
    if freq not in codes:
        raise ValueError(f"freq should be one of {codes} (months, quarters, years), got {freq!r}")
    tables = {freq: cohort_counts(transactions, freq)}  # checks the transactions; other periods when asked
    first = _picks(tables[freq], cohorts)
    period = widgets.ToggleButtons(options=[(label, code) for label, code, _ in PERIODS], value=freq,
                                   description="period", style={"button_width": "80px"})
    picker = widgets.SelectMultiple(description="cohorts", rows=8, layout=widgets.Layout(width="300px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="640px"))
    quiet = {"on": False}  # set while the list is refilled, so it draws once, not once per change

    def counts_of(code: str) -> pd.DataFrame:
        if code not in tables:
            tables[code] = cohort_counts(transactions, code)
        return tables[code]

    def fill(counts: pd.DataFrame, picks: list) -> None:
        quiet["on"] = True
        picker.options = [(f"{label} ({size:,} customer{'s' if size != 1 else ''})", cohort)
                          for label, cohort, size in zip(_labels(counts), counts.index, counts[0].astype(int), strict=True)]
        picker.value = tuple(picks)
        quiet["on"] = False

    def redraw(change: object = None) -> None:
        if quiet["on"]:
            return
        counts, name = counts_of(period.value), {code: one for _, code, one in PERIODS}[period.value]
        readout.value = _readout(counts, list(picker.value), name)
        picture.value = _figure(counts, list(picker.value))

    def new_period(change: object = None) -> None:
        counts = counts_of(period.value)
        fill(counts, _picks(counts, None))
        redraw()

    fill(tables[freq], first)
    picker.observe(redraw, names="value")
    period.observe(new_period, names="value")
    redraw()
    return widgets.VBox([period, picker, readout, picture])


def _picks(counts: pd.DataFrame, cohorts: list | None) -> list:
    """The cohorts asked for, checked against ``counts``; or the first, the middle and the last but one."""
    if cohorts is None:
        n = len(counts)
        return [counts.index[i] for i in sorted({0, n // 2, max(0, n - 2)})]
    picked = [pd.Timestamp(cohort) for cohort in cohorts]
    missing = [f"{cohort:%Y-%m-%d}" for cohort in picked if cohort not in counts.index]
    if missing:
        raise ValueError(
            f"cohorts {missing} are not acquisition cohorts of these transactions; expected first days of "
            f"periods from {counts.index[0]:%Y-%m-%d} to {counts.index[-1]:%Y-%m-%d}"
        )
    return picked


def _labels(counts: pd.DataFrame) -> list[str]:
    """A short name for each cohort: "2024 Q1", "2024-03" or "2024"."""
    from ..plots.cohorts import _period_names

    return _period_names(counts)[1]


def _readout(counts: pd.DataFrame, picked: list, name: str) -> str:
    """The share of each picked cohort buying one period after acquisition, with its interval, as HTML."""
    if not picked:
        return "Pick one or more cohorts in the list (Ctrl- or Shift-click to pick several)."
    table = cohort_intervals(counts, picked)
    label_of = dict(zip(counts.index, _labels(counts), strict=True))
    lines, seen = [], []
    for cohort in picked:
        size = int(counts.loc[cohort, 0])
        head = f"<b>{label_of[cohort]}</b> ({size:,} customer{'s' if size != 1 else ''})"
        if (cohort, 1) in table.index:
            row = table.loc[(cohort, 1)]
            seen.append(row)
            lines.append(f"{head}: {row['share']:.1%} buy 1 {name} after acquisition "
                         f"(95% interval {row['lower']:.1%} to {row['upper']:.1%})")
        else:
            lines.append(f"{head}: not seen 1 {name} after acquisition yet")
    if len(seen) > 1:
        overlap = max(row["lower"] for row in seen) <= min(row["upper"] for row in seen)
        lines.append(f"These intervals overlap: no clear difference between these cohorts 1 {name} after "
                     "acquisition (overlapping intervals do not rule one out)." if overlap else
                     "Some of these intervals do not overlap: a difference larger than chance alone would give.")
    return "<br>".join(lines)


def _figure(counts: pd.DataFrame, picked: list) -> bytes:
    """PNG bytes of the retention curves of the picked cohorts, with their bands, over all cohorts pooled."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 3.6), dpi=100, layout="constrained")
    ax = figure.subplots()
    retention_curves(counts, picked, ax=ax)
    ax.set_title("Retention of the cohorts picked, with 95% intervals (bands)", fontsize=10)
    return png(figure)

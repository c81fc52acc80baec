"""An explorer of targeting: contact more or fewer customers, compare two ways of choosing them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..plots.style import PALETTE, png
from ..plots.targeting import _check_reached, value_gap, value_reached

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["targeting_explorer"]


def targeting_explorer(
    reached: dict[str, pd.DataFrame],
    *,
    start: int | None = None,
    first: str | None = None,
    second: str | None = None,
    confidence: float = 0.95,
) -> ipywidgets.Widget:
    """Pick how many customers to contact and two ways of choosing them; see the value each reaches, and the gap.

    ``reached`` is what the lesson computed over resamples of the customers: for each
    way of choosing (such as ``"one by one"`` or ``"by RFM cell"``), a table with one row
    per resample and one column per number of customers contacted, holding the true
    value of the customers reached in US dollars (the same resamples, in the same order,
    for every way). A slider picks the number contacted (starting at ``start``, or the
    smallest), two drop-downs the ways to compare (``first`` and ``second``, by default
    the first two). The readout gives each way's mean value over the resamples with the
    middle ``confidence`` of them, the gap (first minus second, resample by resample)
    with its interval and its share of the first way's value, and how often the first
    way reaches more. The figure draws both ways
    (:func:`customering_utils.plots.value_reached`) beside the gap
    (:func:`customering_utils.plots.value_gap`), with the number contacted marked.
    Returns an ``ipywidgets.VBox``: show it by making it the last line of a cell.

    Parameters
    ----------
    reached : dict of str to DataFrame
        ``{name: table}`` for at least two ways of choosing; every table has the same
        rows (resamples, at least 2) and the same columns (customers contacted, positive
        whole numbers in increasing order), finite values in US dollars.
    start : int, optional
        The number of customers contacted to show first, one of the columns; ``None``
        (the default) starts at the smallest.
    first, second : str, optional
        The two ways of choosing to compare first, keys of ``reached`` (different from
        each other); ``None`` (the default) takes the first and the second key.
    confidence : float, default 0.95
        The share of the resamples each interval and band holds, between 0 and 1.

    Returns
    -------
    ipywidgets.VBox
        The slider (customers contacted, a count), the two drop-downs, the readout (US
        dollars, and a share of the first way's value) and the figure, in that order in
        ``children``.

    Examples
    --------
    Three resamples, 1 or 2 customers contacted:

    >>> import pandas as pd
    >>> reached = {"one by one": pd.DataFrame([[10.0, 15.0], [12.0, 16.0], [11.0, 17.0]], columns=[1, 2]),
    ...            "by segment": pd.DataFrame([[8.0, 14.0], [9.0, 15.0], [7.0, 13.0]], columns=[1, 2])}
    >>> explorer = targeting_explorer(reached)
    >>> "one by one minus by segment: <b>$3.00</b>" in explorer.children[3].value   # mean of 2, 3 and 4
    True
    >>> explorer.children[0].value = 2   # what moving the slider does
    >>> "one by one minus by segment: <b>$2.00</b>" in explorer.children[3].value
    True
    """
    import ipywidgets as widgets

    tables = _check_reached(reached)
    if len(tables) < 2:
        raise ValueError("reached should hold at least two ways of choosing, to compare")
    names = list(tables)
    rows = {len(table) for table in tables.values()}
    if len(rows) != 1:
        raise ValueError("every table of reached should have the same number of rows: the same resamples, in the same order")
    first = names[0] if first is None else first
    second = names[1] if second is None else second
    for which, name in (("first", first), ("second", second)):
        if name not in tables:
            raise ValueError(f"{which} should be one of {names}, got {name!r}")
    if first == second:
        raise ValueError(f"first and second should be two different ways of choosing, got {first!r} twice")
    sizes = [int(size) for size in tables[names[0]].columns]
    start = sizes[0] if start is None else start
    if start not in sizes:
        raise ValueError(f"start should be one of the numbers of customers contacted {sizes}, got {start!r}")
    style = {"description_width": "140px"}
    slider = widgets.SelectionSlider(options=[(f"{size:,}", size) for size in sizes], value=start,
                                     description="customers contacted", style=style,
                                     layout=widgets.Layout(width="520px"))
    choose = widgets.Dropdown(options=names, value=first, description="choose", style=style,
                              layout=widgets.Layout(width="420px"))
    against = widgets.Dropdown(options=names, value=second, description="against", style=style,
                               layout=widgets.Layout(width="420px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="760px"))

    def redraw(change: object = None) -> None:
        a, b, size = choose.value, against.value, slider.value
        if a == b:
            readout.value = "Pick two different ways of choosing to compare."
            return
        readout.value = _readout(tables[a][size], tables[b][size], a, b, size, confidence)
        picture.value = _targeting_figure({a: tables[a], b: tables[b]}, tables[a] - tables[b], a, b, size, confidence)

    for control in (slider, choose, against):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([slider, choose, against, readout, picture])


def _interval(values: pd.Series, confidence: float) -> tuple[float, float, float]:
    """Mean and the percentiles leaving (1 - confidence) / 2 of the values on each side."""
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(values.to_numpy(dtype=float), [tail, 100 - tail])
    return float(values.mean()), float(low), float(high)


def _readout(a: pd.Series, b: pd.Series, name_a: str, name_b: str, size: int, confidence: float) -> str:
    """The readout: each way's value, and the gap with its interval, over the resamples."""
    level = f"{confidence:.0%}"
    parts = [f"Contacting <b>{size:,}</b> customers, over {len(a):,} resamples:"]
    for name, values in ((name_a, a), (name_b, b)):
        mean, low, high = _interval(values, confidence)
        parts.append(f"{name} reaches {_dollars(mean, 0)} ({level} interval {_dollars(low, 0)} to {_dollars(high, 0)});")
    gap, low, high = _interval(a - b, confidence)
    ahead = float((a > b).mean())
    parts.append(f"{name_a} minus {name_b}: <b>{_dollars(gap)}</b> ({level} interval {_dollars(low)} to {_dollars(high)}), "
                 f"{gap / a.mean():.1%} of what {name_a} reaches; {name_a} reaches more in {ahead:.0%} of the resamples.")
    if low <= 0 <= high:
        parts.append("The interval holds 0: at this number of customers the resamples cannot tell the two ways apart.")
    return " ".join(parts)


def _dollars(amount: float, decimals: int = 2) -> str:
    """US dollars as text, the sign before the dollar sign: ``-$5.00``."""
    return f"{'-' if amount < 0 else ''}${abs(amount):,.{decimals}f}"


def _targeting_figure(pair: dict[str, pd.DataFrame], gap: pd.DataFrame, name_a: str, name_b: str, size: int,
                      confidence: float) -> bytes:
    """PNG bytes of the two ways' value reached (left) beside their gap (right), the number contacted marked."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9.6, 3.8), dpi=100, layout="constrained")
    left, right = figure.subplots(1, 2)
    value_reached(pair, ax=left, confidence=confidence, value_label="true value reached (US$)")
    value_gap(gap, ax=right, confidence=confidence, label=f"{name_a} minus {name_b}")
    for ax in (left, right):
        ax.axvline(size, color=PALETTE["black"], linestyle=":", linewidth=1)
    left.set_title("Value reached")
    right.set_title("Left on the table")
    return png(figure)

"""An explorer of marketing's unit economics: move the gross margin and the overhead, see CLV:CAC and payback by channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..economics import payback_period
from ..plots.style import png
from ..plots.unit_economics import clv_to_cac_ratios, payback_curves

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["unit_economics_explorer"]


def unit_economics_explorer(
    clv_table: pd.DataFrame,
    cac_table: pd.DataFrame,
    curves: pd.DataFrame,
    margin: float = 0.30,
    overhead: float = 0.10,
    discount_rate: float = 0.10,
) -> ipywidgets.Widget:
    """Sliders for the gross margin and the overhead, with each channel's CLV:CAC and payback period.

    A customer's value at acquisition is their gross margin, a share of what they spend, so
    at a margin ``m`` instead of ``margin`` every CLV, its interval and every month's margin
    are multiplied by ``m / margin``. The fully loaded CAC at an overhead ``o`` (a share of
    media spend) is ``(media spend * (1 + o) + rewards) / new customers``. The readout gives,
    by channel, the CAC, the CLV:CAC with its interval
    (:func:`customering_utils.economics.clv_to_cac`) and the payback period in months
    (:func:`customering_utils.economics.payback_period`, at ``discount_rate``); the figure
    draws :func:`customering_utils.plots.clv_to_cac_ratios` beside
    :func:`customering_utils.plots.payback_curves`. Returns an ``ipywidgets.VBox``: show it
    by making it the last line of a cell.

    Parameters
    ----------
    clv_table : DataFrame
        :func:`customering_utils.economics.clv_by_channel` at the gross margin ``margin``:
        one row per channel with ``clv``, ``clv_lower`` and ``clv_upper`` (US dollars).
    cac_table : DataFrame
        :func:`customering_utils.economics.acquisition_cost` with ``by="channel"``: one row
        per channel (every channel of ``clv_table``) with ``media_spend``, ``rewards`` (US
        dollars) and ``new_customers``.
    curves : DataFrame
        Margin per acquired customer in each month since acquisition at the gross margin
        ``margin``, US dollars: indexed by age (0, 1, 2, ...), one column per channel of
        ``clv_table``, NaN after a channel's last observed month.
    margin : float, default 0.30
        The gross margin ``clv_table`` and ``curves`` were computed at, and the margin
        slider's start, above 0 and at most 1.
    overhead : float, default 0.10
        The overhead slider's start, a share of media spend from 0 to 1.
    discount_rate : float, default 0.10
        Yearly discount rate of the payback periods, at least 0.

    Returns
    -------
    ipywidgets.VBox
        The margin slider, the overhead slider, the readout (HTML) and the figure, in that
        order in ``children``.

    Examples
    --------
    One channel whose customer is worth $60 ($50 to $70) and brings $10 of margin a month
    for six months; $1,000 of media spend won 20 customers:

    >>> import pandas as pd
    >>> clv_table = pd.DataFrame({"clv": [60.0], "clv_lower": [50.0], "clv_upper": [70.0]}, index=["search"])
    >>> cac_table = pd.DataFrame({"media_spend": [1000.0], "rewards": [0.0], "new_customers": [20]}, index=["search"])
    >>> curves = pd.DataFrame({"search": [10.0] * 6})
    >>> explorer = unit_economics_explorer(clv_table, cac_table, curves, discount_rate=0.0)
    >>> [child.description for child in explorer.children[:2]]
    ['gross margin', 'overhead']
    >>> "$55.00" in explorer.children[2].value and "1.09" in explorer.children[2].value  # CAC (1,000 + 100) / 20
    True
    >>> explorer.children[1].value = 0.0   # no overhead: CAC $50, CLV:CAC 1.20, payback 5.0 months
    >>> "$50.00" in explorer.children[2].value and "1.20" in explorer.children[2].value and "5.0" in explorer.children[2].value
    True
    """
    import ipywidgets as widgets

    for name, table, columns in (("clv_table", clv_table, ["clv", "clv_lower", "clv_upper"]),
                                 ("cac_table", cac_table, ["media_spend", "rewards", "new_customers"])):
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"{name} should be a pandas DataFrame, got {type(table).__name__}")
        missing = [column for column in columns if column not in table.columns]
        if missing:
            raise ValueError(f"{name} has no column {missing[0]!r}; expected {', '.join(map(repr, columns))}")
    if not isinstance(curves, pd.DataFrame):
        raise TypeError(f"curves should be a pandas DataFrame (months down, channels across), got {type(curves).__name__}")
    channels = list(clv_table.index)
    for name, index in (("cac_table", cac_table.index), ("curves", curves.columns)):
        absent = [channel for channel in channels if channel not in index]
        if absent:
            raise ValueError(f"{name} has nothing for channel {absent[0]!r}; expected every channel of clv_table")
    if not 0 < margin <= 1:
        raise ValueError(f"margin should be a share of revenue above 0 and at most 1 (0.30 for 30%), got {margin!r}")
    if not 0 <= overhead <= 1:
        raise ValueError(f"overhead should be a share of media spend from 0 to 1 (0.10 for 10%), got {overhead!r}")
    if not discount_rate >= 0:
        raise ValueError(f"discount_rate should be a yearly rate of at least 0, got {discount_rate!r}")
    style = {"description_width": "110px"}
    layout = widgets.Layout(width="480px")
    margin_slider = widgets.FloatSlider(value=float(margin), min=0.05, max=0.60, step=0.01, description="gross margin",
                                        readout_format=".0%", style=style, layout=layout)
    overhead_slider = widgets.FloatSlider(value=float(overhead), min=0.0, max=1.0, step=0.01, description="overhead",
                                          readout_format=".0%", style=style, layout=layout)
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="900px"))
    costs = cac_table.reindex(channels)

    def redraw(change: object = None) -> None:
        scale = margin_slider.value / margin
        cac = (costs["media_spend"] * (1 + overhead_slider.value) + costs["rewards"]) / costs["new_customers"]
        table = clv_table[["clv", "clv_lower", "clv_upper"]].astype(float) * scale
        for column, source in (("clv_to_cac", "clv"), ("clv_to_cac_lower", "clv_lower"), ("clv_to_cac_upper", "clv_upper")):
            table[column] = table[source] / cac
        scaled = curves[channels].astype(float) * scale
        rows = []
        for channel in channels:
            curve = scaled[channel].to_numpy()
            curve = curve[: int(np.cumprod(np.isfinite(curve)).sum())]
            back = payback_period(curve, float(cac[channel]), discount_rate)
            said = f"{back:.1f} months" if np.isfinite(back) else f"not within {len(curve)} months"
            rows.append(f"<tr><td>{channel}</td><td>${cac[channel]:,.2f}</td><td><b>{table.loc[channel, 'clv_to_cac']:.2f}</b> "
                        f"({table.loc[channel, 'clv_to_cac_lower']:.2f} to {table.loc[channel, 'clv_to_cac_upper']:.2f})</td>"
                        f"<td>{said}</td></tr>")
        readout.value = ("<table><tr><th>channel</th><th>CAC</th><th>CLV:CAC (interval)</th><th>payback</th></tr>"
                         + "".join(rows) + "</table>")
        picture.value = _figure(table, scaled, cac, discount_rate, margin_slider.value, overhead_slider.value)

    for slider in (margin_slider, overhead_slider):
        slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([margin_slider, overhead_slider, readout, picture])


def _figure(table: pd.DataFrame, curves: pd.DataFrame, cac: pd.Series, discount_rate: float,
            margin: float, overhead: float) -> bytes:
    """PNG bytes of CLV:CAC by channel (left) beside the payback curves (right)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11.0, 4.0), dpi=90, layout="constrained")
    left, right = figure.subplots(1, 2)
    clv_to_cac_ratios(table, ax=left, title=f"CLV:CAC at a {margin:.0%} margin, {overhead:.0%} overhead")
    payback_curves(curves, cac, discount_rate, ax=right, title=f"Payback at {discount_rate:.0%} a year")
    right.legend(loc="upper left", frameon=False, fontsize=7)
    left.legend(loc="lower right", frameon=False, fontsize=7)
    return png(figure)

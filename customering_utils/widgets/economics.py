"""An explorer of simple customer lifetime value: margin, retention and discount rate."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..economics import simple_clv
from ..plots.style import PALETTE, add_grid, nice_ceiling, png

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["clv_explorer"]


def clv_explorer(margin: float, retention: float, discount_rate: float) -> ipywidgets.Widget:
    """Sliders for margin, retention and discount rate, with the simple CLV they give.

    Starts at the values given: ``margin`` per year of a customer who stays (US dollars,
    positive), ``retention`` (the share of customers who stay from one year to the next,
    0 to 0.99) and ``discount_rate`` (per year, 0 to 1). Below the sliders, a readout of
    the CLV (see :func:`customering_utils.economics.simple_clv`) and a figure of CLV
    against retention at the current margin and discount rate, with the starting curve
    in grey for comparison. Returns an ``ipywidgets.VBox``: show it by making it the last
    line of a cell.

    Parameters
    ----------
    margin : float
        The starting margin per year of a customer who stays, US dollars, more than 0.
    retention : float
        The starting retention rate: the share of customers who stay from one year to
        the next, from 0 to 0.99.
    discount_rate : float
        The starting discount rate per year, a share from 0 to 1 (0.10 for 10%).

    Returns
    -------
    ipywidgets.VBox
        The three sliders, the readout of the CLV (US dollars) and the figure, in that
        order in ``children``.

    Examples
    --------
    >>> explorer = clv_explorer(100, 0.8, 0.1)
    >>> [child.description for child in explorer.children[:3]]
    ['margin ($/yr)', 'retention', 'discount rate']
    >>> "$266.67" in explorer.children[3].value
    True
    >>> explorer.children[1].value = 0.5   # what the slider does when moved
    >>> "$83.33" in explorer.children[3].value
    True
    """
    import ipywidgets as widgets

    for name, value in (("margin", margin), ("retention", retention), ("discount_rate", discount_rate)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{name} should be one number, got {type(value).__name__}")
    simple_clv(margin, retention, discount_rate)  # raises a clear ValueError for impossible values
    if margin <= 0:
        raise ValueError(f"margin should be positive (US dollars per year) for the explorer, got {margin!r}")
    if retention > 0.99 or discount_rate > 1:
        raise ValueError(
            f"the explorer's sliders cover retention 0 to 0.99 and discount rates 0 to 1; "
            f"got retention {retention!r} and discount_rate {discount_rate!r}"
        )
    style = {"description_width": "110px"}
    layout = widgets.Layout(width="480px")
    margin_slider = widgets.FloatSlider(
        value=float(margin), min=0.0, max=float(nice_ceiling(2 * margin)), step=1.0,
        description="margin ($/yr)", readout_format=",.0f", style=style, layout=layout,
    )
    retention_slider = widgets.FloatSlider(
        value=float(retention), min=0.0, max=0.99, step=0.01,
        description="retention", readout_format=".0%", style=style, layout=layout,
    )
    discount_slider = widgets.FloatSlider(
        value=float(discount_rate), min=0.0, max=max(0.30, math.ceil(discount_rate * 100) / 100), step=0.01,
        description="discount rate", readout_format=".0%", style=style, layout=layout,
    )
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="560px"))
    start = (float(margin), float(retention), float(discount_rate))

    def redraw(change: object = None) -> None:
        m, r, d = margin_slider.value, retention_slider.value, discount_slider.value
        clv = simple_clv(m, r, d)
        readout.value = (
            f"CLV per customer: <b>${clv:,.2f}</b> "
            f"(a customer who stays is expected to stay {r / (1 - r):.1f} more years, undiscounted)"
        )
        picture.value = _clv_figure(m, r, d, start)

    for slider in (margin_slider, retention_slider, discount_slider):
        slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([margin_slider, retention_slider, discount_slider, readout, picture])


def _clv_figure(margin: float, retention: float, discount_rate: float, start: tuple[float, float, float]) -> bytes:
    """PNG bytes of CLV against retention, now (blue, with a dot at ``retention``) and at the start (grey)."""
    from matplotlib.figure import Figure

    grid = np.linspace(0, 0.95, 96)
    figure = Figure(figsize=(5.6, 3.4), dpi=100, layout="constrained")
    ax = figure.subplots()
    ax.plot(100 * grid, simple_clv(start[0], grid, start[2]), color=PALETTE["grey"], linestyle="--",
            label=f"start: margin ${start[0]:,.0f}, discount {start[2]:.0%}")
    ax.plot(100 * grid, simple_clv(margin, grid, discount_rate), color=PALETTE["blue"], linewidth=2,
            label=f"now: margin ${margin:,.0f}, discount {discount_rate:.0%}")
    ax.plot([100 * retention], [simple_clv(margin, retention, discount_rate)], "o", color=PALETTE["vermillion"])
    ax.set_xlabel("retention (% of customers staying a year)")
    ax.set_ylabel("CLV per customer (US$)")
    ax.set_title("Simple CLV against retention")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    add_grid(ax)
    return png(figure)

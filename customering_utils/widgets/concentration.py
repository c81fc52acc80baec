"""An explorer of concentration: the Lorenz curve and the Gini of revenue or purchases, over all years or one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..concentration import MEASURES, customer_values, gini, lorenz_curve, top_share
from ..plots.style import PALETTE, png
from ..plots.value import lorenz
from ..tables import check_transactions

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["lorenz_explorer"]

ALL_YEARS = "all years"


def lorenz_explorer(transactions: pd.DataFrame, measure: str = "revenue", period: str = ALL_YEARS) -> ipywidgets.Widget:
    """Buttons for the measure and a drop-down of periods, with the Lorenz curve and the Gini they give.

    ``transactions`` has one row per purchase (``customer_id``, ``date``, ``amount`` in US
    dollars). The measure is each customer's ``"revenue"`` (the sum of their amounts, US
    dollars) or ``"purchases"`` (how many they made); the period is ``"all years"`` or one
    calendar year of the data (``"2025"``), and then only the customers who bought in
    that year count. Below, a readout of the Gini coefficient (see
    :func:`customering_utils.concentration.gini`), the share held by the top 20% of
    customers and by the bottom half; and the Lorenz curve (see
    :func:`customering_utils.plots.lorenz`), with the starting choice in grey for
    comparison. Returns an ``ipywidgets.VBox``: show it by making it the last line of a
    cell.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with columns ``customer_id``, ``date`` and ``amount`` (US
        dollars).
    measure : str, default "revenue"
        The measure to start with: ``"revenue"`` or ``"purchases"``.
    period : str, default "all years"
        The period to start with: ``"all years"`` or a year of the data, such as ``"2025"``.

    Returns
    -------
    ipywidgets.VBox
        The measure buttons, the period drop-down, the readout (the Gini, no unit, and
        shares in %) and the figure, in that order in ``children``.

    Examples
    --------
    Customer 1 spends $90 over two purchases, customers 2 and 3 spend $5 each, once:

    >>> import pandas as pd
    >>> purchases = pd.DataFrame({"customer_id": [1, 1, 2, 3],
    ...                           "date": ["2024-03-01", "2025-05-01", "2025-06-01", "2025-07-01"],
    ...                           "amount": [45.0, 45.0, 5.0, 5.0]})
    >>> explorer = lorenz_explorer(purchases)
    >>> measure, period, readout, picture = explorer.children
    >>> period.options
    ('all years', '2024', '2025')
    >>> "Gini <b>0.567</b>" in readout.value   # sorted 5, 5, 90: (2 * 90 - 2 * 5) / (3 * 100)
    True
    >>> measure.value = "purchases"   # what pressing a button does: 2, 1 and 1 purchases
    >>> "Gini <b>0.167</b>" in readout.value
    True
    """
    import ipywidgets as widgets

    data = check_transactions(transactions, ["customer_id", "date", "amount"])
    years = [str(year) for year in sorted(data["date"].dt.year.unique())]
    periods = [ALL_YEARS, *years]
    if measure not in MEASURES:
        raise ValueError(f"measure should be one of {list(MEASURES)}, got {measure!r}")
    if str(period) not in periods:
        raise ValueError(f"period should be one of {periods}, got {period!r}")
    measure_buttons = widgets.ToggleButtons(options=list(MEASURES), value=measure, description="measure",
                                            style={"button_width": "90px"})
    period_picker = widgets.Dropdown(options=periods, value=str(period), description="period",
                                     layout=widgets.Layout(width="240px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="460px"))
    start = (measure, str(period), customer_values(data, measure, _year(str(period))))

    def redraw(change: object = None) -> None:
        values = customer_values(data, measure_buttons.value, _year(period_picker.value))
        readout.value = _readout(values, measure_buttons.value, period_picker.value)
        picture.value = _figure(values, measure_buttons.value, period_picker.value, start)

    measure_buttons.observe(redraw, names="value")
    period_picker.observe(redraw, names="value")
    redraw()
    return widgets.VBox([measure_buttons, period_picker, readout, picture])


def _year(period: str) -> int | None:
    """The year of a period of the drop-down: ``None`` for all years."""
    return None if period == ALL_YEARS else int(period)


def _readout(values: pd.Series, measure: str, period: str) -> str:
    """The Gini, the top 20% and the bottom half of ``values``, as HTML."""
    who = "customers (all years)" if period == ALL_YEARS else f"customers who bought in {period}"
    return (
        f"<b>{measure.capitalize()}, {period}</b>: {len(values):,} {who}. "
        f"Gini <b>{gini(values):.3f}</b>; the top 20% of them hold <b>{top_share(values, 0.2):.1%}</b> "
        f"of the {measure}, the bottom half {1 - top_share(values, 0.5):.1%}."
    )


def _figure(values: pd.Series, measure: str, period: str, start: tuple[str, str, pd.Series]) -> bytes:
    """PNG bytes of the Lorenz curve of ``values``, with the starting choice's curve in grey."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4.6, 4.6), dpi=100, layout="constrained")
    ax = figure.subplots()
    lorenz(values, ax=ax, measure=measure)
    ax.set_title(f"Lorenz curve of {measure}, {period} (Gini {gini(values):.2f})", fontsize=10)
    first = lorenz_curve(start[2])
    ax.plot(100 * first["customer_share"].to_numpy(), 100 * first["revenue_share"].to_numpy(),
            color=PALETTE["grey"], linestyle="-.", linewidth=1.2, label=f"start: {start[0]}, {start[1]}")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    ax.set_ylabel(f"share of {measure} (%)")
    return png(figure)

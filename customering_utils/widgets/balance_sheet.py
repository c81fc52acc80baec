"""An explorer of the quarterly balance sheet of the customer base: choose the quarter, read the page and its table."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..plots.balance_sheet import balance_sheet
from ..plots.style import png

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets
    from matplotlib.figure import Figure

__all__ = ["balance_sheet_explorer"]


def balance_sheet_explorer(
    world: object,
    quarters: tuple[str | pd.Timestamp, ...] | None = None,
    start: str | pd.Timestamp | None = None,
    pages: dict | None = None,
    n_draws: int = 200,
    seed: int = 0,
    **settings: float,
) -> ipywidgets.Widget:
    """The one-page balance sheet of the customer base, quarter by quarter: choose the quarter, read the page.

    A slider picks the quarter by its last day. For it, the explorer shows a readout (the
    value of the base with its 95% range and its change on the quarter, the equity at risk
    and its share of the value, the share of value on the top customers, the service level,
    the NPS, and the channels whose CLV:CAC is below 1), the page
    :func:`customering_utils.plots.balance_sheet.balance_sheet` draws, and its table of
    figures. A quarter takes a few seconds to compute (two refits of the models and a
    simulation), so each is computed once, when first chosen, and kept in ``pages``.

    Parameters
    ----------
    world : World
        The data world (:func:`customering_utils.datasets.load_world`).
    quarters : tuple of str or Timestamp, optional
        The quarters the slider offers, by their last day (the last day of a month, each
        with a quarter of data before it). ``None`` (the default) offers the last eight
        quarters to the end of the world's purchases.
    start : str or Timestamp, optional
        The quarter to show first, one of ``quarters``; ``None`` is the latest.
    pages : dict, optional
        Pages already drawn, to reuse: keys the quarters' last days (str or Timestamp),
        values the ``(Figure, table)`` pairs :func:`~customering_utils.plots.balance_sheet.balance_sheet`
        returns with the same settings. The explorer adds each quarter it computes to it
        (under a Timestamp key), so passing the same dict again costs nothing.
    n_draws : int, default 200
        Simulated values of the base per quarter.
    seed : int, default 0
        Seed of the simulations and bootstraps.
    **settings : float
        Passed on to :func:`~customering_utils.balance_sheet.quarterly_balance_sheet`:
        ``margin``, ``annual_discount_rate``, ``horizon``, ``clv_horizon``, ``top``,
        ``n_resamples``.

    Returns
    -------
    ipywidgets.VBox
        The quarter slider, the readout, the page (an image) and the table (HTML), in that
        order in ``children``.

    Examples
    --------
    >>> from customering_utils import datasets
    >>> world = datasets.load_world()
    >>> explorer = balance_sheet_explorer(world, quarters=("2025-09-30", "2025-12-31"), n_draws=20, n_resamples=100)
    >>> quarter, readout, page, table = explorer.children
    >>> "31 December 2025" in readout.value and "NPS -21.5" in readout.value
    True
    >>> quarter.value = pd.Timestamp("2025-09-30")   # what moving the slider does
    >>> "30 September 2025" in readout.value and "NPS -23.0" in readout.value
    True
    """
    import ipywidgets as widgets

    offered = _quarters(world, quarters)
    first = offered[-1] if start is None else pd.Timestamp(start)
    if first not in offered:
        raise ValueError(f"start should be one of quarters {[f'{q:%Y-%m-%d}' for q in offered]}, got {start!r}")
    if pages is None:
        pages = {}
    elif not isinstance(pages, dict):
        raise TypeError(f"pages should be a dict of (Figure, table) pairs by quarter, got {type(pages).__name__}")
    images: dict[pd.Timestamp, bytes] = {}

    slider = widgets.SelectionSlider(options=[(_label(q), q) for q in offered], value=first, description="quarter",
                                     style={"description_width": "70px"}, layout=widgets.Layout(width="520px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="900px"))
    table_view = widgets.HTML()

    def redraw(change: object = None) -> None:
        day = slider.value
        if day not in images:
            readout.value = f"Computing the quarter to {day:%d %B %Y} (a few seconds, once)..."
            figure, table = _page(world, day, pages, n_draws, seed, settings)
            images[day] = png(figure)
        else:
            table = _page(world, day, pages, n_draws, seed, settings)[1]
        readout.value = _readout(table, day)
        picture.value = images[day]
        table_view.value = _table_html(table)

    slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([slider, readout, picture, table_view])


def _quarters(world: object, quarters: tuple | None) -> list[pd.Timestamp]:
    """The quarters' last days, checked and in order."""
    if quarters is None:
        end = pd.to_datetime(world.transactions["date"]).max().normalize() + pd.offsets.MonthEnd(0)
        return [end - pd.offsets.MonthEnd(3 * k) for k in range(7, -1, -1)]
    days = sorted({pd.Timestamp(q) for q in quarters})
    if not days:
        raise ValueError("quarters should name at least one quarter, by its last day")
    for day in days:
        if (day + pd.Timedelta(days=1)).day != 1:
            raise ValueError(f"quarters should be last days of months (such as 2025-12-31), got {day:%Y-%m-%d}")
    return days


def _page(world: object, day: pd.Timestamp, pages: dict, n_draws: int, seed: int,
          settings: dict) -> tuple[Figure, pd.DataFrame]:
    """The page of the quarter to ``day``: from ``pages`` if there, else drawn and kept there."""
    for key, page in pages.items():
        if pd.Timestamp(key) == day:
            return page
    pages[day] = balance_sheet(world, day, n_draws=n_draws, seed=seed, **settings)
    return pages[day]


def _label(day: pd.Timestamp) -> str:
    """``"Q4 2025"`` for a quarter that ends with a calendar quarter, else ``"to Nov 2025"``."""
    return f"Q{(day.month - 1) // 3 + 1} {day.year}" if day.month % 3 == 0 else f"to {day:%b %Y}"


def _readout(table: pd.DataFrame, day: pd.Timestamp) -> str:
    """The quarter's headline figures in a few sentences."""
    value = table.loc["value of the base"]
    at_risk = table.loc["equity at risk (95% VaR)", "value"]
    top = next(name for name in table.index if name.startswith("share of value on the top"))
    service = table.loc["service level (calls answered within 20 s)", "value"]
    nps = table.loc["NPS", "value"]
    ratios = table.loc[[name for name in table.index if name.startswith("CLV:CAC ")], "value"]
    losing = [name.removeprefix("CLV:CAC ") for name, ratio in ratios.items() if ratio < 1]
    change = f"{value['change']:+,.0f}" if np.isfinite(value["change"]) else "n/a"
    return (f"The quarter to <b>{day:%d %B %Y}</b>: value of the base <b>${value['value']:,.0f}</b> "
            f"(95% range ${value['lower']:,.0f} to ${value['upper']:,.0f}), US$ {change} on the quarter; "
            f"equity at risk ${at_risk:,.0f} ({at_risk / value['value']:.1%} of the value); "
            f"the {top.removeprefix('share of value on the ')} hold {table.loc[top, 'value']:.1%} of it; "
            f"service level {service:.1%}; NPS {nps:.1f}. "
            + (f"CLV:CAC below 1: <b>{', '.join(losing)}</b>." if losing else "Every channel's CLV:CAC is above 1."))


def _table_html(table: pd.DataFrame) -> str:
    """The table of figures, each formatted in its unit."""
    formats = {"US$": "{:,.0f}", "share": "{:.1%}", "customers": "{:,.0f}", "points": "{:.1f}", "ratio": "{:.2f}"}
    shown = pd.DataFrame(index=table.index)
    for column in ("value", "lower", "upper", "previous", "change"):
        shown[column] = [("" if not np.isfinite(number) else formats.get(unit, "{:.2f}").format(number))
                         for number, unit in zip(table[column], table["unit"], strict=True)]
    shown["unit"] = table["unit"]
    return shown.to_html(border=0)

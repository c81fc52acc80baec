"""An explorer of the activity window: how many customers the "active" rule counts, and how it errs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..activity import window_errors
from ..periods import as_day
from ..plots.activity import window_errors as draw_window_errors
from ..plots.style import png

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["activity_window_explorer"]

#: The windows the slider covers, in days: from a month to two years, every 5 days.
SHORTEST, LONGEST, STEP = 30, 730, 5


def activity_window_explorer(
    transactions: pd.DataFrame, still_customer: pd.Series, on: object, window_days: int = 365
) -> ipywidgets.Widget:
    """A slider for the activity window (days), with the customers it counts against the truth.

    A customer is active on ``on`` if they bought in the ``window_days`` days up to and
    including it. ``still_customer`` says who is truly still a customer on ``on`` (in
    the data world, ``~world.truth.customers["churned"]`` for the end of 2025). Below
    the slider (30 to 730 days, in steps of 5), a readout of the customers counted
    active against the truly still customers, and of the rule's two errors: customers
    counted active who have already gone, and still customers it counts inactive (see
    :func:`customering_utils.activity.window_errors`); and a figure of all four counts
    against the window, the current window marked (see
    :func:`customering_utils.plots.window_errors`). Returns an ``ipywidgets.VBox``: show
    it by making it the last line of a cell.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with columns ``customer_id`` and ``date``; other columns
        (such as ``amount``, US dollars) are ignored.
    still_customer : Series of bool
        One row per customer, indexed by ``customer_id``: True if the customer is truly
        still a customer on ``on``.
    on : str or Timestamp
        The day to count on, such as ``"2025-12-31"``.
    window_days : int, default 365
        The window to start at, in days: from 30 to 730, a multiple of 5.

    Returns
    -------
    ipywidgets.VBox
        The slider (days), the readout (counts of customers and shares) and the figure,
        in that order in ``children``.

    Examples
    --------
    Customer 1 bought on 1 March and stays; customer 2 bought on 20 March and has left;
    customer 3 bought on 1 February and stays:

    >>> import pandas as pd
    >>> purchases = pd.DataFrame({"customer_id": [1, 2, 3],
    ...                           "date": pd.to_datetime(["2025-03-01", "2025-03-20", "2025-02-01"])})
    >>> still = pd.Series({1: True, 2: False, 3: True})
    >>> explorer = activity_window_explorer(purchases, still, on="2025-03-31", window_days=30)
    >>> slider, readout, picture = explorer.children
    >>> "<b>1</b> customer counted active" in readout.value   # only customer 2, from 2 March on
    True
    >>> slider.value = 60   # what moving the slider does: customers 1, 2 and 3
    >>> "<b>3</b> customers counted active" in readout.value
    True
    """
    import ipywidgets as widgets

    if (isinstance(window_days, bool) or not isinstance(window_days, int)
            or not SHORTEST <= window_days <= LONGEST or window_days % STEP):
        raise ValueError(
            f"window_days should be a whole number of days from {SHORTEST} to {LONGEST}, a multiple of {STEP} "
            f"(for example 365), got {window_days!r}"
        )
    day = as_day(on, name="on")
    table = window_errors(transactions, still_customer, day, windows=range(SHORTEST, LONGEST + 1, STEP))
    n_customers = len(still_customer)
    slider = widgets.IntSlider(value=window_days, min=SHORTEST, max=LONGEST, step=STEP,
                               description="window (days)", style={"description_width": "110px"},
                               layout=widgets.Layout(width="480px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="640px"))

    def redraw(change: object = None) -> None:
        readout.value = _readout(table.loc[slider.value], slider.value, day, n_customers)
        picture.value = _figure(table, slider.value)

    slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([slider, readout, picture])


def _readout(row: pd.Series, window: int, day: pd.Timestamp, n_customers: int) -> str:
    """One window's counts as HTML: active against the truth, the two errors, the share misclassified."""
    off, active = row["overcount"], int(row["active"])
    if pd.isna(off):
        size = "no customer is truly still there"
    else:
        size = f"{abs(off):.1%} too {'many' if off > 0 else 'few'}" if off != 0 else "the right number"
    return (
        f"Window <b>{window} days</b>, on {day:%d %B %Y}: <b>{active:,}</b> "
        f"customer{'s' if active != 1 else ''} counted active, "
        f"against <b>{int(row['still_customers']):,}</b> truly still customers ({size}).<br>"
        f"Counted active but already gone: <b>{int(row['counted_but_gone']):,}</b>. "
        f"Still customers counted inactive: <b>{int(row['missed']):,}</b>. "
        f"Misclassified: {int(row['misclassified']):,} of {n_customers:,} customers ({row['misclassified_share']:.1%})."
    )


def _figure(table: pd.DataFrame, window: int) -> bytes:
    """PNG bytes of the four counts against the window, ``window`` marked."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 3.6), dpi=100, layout="constrained")
    draw_window_errors(table, window=window, ax=figure.subplots())
    return png(figure)

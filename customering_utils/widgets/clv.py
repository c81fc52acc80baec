"""An explorer of one customer: purchases, the path of P(alive), and lifetime value."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..clv import history_over_time
from ..plots.clv import p_alive_path, purchase_timeline
from ..plots.style import png
from ..tables import check_transactions

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["customer_explorer"]


def customer_explorer(
    transactions: pd.DataFrame,
    model: object,
    clv: pd.Series,
    end: str | pd.Timestamp,
    examples: dict[str, object],
) -> ipywidgets.Widget:
    """Pick a customer; see their purchases, how their P(alive) moved, and what they are worth.

    ``transactions`` needs ``customer_id``, ``date`` and ``amount`` (US dollars);
    ``model`` is a fitted :class:`customering_utils.clv.BetaGeo` (anything with a
    ``p_alive(history)`` method); ``clv`` holds each customer's lifetime value in US
    dollars, indexed by ``customer_id``; ``end`` is the last day observed. The drop-down
    lists the ``examples`` (label: customer id); the box below it takes any customer id.
    Below them, a readout (purchase days, spend, P(alive) on ``end``, CLV) and a figure:
    the purchases (:func:`customering_utils.plots.purchase_timeline`) above the path of
    P(alive) (:func:`customering_utils.plots.p_alive_path`, from
    :func:`customering_utils.clv.history_over_time`).
    Returns an ``ipywidgets.VBox``: show it by making it the last line of a cell.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with ``customer_id``, ``date`` and ``amount`` (US dollars).
        Purchases after ``end`` are left out.
    model : BetaGeo
        A fitted purchase model: anything with a ``p_alive(history)`` method and a
        ``time_unit_`` (``"W"`` weeks or ``"D"`` days).
    clv : Series
        Each customer's lifetime value, US dollars, indexed by ``customer_id``.
    end : str or Timestamp
        The last day observed, such as ``"2025-12-31"``.
    examples : dict
        Customers to offer in the drop-down, as ``{label: customer_id}``; at least one,
        each with a value in ``clv``.

    Returns
    -------
    ipywidgets.VBox
        The drop-down, the customer id box, the readout (counts of purchase days, US
        dollars, P(alive) from 0 to 1) and the figure, in that order in ``children``.

    Examples
    --------
    >>> import pandas as pd
    >>> from customering_utils import clv as models
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 20.0, 8.0],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-01-15", "2025-01-08"])})
    >>> bg = models.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> values = pd.Series({1: 12.5, 2: 3.0})
    >>> explorer = customer_explorer(tx, bg, values, "2025-01-29", {"the repeat buyer": 1, "the one-off": 2})
    >>> "CLV <b>$12.50</b>" in explorer.children[2].value
    True
    >>> explorer.children[0].value = 2   # what picking the one-off does
    >>> explorer.children[1].value, "1 purchase day" in explorer.children[2].value
    (2, True)
    >>> explorer.children[1].value = 99  # a customer who is not there
    >>> "no customer 99" in explorer.children[2].value
    True
    """
    import ipywidgets as widgets

    data = check_transactions(transactions)
    end = pd.Timestamp(end).normalize()
    data = data[data["date"].dt.normalize() <= end]
    if not isinstance(clv, pd.Series):
        raise TypeError(f"clv should be a pandas Series of US dollars indexed by customer_id, got {type(clv).__name__}")
    if not examples:
        raise ValueError("examples should name at least one customer, as {label: customer_id}")
    missing = [label for label, who in examples.items() if who not in clv.index]
    if missing:
        raise ValueError(f"examples {missing} are not customers in clv's index; expected customer ids with a CLV")
    by_customer = {who: rows for who, rows in data.groupby("customer_id")}
    options = [(str(label), int(who)) for label, who in examples.items()]
    picker = widgets.Dropdown(options=options, value=options[0][1],
                              description="example", layout=widgets.Layout(width="420px"))
    chosen = widgets.IntText(value=int(picker.value), description="customer id", layout=widgets.Layout(width="220px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="640px"))

    def redraw(change: object = None) -> None:
        who = chosen.value
        if who not in by_customer or who not in clv.index:
            readout.value = f"There is no customer {who} with purchases on or before {end:%Y-%m-%d}; try another id."
            return
        rows = by_customer[who]
        history = history_over_time(rows, who, end, time_unit=model.time_unit_)
        path = model.p_alive(history)
        n_days = rows["date"].dt.normalize().nunique()
        readout.value = (
            f"Customer <b>{who}</b>: {n_days:,} purchase day{'s' if n_days != 1 else ''} from "
            f"{rows['date'].min():%Y-%m-%d} to {rows['date'].max():%Y-%m-%d}, ${rows['amount'].sum():,.2f} in all. "
            f"On {end:%Y-%m-%d}: P(alive) <b>{path.iloc[-1]:.2f}</b>, CLV <b>${clv[who]:,.2f}</b>."
        )
        picture.value = _customer_figure(rows.set_index("date")["amount"], path, end, who)

    def pick(change: object = None) -> None:
        chosen.value = int(picker.value)

    picker.observe(pick, names="value")
    chosen.observe(redraw, names="value")
    redraw()
    return widgets.VBox([picker, chosen, readout, picture])


def _customer_figure(purchases: pd.Series, path: pd.Series, end: pd.Timestamp, who: object) -> bytes:
    """PNG bytes of one customer's purchases (top) over their P(alive) path (bottom), on one date axis."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 4.8), dpi=100, layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True)
    purchase_timeline(purchases, ax=top, end=end)
    p_alive_path(path, ax=bottom)
    top.set_title(f"Customer {who}: purchases")
    top.set_xlabel("")
    return png(figure)

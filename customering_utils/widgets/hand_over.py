"""An explorer of the hand-over: choose an acquisition channel and a window, see its new customers' first days.

The hand-over is acquisition becoming service: what a new customer meets in their first
days. :func:`first_days` says, customer by customer, whether they made a second purchase,
raised a ticket, and had their first ticket handled badly; :func:`first_days_by_channel`
turns that into shares by channel with Wilson intervals; :func:`hand_over_explorer` draws
one channel against all channels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import intervals
from ..plots.hand_over import MEASURE_LABELS, first_days_funnel
from ..plots.style import png

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["first_days", "first_days_by_channel", "hand_over_explorer"]

MEASURES = tuple(MEASURE_LABELS)
#: The measures' names in the readout.
READOUT = {"second_purchase": "second purchase", "ticket": "raised a ticket", "handled_badly": "first ticket handled badly"}


def first_days(customers: pd.DataFrame, transactions: pd.DataFrame, tickets: pd.DataFrame, *,
               end: str | pd.Timestamp, days: int = 90, hours: float = 24.0) -> pd.DataFrame:
    """Each new customer's first ``days`` days: a second purchase, a ticket, and how the first ticket went.

    Only customers acquired at least ``days`` days before ``end`` are kept, so every
    customer is watched for the whole window. Day 0 is the acquisition date (the first
    purchase); the window is days 0 to ``days``. For each customer:

    - ``second_purchase``: at least two purchases in the window (the first included);
    - ``ticket``: a ticket raised in the window;
    - ``handled_badly``: the first ticket of the window was never resolved, or its first
      response took more than ``hours`` hours.

    Parameters
    ----------
    customers : DataFrame
        One row per customer, indexed by ``customer_id``, with ``acquisition_date`` and
        ``channel`` (the data world's ``world.customers``).
    transactions : DataFrame
        One row per purchase with ``customer_id`` and ``date``.
    tickets : DataFrame
        One row per ticket with ``customer_id``, ``created_at``, ``first_response_hours``
        and ``resolved``.
    end : str or Timestamp
        The last day of the data.
    days : int, default 90
        The window's length in days, 1 to 365.
    hours : float, default 24.0
        A first response slower than this many hours is a ticket handled badly.

    Returns
    -------
    DataFrame
        One row per customer kept, indexed by ``customer_id``, with ``channel`` and the
        three measures (bool).

    Examples
    --------
    Customer 1 bought twice within 90 days and had a ticket answered in 2 hours; customer 2
    bought once and had a ticket never resolved; customer 3 came too late to be watched.

    >>> import pandas as pd
    >>> customers = pd.DataFrame({"acquisition_date": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-12-01"]),
    ...                           "channel": ["search", "social", "search"]}, index=pd.Index([1, 2, 3], name="customer_id"))
    >>> transactions = pd.DataFrame({"customer_id": [1, 1, 2, 3],
    ...                              "date": pd.to_datetime(["2025-01-01", "2025-02-10", "2025-02-01", "2025-12-01"])})
    >>> tickets = pd.DataFrame({"customer_id": [1, 2], "created_at": pd.to_datetime(["2025-01-02 10:00", "2025-02-01 12:00"]),
    ...                         "first_response_hours": [2.0, 5.0], "resolved": [True, False]})
    >>> first_days(customers, transactions, tickets, end="2025-12-31")
                channel  second_purchase  ticket  handled_badly
    customer_id
    1            search             True    True          False
    2            social            False    True           True
    """
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
        raise ValueError(f"days should be a whole number of days from 1 to 365, got {days!r}")
    for name, table, columns in (("customers", customers, ["acquisition_date", "channel"]),
                                 ("transactions", transactions, ["customer_id", "date"]),
                                 ("tickets", tickets, ["customer_id", "created_at", "first_response_hours", "resolved"])):
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"{name} should be a pandas DataFrame, got {type(table).__name__}")
        missing = [column for column in columns if column not in table.columns]
        if missing:
            raise ValueError(f"{name} is missing columns {missing}; expected {columns}")
    acquired = pd.to_datetime(customers["acquisition_date"])
    kept = customers.loc[acquired <= pd.Timestamp(end) - pd.Timedelta(days=days), ["channel"]].copy()

    def within(table: pd.DataFrame, when: str) -> pd.DataFrame:
        age = (pd.to_datetime(table[when]).dt.normalize() - acquired.reindex(table["customer_id"]).to_numpy()).dt.days
        return table[(age >= 0) & (age <= days) & table["customer_id"].isin(kept.index)]

    bought = within(transactions, "date").groupby("customer_id").size()
    early = within(tickets, "created_at").sort_values("created_at").groupby("customer_id").head(1)
    bad = ~early["resolved"].astype(bool) | (early["first_response_hours"] > hours)
    kept["second_purchase"] = bought.reindex(kept.index, fill_value=0).to_numpy() >= 2
    kept["ticket"] = kept.index.isin(early["customer_id"])
    kept["handled_badly"] = kept.index.isin(early.loc[bad, "customer_id"])
    return kept


def first_days_by_channel(table: pd.DataFrame, confidence: float = 0.95, everyone: bool = True) -> pd.DataFrame:
    """The share of each channel's new customers for each measure of :func:`first_days`, with Wilson intervals.

    Parameters
    ----------
    table : DataFrame
        :func:`first_days`'s table: ``channel`` and the measures ``second_purchase``,
        ``ticket`` and ``handled_badly`` (bool), one row per customer.
    confidence : float, default 0.95
        The intervals' level.
    everyone : bool, default True
        Whether to add the rows of all channels together (channel ``"all channels"``).

    Returns
    -------
    DataFrame
        One row per measure and channel (measures in the order above, channels sorted),
        with ``measure``, ``channel``, ``customers``, ``count``, ``share``, ``lower`` and
        ``upper``.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"channel": ["search"] * 4, "second_purchase": [True, True, False, False],
    ...                       "ticket": [True, False, False, False], "handled_badly": [False] * 4})
    >>> first_days_by_channel(table, everyone=False)[["measure", "count", "share"]]
               measure  count  share
    0  second_purchase      2   0.50
    1           ticket      1   0.25
    2    handled_badly      0   0.00
    """
    missing = [column for column in ("channel", *MEASURES) if column not in table.columns]
    if missing:
        raise ValueError(f"table is missing columns {missing}; expected first_days's table")
    groups = [(channel, part) for channel, part in table.groupby("channel", sort=True)]
    if everyone:
        groups.append(("all channels", table))
    rows = []
    for measure in MEASURES:
        for channel, part in groups:
            count = int(part[measure].sum())
            share = intervals.proportion(count, len(part), confidence)
            rows.append({"measure": measure, "channel": channel, "customers": len(part), "count": count,
                         "share": share.estimate, "lower": share.lower, "upper": share.upper})
    return pd.DataFrame(rows)


def hand_over_explorer(customers: pd.DataFrame, transactions: pd.DataFrame, tickets: pd.DataFrame, *,
                       end: str | pd.Timestamp, channel: str = "referral", days: int = 90,
                       hours: float = 24.0) -> ipywidgets.Widget:
    """Choose an acquisition channel and a window: its new customers' first days, against all channels.

    The readout gives the chosen channel's customers watched for the whole window and the
    share who made a second purchase, raised a ticket and had their first ticket handled
    badly (:func:`first_days`), each with its 95% Wilson interval, and the share of those
    with a ticket whose ticket went badly. The figure draws the same shares for the
    channel and for all channels (:func:`customering_utils.plots.hand_over.first_days_funnel`).
    Returns an ``ipywidgets.VBox``: show it by making it the last line of a cell.

    Parameters
    ----------
    customers, transactions, tickets : DataFrame
        As for :func:`first_days` (the data world's tables).
    end : str or Timestamp
        The last day of the data.
    channel : str, default "referral"
        The channel to start with; one of ``customers["channel"]``.
    days : int, default 90
        The window to start with, 30 to 180 days (the slider moves in steps of 15).
    hours : float, default 24.0
        A first response slower than this many hours is a ticket handled badly.

    Returns
    -------
    ipywidgets.VBox
        The channel's drop-down, the days slider, the readout and the figure, in that
        order in ``children``.

    Examples
    --------
    >>> import pandas as pd
    >>> customers = pd.DataFrame({"acquisition_date": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
    ...                           "channel": ["search", "referral", "referral"]}, index=pd.Index([1, 2, 3], name="customer_id"))
    >>> transactions = pd.DataFrame({"customer_id": [1, 2, 2, 3],
    ...                              "date": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-06-01", "2025-03-01"])})
    >>> tickets = pd.DataFrame({"customer_id": [3], "created_at": pd.to_datetime(["2025-03-02 09:00"]),
    ...                         "first_response_hours": [30.0], "resolved": [True]})
    >>> explorer = hand_over_explorer(customers, transactions, tickets, end="2025-12-31")
    >>> choice, window, readout, picture = explorer.children
    >>> "second purchase 0.0%" in readout.value   # customer 2's second purchase came after 120 days
    True
    >>> window.value = 135                       # what the slider does: a longer window
    >>> "second purchase 50.0%" in readout.value
    True
    """
    import ipywidgets as widgets

    channels = sorted(pd.unique(customers["channel"]).tolist()) if isinstance(customers, pd.DataFrame) else []
    if channel not in channels:
        raise ValueError(f"channel should be one of {channels}, got {channel!r}")
    if isinstance(days, bool) or not isinstance(days, int) or not 30 <= days <= 180 or days % 15:
        raise ValueError(f"days should be 30 to 180 in steps of 15, got {days!r}")
    tables: dict[int, pd.DataFrame] = {}

    def shares(window: int) -> pd.DataFrame:
        if window not in tables:
            tables[window] = first_days_by_channel(first_days(customers, transactions, tickets, end=end, days=window,
                                                              hours=hours))
        return tables[window]

    choice = widgets.Dropdown(options=channels, value=channel, description="channel",
                              style={"description_width": "110px"}, layout=widgets.Layout(width="360px"))
    window = widgets.IntSlider(value=days, min=30, max=180, step=15, description="window (days)",
                               style={"description_width": "110px"}, layout=widgets.Layout(width="520px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="680px"))

    def redraw(change: object = None) -> None:
        table = shares(window.value)
        chosen = table[table["channel"].isin([choice.value, "all channels"])]
        readout.value = _readout(table, choice.value, window.value)
        picture.value = _figure(chosen, window.value)

    for control in (choice, window):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([choice, window, readout, picture])


def _readout(table: pd.DataFrame, channel: str, days: int) -> str:
    """The channel's customers and shares, with intervals, as HTML."""
    mine = table[table["channel"] == channel].set_index("measure")
    if mine.empty:
        return f"<b>{channel}</b>: no customer acquired at least {days} days before the end of the data"
    customers = int(mine["customers"].iloc[0])
    said = [f"{READOUT[m]} {row['share']:.1%} (95% interval {row['lower']:.1%} to {row['upper']:.1%})" for m, row in mine.iterrows()]
    tickets, bad = int(mine.loc["ticket", "count"]), int(mine.loc["handled_badly", "count"])
    of_tickets = f"{bad / tickets:.1%} of the {tickets:,} with a ticket" if tickets else "no ticket raised"
    return (f"<b>{channel}</b>: {customers:,} customers watched for {days} days<br>" + "<br>".join(said)
            + f"<br>handled badly: {of_tickets}")


def _figure(table: pd.DataFrame, days: int) -> bytes:
    """PNG bytes of the channel's shares against all channels'."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.2, 3.6), dpi=100, layout="constrained")
    ax = figure.subplots()
    first_days_funnel(table, ax=ax, days=days)
    ax.title.set_fontsize(10)
    return png(figure)

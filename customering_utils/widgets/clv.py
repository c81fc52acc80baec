"""Explorers of lifetime value: one customer (purchases, the path of P(alive), CLV), and the base over the years."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..clv import history_over_time
from ..economics import simple_clv
from ..periods import per_period_rate
from ..plots.clv import p_alive_path, purchase_timeline
from ..plots.style import PALETTE, add_grid, png
from ..tables import check_transactions

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["customer_explorer", "horizon_explorer"]


def customer_explorer(
    transactions: pd.DataFrame,
    model: object,
    clv: pd.Series,
    end: str | pd.Timestamp,
    examples: dict[str, object],
    refits: dict[object, object] | None = None,
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
    Without ``refits``, every day of the path uses ``model``, fitted on the data up to
    ``end``: today's parameters applied to the past. With ``refits``, models fitted on
    the purchases up to each of several dates (say each month-end), each day of the path
    uses the latest of them fitted on or before that day, so the path shows what the
    company could have computed then (days before the first refit use the first one).
    The readout's P(alive) on ``end`` always comes from ``model``.
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
    refits : dict, optional
        ``{date: model}``: purchase models fitted on the data up to each date (dates as
        text or Timestamps), each with a ``p_alive(history)`` method and the same
        ``time_unit_`` as ``model``; ``None`` (the default) uses ``model`` for every day.

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

    With models refitted on the data up to two dates, the path uses each from its date on:

    >>> early = models.BetaGeo.from_params(r=0.5, alpha=2.0, a=0.5, b=1.0)
    >>> refitted = customer_explorer(tx, bg, values, "2025-01-29", {"the repeat buyer": 1},
    ...                              refits={"2025-01-01": early, "2025-01-22": bg})
    >>> "the latest model fitted on or before that day" in refitted.children[2].value
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
    refits = _check_refits(refits, model)
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
        path = _p_alive_then(history, model, refits)
        today = float(model.p_alive(history.iloc[[-1]]).iloc[0])
        n_days = rows["date"].dt.normalize().nunique()
        readout.value = (
            f"Customer <b>{who}</b>: {n_days:,} purchase day{'s' if n_days != 1 else ''} from "
            f"{rows['date'].min():%Y-%m-%d} to {rows['date'].max():%Y-%m-%d}, ${rows['amount'].sum():,.2f} in all. "
            f"On {end:%Y-%m-%d}: P(alive) <b>{today:.2f}</b>, CLV <b>${clv[who]:,.2f}</b>. "
            + ("The path's P(alive) on each day comes from the latest model fitted on or before that day."
               if refits else "The path applies today's parameters to every day.")
        )
        picture.value = _customer_figure(rows.set_index("date")["amount"], path, end, who, bool(refits))

    def pick(change: object = None) -> None:
        chosen.value = int(picker.value)

    picker.observe(pick, names="value")
    chosen.observe(redraw, names="value")
    redraw()
    return widgets.VBox([picker, chosen, readout, picture])


def _check_refits(refits: dict[object, object] | None, model: object) -> dict[pd.Timestamp, object]:
    """``refits`` with its dates as days, checked: models with ``p_alive`` in the model's unit of time."""
    if refits is None:
        return {}
    if not isinstance(refits, dict) or not refits:
        raise TypeError("refits should be a dict of {date: fitted model}, with at least one model, or None")
    checked = {}
    for day, fitted in refits.items():
        if not hasattr(fitted, "p_alive") or getattr(fitted, "time_unit_", None) != model.time_unit_:
            raise ValueError(f"refits[{day!r}] should be a fitted purchase model with p_alive and "
                             f"time_unit_ {model.time_unit_!r}, as model has")
        checked[pd.Timestamp(day).normalize()] = fitted
    return dict(sorted(checked.items()))


def _p_alive_then(history: pd.DataFrame, model: object, refits: dict[pd.Timestamp, object]) -> pd.Series:
    """P(alive) on each day of ``history``: from ``model``, or from the latest refit on or before the day."""
    if not refits:
        return model.p_alive(history)
    dates = pd.DatetimeIndex(list(refits))
    which = np.maximum(dates.searchsorted(history.index, side="right") - 1, 0)
    parts = [refits[dates[i]].p_alive(history.iloc[np.flatnonzero(which == i)]) for i in np.unique(which)]
    return pd.concat(parts).sort_index()


def _customer_figure(purchases: pd.Series, path: pd.Series, end: pd.Timestamp, who: object, refitted: bool) -> bytes:
    """PNG bytes of one customer's purchases (top) over their P(alive) path (bottom), on one date axis."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 4.8), dpi=100, layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True)
    purchase_timeline(purchases, ax=top, end=end)
    p_alive_path(path, ax=bottom)
    top.set_title(f"Customer {who}: purchases")
    top.set_xlabel("")
    bottom.set_title("P(alive), from the latest model fitted on or before each day" if refitted
                     else "P(alive) on each day, with today's parameters")
    return png(figure)


def horizon_explorer(
    weekly_revenue: pd.Series | np.ndarray,
    *,
    customers: int,
    gross_margin: float,
    margin_per_customer: float,
    retention: float,
    discount_rate: float,
    years: int = 10,
) -> ipywidgets.Widget:
    """Sliders for the horizon, the discount rate and a retention; the value of a base by a purchase model and by the simple CLV.

    ``weekly_revenue`` is the revenue a purchase and spend model expects from a base of
    ``customers`` customers in each coming week (week 1 first, US dollars, undiscounted),
    such as the sum over the customers of their expected purchases in each week (BG/NBD)
    times their expected spend (Gamma-Gamma). Over a horizon of :math:`H` years the
    model values the base at

    .. math:: \\text{gross margin} \\times \\sum_{k=1}^{52H} \\frac{w_k}{(1+d_w)^{k}},
              \\qquad 1 + d_w = (1 + d)^{7/365.25},

    as :func:`customering_utils.clv.customer_lifetime_value` does customer by customer.
    Beside it, the simple CLV of one average customer
    (:func:`customering_utils.economics.simple_clv`: ``margin_per_customer`` a year,
    ``retention`` from one year to the next, discount rate :math:`d`) over the same
    :math:`H` years and for ever, times ``customers``. Sliders move the horizon (1 to
    ``years``), the discount rate (0 to 30%) and the simple CLV's retention; the readout
    gives both values of the base and per customer, and the figure draws both as running
    totals over the years. Returns an ``ipywidgets.VBox``: show it by making it the last
    line of a cell.

    Parameters
    ----------
    weekly_revenue : Series or array
        Expected revenue of the base in each coming week, US dollars (at least 0, finite),
        week 1 first; at least ``52 * years`` weeks.
    customers : int
        How many customers the base holds (at least 1): the simple CLV is per customer.
    gross_margin : float
        The share of revenue the company keeps, more than 0 and at most 1 (0.30 for 30%).
    margin_per_customer : float
        The simple CLV's margin a year of a customer who stays, US dollars, more than 0.
    retention : float
        The simple CLV's starting retention: the share of customers who stay from one
        year to the next, from 0 to 0.95.
    discount_rate : float
        The starting discount rate a year, from 0 to 0.30 (0.10 for 10%).
    years : int, default 10
        The longest horizon on the slider, in years (at least 1).

    Returns
    -------
    ipywidgets.VBox
        The three sliders (horizon in years, discount rate a year, retention), the readout
        (US dollars) and the figure, in that order in ``children``.

    Examples
    --------
    A base of 2 customers expected to bring $10 of revenue every week for 2 years:

    >>> explorer = horizon_explorer([10.0] * 104, customers=2, gross_margin=0.3, margin_per_customer=100.0,
    ...                             retention=0.5, discount_rate=0.0, years=2)
    >>> [child.description for child in explorer.children[:3]]
    ['horizon (years)', 'discount rate', 'retention']
    >>> "the purchase model values the 2 customers at <b>$156</b>" in explorer.children[3].value   # 0.3 x 52 x 10
    True
    >>> explorer.children[0].value = 2   # what moving the horizon does
    >>> "at <b>$312</b>" in explorer.children[3].value, "simple CLV" in explorer.children[3].value
    (True, True)
    """
    import ipywidgets as widgets

    revenue = np.asarray(weekly_revenue, dtype=float)
    if revenue.ndim != 1 or not np.isfinite(revenue).all() or (revenue < 0).any():
        raise ValueError("weekly_revenue should be one finite revenue of at least 0 US dollars for each coming week")
    if isinstance(years, bool) or not isinstance(years, (int, np.integer)) or years < 1 or len(revenue) < 52 * years:
        raise ValueError(f"years should be a whole number of at least 1, with 52 weeks of weekly_revenue for each; "
                         f"got years={years!r} and {len(revenue)} weeks")
    if isinstance(customers, bool) or not isinstance(customers, (int, np.integer)) or customers < 1:
        raise ValueError(f"customers should be a whole number of at least 1, got {customers!r}")
    if not 0 < gross_margin <= 1:
        raise ValueError(f"gross_margin should be a share of revenue above 0 and at most 1, got {gross_margin!r}")
    if not margin_per_customer > 0:
        raise ValueError(f"margin_per_customer should be positive (US dollars a year), got {margin_per_customer!r}")
    if not (0 <= retention <= 0.95 and 0 <= discount_rate <= 0.30):
        raise ValueError(f"the sliders cover retention 0 to 0.95 and discount rates 0 to 0.30; "
                         f"got retention {retention!r} and discount_rate {discount_rate!r}")
    style = {"description_width": "110px"}
    layout = widgets.Layout(width="480px")
    horizon = widgets.IntSlider(value=1, min=1, max=int(years), step=1, description="horizon (years)",
                                style=style, layout=layout)
    rate = widgets.FloatSlider(value=float(discount_rate), min=0.0, max=0.30, step=0.01, description="discount rate",
                               readout_format=".0%", style=style, layout=layout)
    keep = widgets.FloatSlider(value=float(retention), min=0.0, max=0.95, step=0.01, description="retention",
                               readout_format=".2f", style=style, layout=layout)
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="600px"))
    weeks = revenue[: 52 * int(years)]

    def redraw(change: object = None) -> None:
        running = gross_margin * np.cumsum(weeks * (1 + per_period_rate(rate.value, "W")) ** -np.arange(1, len(weeks) + 1))
        simple = customers * simple_clv(margin_per_customer, keep.value, rate.value, periods=horizon.value)
        for_ever = customers * simple_clv(margin_per_customer, keep.value, rate.value)
        model = running[52 * horizon.value - 1]
        readout.value = (
            f"Over <b>{horizon.value}</b> year{'s' if horizon.value != 1 else ''}, discount rate {rate.value:.0%} a year: "
            f"the purchase model values the {customers:,} customers at <b>${model:,.0f}</b> (${model / customers:,.2f} each); "
            f"the simple CLV (margin ${margin_per_customer:,.2f} a year, retention {keep.value:.2f}) at "
            f"<b>${simple:,.0f}</b> (${simple / customers:,.2f} each), and at ${for_ever:,.0f} for ever."
        )
        picture.value = _horizon_figure(running, customers, margin_per_customer, keep.value, rate.value, horizon.value)

    for slider in (horizon, rate, keep):
        slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([horizon, rate, keep, readout, picture])


def _horizon_figure(running: np.ndarray, customers: int, margin: float, retention: float, rate: float,
                    horizon: int) -> bytes:
    """PNG bytes of the base's value by the purchase model (weekly running total) and by the simple CLV (yearly)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import StrMethodFormatter

    years = len(running) // 52
    figure = Figure(figsize=(6.0, 3.6), dpi=100, layout="constrained")
    ax = figure.subplots()
    ax.plot(np.arange(len(running) + 1) / 52, np.append(0.0, running), color=PALETTE["blue"], linewidth=2,
            label="purchase model (BG/NBD and Gamma-Gamma)")
    steps = np.arange(years + 1)
    simple = [0.0] + [customers * simple_clv(margin, retention, rate, periods=int(t)) for t in steps[1:]]
    ax.plot(steps, simple, "o-", color=PALETTE["orange"], linewidth=2, markersize=4,
            label=f"simple CLV, retention {retention:.2f}")
    ax.axhline(customers * simple_clv(margin, retention, rate), color=PALETTE["orange"], linestyle="--", linewidth=1,
               label="simple CLV, for ever")
    ax.axvline(horizon, color=PALETTE["grey"], linestyle=":", linewidth=1.5)
    ax.set_xlabel("horizon (years from today)")
    ax.set_ylabel("value of the base (US$)")
    ax.set_title(f"Value of the {customers:,} customers, discount rate {rate:.0%}")
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlim(0, years)
    ax.set_ylim(0, None)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    add_grid(ax)
    return png(figure)

"""Move marketing budget between acquisition channels: the new customers, their value and the payback."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..economics import payback_period
from ..plots.style import PALETTE, add_grid, png

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["budget_outcome", "channel_budget_explorer", "mix_payback"]


def _check_plan(plan: pd.DataFrame) -> None:
    missing = {"spend", "new_customers", "clv"} - set(plan.columns)
    if missing:
        raise ValueError(f"plan needs the columns spend, new_customers and clv; missing {sorted(missing)}")
    if (plan["spend"] <= 0).any() or (plan["new_customers"] <= 0).any():
        raise ValueError("every channel of plan needs a positive spend and positive new_customers")


def budget_outcome(plan: pd.DataFrame, spend: pd.Series | dict | None = None, headroom: float = 2.0) -> pd.DataFrame:
    """New customers and their value per channel at a new spend, on a response curve fitted to the plan.

    Each channel's new customers grow with its spend, with diminishing returns, up to a
    ceiling of ``headroom`` times the customers it brings now:

    .. math:: n(x) = N\\,\\left(1 - e^{-k x}\\right), \\qquad N = h\\,n_0, \\qquad
              k = -\\frac{1}{x_0} \\ln\\!\\left(1 - \\frac{1}{h}\\right),

    so the curve passes through today's spend :math:`x_0` and customers :math:`n_0`
    (as :func:`customering_utils.economics.response_curve` does with a ceiling of 1 and a
    rate of :math:`1/h`). Extra spend buys fewer customers than the last dollar did: the
    average CAC rises with the spend. Each new customer is worth the channel's ``clv``.

    Parameters
    ----------
    plan : DataFrame
        One row per channel (the index), with today's ``spend`` (US dollars), the
        ``new_customers`` it brought (a count) and ``clv``, the value of one new customer
        (US dollars), all positive.
    spend : Series or dict, optional
        The new spend of each channel, US dollars, at least 0; channels left out keep
        today's. By default today's spend for all.
    headroom : float, default 2.0
        How many times today's customers the channel could bring with unlimited spend,
        above 1: an assumption to state.

    Returns
    -------
    DataFrame
        One row per channel with ``spend`` (US dollars), ``new_customers`` (expected, a
        fractional count), ``cac`` (average, US dollars per customer; NaN with no spend),
        ``clv`` and ``value`` (new customers times CLV, US dollars).

    Examples
    --------
    Twice today's spend, with room to double: the shortfall from the ceiling is squared,
    so 100 customers become 150, not 200:

    >>> plan = pd.DataFrame({"spend": [1000.0], "new_customers": [100], "clv": [30.0]},
    ...                     index=pd.Index(["search"], name="channel"))
    >>> budget_outcome(plan, {"search": 2000.0}).round(2)
              spend  new_customers    cac   clv   value
    channel
    search   2000.0          150.0  13.33  30.0  4500.0
    """
    _check_plan(plan)
    if not headroom > 1:
        raise ValueError(f"headroom should be above 1 (a channel's ceiling over today's customers), got {headroom!r}")
    new_spend = plan["spend"].astype(float).copy()
    if spend is not None:
        given = pd.Series(spend, dtype=float)
        unknown = set(given.index) - set(plan.index)
        if unknown:
            raise ValueError(f"spend names channels not in plan: {sorted(unknown)}")
        if (given < 0).any():
            raise ValueError("spend should be at least 0 for every channel")
        new_spend.loc[given.index] = given
    ceiling = headroom * plan["new_customers"].astype(float)
    k = -np.log(1 - 1 / headroom) / plan["spend"].astype(float)
    customers = ceiling * (1 - np.exp(-k * new_spend))
    out = pd.DataFrame({"spend": new_spend, "new_customers": customers})
    out["cac"] = (out["spend"] / out["new_customers"]).where(out["new_customers"] > 0)
    out["clv"] = plan["clv"].astype(float)
    out["value"] = out["new_customers"] * out["clv"]
    return out


def mix_payback(outcome: pd.DataFrame, margin_curves: pd.DataFrame, discount_rate: float) -> float:
    """The payback period, in periods of the curves, of all the channels' new customers together.

    The mix's margin curve is the channels' curves (margin per acquired customer in each
    period since acquisition) weighted by their new customers; its CAC is the total spend
    over the total new customers; :func:`customering_utils.economics.payback_period`
    reads the two.

    Parameters
    ----------
    outcome : DataFrame
        One row per channel with ``spend`` and ``new_customers``, as :func:`budget_outcome`
        returns it.
    margin_curves : DataFrame
        One column per channel of ``outcome``, one row per period since acquisition (0, 1,
        ...): the margin per acquired customer, US dollars (monthly, say).
    discount_rate : float
        Yearly discount rate, at least 0; the curves' periods are taken as months.

    Returns
    -------
    float
        The payback in periods (fractional), ``inf`` if the mix's curve never reaches its CAC.

    Examples
    --------
    >>> outcome = pd.DataFrame({"spend": [300.0, 100.0], "new_customers": [10.0, 10.0]}, index=["a", "b"])
    >>> curves = pd.DataFrame({"a": [10.0, 10.0, 10.0], "b": [2.0, 2.0, 2.0]})
    >>> mix_payback(outcome, curves, discount_rate=0.0)  # CAC $20 against $6 a month
    inf
    >>> round(mix_payback(outcome, pd.DataFrame({"a": [10.0] * 4, "b": [10.0] * 4}), discount_rate=0.0), 2)
    2.0
    """
    weights = outcome["new_customers"].astype(float)
    curve = (margin_curves[outcome.index].fillna(0.0) * weights).sum(axis=1) / weights.sum()
    cac = outcome["spend"].sum() / weights.sum()
    return payback_period(curve.to_numpy(), cac, discount_rate)


def channel_budget_explorer(plan: pd.DataFrame, margin_curves: pd.DataFrame, headroom: float = 2.0,
                            discount_rate: float = 0.10) -> ipywidgets.Widget:
    """Move budget from one channel to another and see the new customers, their value and the payback.

    Two drop-downs pick the channel that gives budget and the one that receives it; a
    slider sets the amount moved (US dollars, up to the giving channel's whole spend).
    Each channel's new customers follow :func:`budget_outcome`'s response curve, so the
    receiving channel's extra customers cost more than its average CAC today. The readout
    gives the new customers, their value (customers times each channel's CLV) and the
    payback of the whole mix (:func:`mix_payback`), now and after the move; the figure
    draws each channel's new customers, now and after. Returns an ``ipywidgets.VBox``:
    make it the last line of a cell.

    Parameters
    ----------
    plan : DataFrame
        One row per channel (the index) with ``spend`` (US dollars), ``new_customers`` and
        ``clv`` (US dollars), as :func:`budget_outcome` takes it.
    margin_curves : DataFrame
        Margin per acquired customer by month since acquisition (rows 0, 1, ...), one
        column per channel of ``plan``, US dollars.
    headroom : float, default 2.0
        Each channel's ceiling, in multiples of today's new customers (above 1).
    discount_rate : float, default 0.10
        Yearly discount rate of the payback, at least 0.

    Returns
    -------
    ipywidgets.VBox
        The "from" and "to" drop-downs, the amount slider, the readout (HTML) and the
        figure (an image), in that order in ``children``.

    Examples
    --------
    >>> plan = pd.DataFrame({"spend": [1000.0, 1000.0], "new_customers": [50, 20], "clv": [40.0, 60.0]},
    ...                     index=pd.Index(["search", "display"], name="channel"))
    >>> curves = pd.DataFrame({"search": [8.0] * 12, "display": [5.0] * 12})
    >>> explorer = channel_budget_explorer(plan, curves)
    >>> [child.description for child in explorer.children[:3]]
    ['from', 'to', 'amount ($)']
    >>> "<b>70 new customers</b>" in explorer.children[3].value  # nothing moved yet
    True
    >>> explorer.children[2].value = 500.0  # move $500 from display to search
    >>> "<b>76.4 new customers</b> worth <b>$3,289</b>" in explorer.children[3].value
    True
    """
    import ipywidgets as widgets

    _check_plan(plan)
    if len(plan) < 2:
        raise ValueError("plan needs at least two channels to move budget between")
    missing = set(plan.index) - set(margin_curves.columns)
    if missing:
        raise ValueError(f"margin_curves has no column for {sorted(missing)}")
    channels = [str(name) for name in plan.index]
    by_value = plan.assign(per_dollar=plan["new_customers"] * plan["clv"] / plan["spend"]).sort_values("per_dollar")
    style = {"description_width": "90px"}
    giver = widgets.Dropdown(options=channels, value=str(by_value.index[0]), description="from", style=style)
    taker = widgets.Dropdown(options=channels, value=str(by_value.index[-1]), description="to", style=style)
    amount = widgets.FloatSlider(value=0.0, min=0.0, max=float(plan.loc[giver.value, "spend"]), step=100.0,
                                 description="amount ($)", readout_format=",.0f", style=style,
                                 layout=widgets.Layout(width="480px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="560px"))
    before = budget_outcome(plan, headroom=headroom)
    payback_before = mix_payback(before, margin_curves, discount_rate)

    def redraw(change: object = None) -> None:
        amount.max = float(plan.loc[giver.value, "spend"])
        spend = plan["spend"].astype(float).copy()
        if giver.value != taker.value:
            spend[giver.value] -= amount.value
            spend[taker.value] += amount.value
        after = budget_outcome(plan, spend, headroom=headroom)
        payback_after = mix_payback(after, margin_curves, discount_rate)
        readout.value = (
            f"Now: {_count(before['new_customers'].sum())} new customers worth ${before['value'].sum():,.0f}, "
            f"payback {_months(payback_before)}.<br>"
            f"After moving ${amount.value:,.0f} from {giver.value} to {taker.value}: "
            f"<b>{_count(after['new_customers'].sum())} new customers</b> worth "
            f"<b>${after['value'].sum():,.0f}</b> ({after['value'].sum() - before['value'].sum():+,.0f}), "
            f"payback <b>{_months(payback_after)}</b>; the same total spend, ${after['spend'].sum():,.0f}."
        )
        picture.value = _customers_figure(before, after)

    for control in (giver, taker, amount):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([giver, taker, amount, readout, picture])


def _count(value: float) -> str:
    """A count of customers: whole if it is one, else with one decimal."""
    return f"{value:,.0f}" if abs(value - round(value)) < 0.05 else f"{value:,.1f}"


def _months(value: float) -> str:
    return "not within the curves' months" if math.isinf(value) else f"{value:.1f} months"


def _customers_figure(before: pd.DataFrame, after: pd.DataFrame) -> bytes:
    """PNG bytes of each channel's new customers, now (grey) and after the move (blue)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5.6, 3.2), dpi=100, layout="constrained")
    ax = figure.subplots()
    x = np.arange(len(before))
    ax.bar(x - 0.2, before["new_customers"], width=0.4, color=PALETTE["grey"], label="now")
    ax.bar(x + 0.2, after["new_customers"], width=0.4, color=PALETTE["blue"], label="after the move")
    ax.set_xticks(x, [str(name) for name in before.index])
    ax.set_xlabel("acquisition channel")
    ax.set_ylabel("new customers (count)")
    ax.set_title("New customers by channel, now and after the move")
    ax.legend(frameon=False, fontsize=8)
    add_grid(ax)
    return png(figure)

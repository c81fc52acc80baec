"""An explorer of the contraindication: move the rule that defines poor service, see the experience's effect in each group."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from .. import experiments, intervals
from ..plots.contraindication import effects_by_group
from ..plots.style import png

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["contraindication_explorer"]

#: The two groups' names, in the readout and the legend.
GROUPS = ("poor service", "the rest")


def contraindication_explorer(experiment: pd.DataFrame, tickets: pd.DataFrame, *, start: str = "2025-03-03",
                              hours: int = 24, unresolved: bool = True, adjust: bool = False,
                              outcome: str = "outcome_purchases", covariate: str = "pre_purchases_52w",
                              truth: pd.Series | None = None) -> ipywidgets.Widget:
    """The experience's effect among customers whose service had been poor, against the rest: choose what "poor" means.

    A customer had **poor service** when one of their tickets raised before ``start`` had
    its first response after more than ``hours`` hours or, if ``unresolved`` is ticked, was
    never resolved. The slider moves the hours; the boxes choose whether unresolved tickets
    count and whether to **adjust** the outcome for the customer's purchases before the test
    (``outcome - theta * (covariate - its mean)``, with ``theta`` the slope of the outcome on
    the covariate over all customers: the randomisation keeps the comparison fair, and the
    noise the covariate explains drops out). Within each group, treated customers (dose
    above 0) are compared with control customers (dose 0), Welch's interval
    (:func:`customering_utils.experiments.difference_in_means`); the difference of the two
    effects (poor minus rest) has the normal interval ``d ± 1.96 sqrt(SE_poor² + SE_rest²)``.
    The figure draws each group's effect at each dose with its interval
    (:func:`customering_utils.plots.effects_by_group`; a dose with fewer than two customers
    in a group is left out). Returns an ``ipywidgets.VBox``:
    show it by making it the last line of a cell.

    Parameters
    ----------
    experiment : DataFrame
        One row per customer of the experiment, indexed by ``customer_id``, with ``dose``
        (0 for control), ``outcome`` and ``covariate`` (the data world's
        ``world.experiments``).
    tickets : DataFrame
        One row per ticket with ``customer_id``, ``created_at``, ``first_response_hours``
        and ``resolved`` (the data world's ``world.tickets``).
    start : str, default "2025-03-03"
        The experiment's first day: only tickets raised before it count.
    hours : int, default 24
        The first response, in hours (1 to 96), slower than which a ticket was poor service.
    unresolved : bool, default True
        Whether a ticket never resolved was poor service too.
    adjust : bool, default False
        Whether to start with the outcome adjusted for ``covariate``.
    outcome : str, default "outcome_purchases"
        The column of outcomes (purchases in the window, or revenue).
    covariate : str, default "pre_purchases_52w"
        The column measured before the test used by the adjustment.
    truth : Series of bool, optional
        The true poor-service flag by ``customer_id`` (the truth's
        ``poor_service_before_experiment``); if given, the readout says how often the rule
        agrees with it.

    Returns
    -------
    ipywidgets.VBox
        The hours slider, the unresolved box, the adjustment box, the readout and the
        figure, in that order in ``children``.

    Examples
    --------
    Eight customers: 1 and 2 had a slow first response (30 hours), 3 an unresolved ticket.

    >>> import pandas as pd
    >>> experiment = pd.DataFrame({"dose": [1, 0, 2, 0, 1, 0, 2, 0],
    ...                            "outcome_purchases": [1, 1, 2, 0, 2, 0, 3, 1],
    ...                            "pre_purchases_52w": [4, 3, 5, 2, 2, 1, 3, 2]},
    ...                           index=pd.Index([1, 2, 3, 4, 5, 6, 7, 8], name="customer_id"))
    >>> tickets = pd.DataFrame({"customer_id": [1, 2, 3, 4], "created_at": pd.to_datetime(["2025-01-05"] * 4),
    ...                         "first_response_hours": [30.0, 30.0, 2.0, 2.0], "resolved": [True, True, False, True]})
    >>> explorer = contraindication_explorer(experiment, tickets)
    >>> slider, unresolved, adjust, readout, picture = explorer.children
    >>> "<b>poor service</b>: 3 customers" in readout.value
    True
    >>> unresolved.value = False   # what unticking does: customer 3's unresolved ticket no longer counts
    >>> "<b>poor service</b>: 2 customers" in readout.value
    True
    """
    import ipywidgets as widgets

    if isinstance(hours, bool) or not isinstance(hours, int | float) or not 1 <= hours <= 96:
        raise ValueError(f"hours should be a number of hours from 1 to 96, got {hours!r}")
    data = _check(experiment, tickets, outcome, covariate)
    first_day = pd.Timestamp(start)
    before = tickets[pd.to_datetime(tickets["created_at"]) < first_day]
    agree = None if truth is None else truth.reindex(data.index).fillna(False).astype(bool)

    slider = widgets.IntSlider(value=round(hours), min=1, max=96, step=1, description="slow if over (h)",
                               style={"description_width": "130px"}, layout=widgets.Layout(width="520px"))
    count_unresolved = widgets.Checkbox(value=unresolved, description="a ticket never resolved was poor service too",
                                        indent=False, layout=widgets.Layout(width="520px"))
    adjusted = widgets.Checkbox(value=adjust, description=f"adjust for {covariate} (purchases before the test)",
                                indent=False, layout=widgets.Layout(width="520px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="680px"))

    def redraw(change: object = None) -> None:
        poor = _poor_service(before, data.index, slider.value, count_unresolved.value)
        values, theta = _outcome(data, outcome, covariate, adjusted.value)
        readout.value = _readout(data["dose"], values, poor, theta, covariate, agree)
        picture.value = _figure(data["dose"], values, poor, outcome, adjusted.value)

    for control in (slider, count_unresolved, adjusted):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([slider, count_unresolved, adjusted, readout, picture])


def _check(experiment: object, tickets: object, outcome: str, covariate: str) -> pd.DataFrame:
    """The experiment's dose, outcome and covariate columns, after clear errors for bad input."""
    for name, table in (("experiment", experiment), ("tickets", tickets)):
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"{name} should be a pandas DataFrame, got {type(table).__name__}")
    needed = {"experiment": (experiment, ["dose", outcome, covariate]),
              "tickets": (tickets, ["customer_id", "created_at", "first_response_hours", "resolved"])}
    for name, (table, columns) in needed.items():
        missing = [column for column in columns if column not in table.columns]
        if missing:
            raise ValueError(f"{name} is missing columns {missing}; expected {columns}")
    dose = experiment["dose"]
    if not ((dose == 0).any() and (dose > 0).any()):
        raise ValueError("experiment should have control customers (dose 0) and treated customers (dose above 0)")
    return experiment[["dose", outcome, covariate]]


def _poor_service(before: pd.DataFrame, customers: pd.Index, hours: float, unresolved: bool) -> pd.Series:
    """True for the customers with a ticket (already limited to before the test) slower than ``hours`` or unresolved."""
    bad = before["first_response_hours"] > hours
    if unresolved:
        bad = bad | ~before["resolved"].astype(bool)
    return pd.Series(customers.isin(before.loc[bad, "customer_id"]), index=customers)


def _outcome(data: pd.DataFrame, outcome: str, covariate: str, adjust: bool) -> tuple[pd.Series, float | None]:
    """The outcome, or the outcome minus theta times the covariate's distance from its mean; and theta."""
    y = data[outcome].astype(float)
    if not adjust:
        return y, None
    x = data[covariate].astype(float)
    theta = float(np.cov(y, x)[0, 1] / x.var())
    return y - theta * (x - x.mean()), theta


def _effects(dose: pd.Series, values: pd.Series, poor: pd.Series) -> dict[str, experiments.Comparison | None]:
    """Treated minus control within each group (None when a group lacks two customers in an arm)."""
    treated = dose > 0
    effects: dict[str, experiments.Comparison | None] = {}
    for name, members in zip(GROUPS, (poor, ~poor), strict=True):
        arms = values[members & treated], values[members & ~treated]
        effects[name] = experiments.difference_in_means(*arms) if min(len(arm) for arm in arms) >= 2 else None
    return effects


def _interaction(first: experiments.Comparison, second: experiments.Comparison, confidence: float = 0.95) -> intervals.Interval:
    """The first effect minus the second, with the normal interval from the two standard errors."""
    gap = first.estimate - second.estimate
    half = float(stats.norm.ppf(0.5 + confidence / 2)) * math.hypot(first.standard_error, second.standard_error)
    return intervals.Interval(gap, gap - half, gap + half, confidence)


def _readout(dose: pd.Series, values: pd.Series, poor: pd.Series, theta: float | None, covariate: str,
             truth: pd.Series | None) -> str:
    """The two groups' sizes and effects, and their difference, as HTML."""
    effects = _effects(dose, values, poor)
    lines = []
    for name, members in zip(GROUPS, (poor, ~poor), strict=True):
        effect = effects[name]
        said = "too few customers in an arm to compare" if effect is None else (
            f"treated minus control {effect.estimate:+.3f} (95% interval {effect.lower:+.3f} to {effect.upper:+.3f})")
        lines.append(f"<b>{name}</b>: {int(members.sum()):,} customers; {said}")
    if all(effect is not None for effect in effects.values()):
        gap = _interaction(effects[GROUPS[0]], effects[GROUPS[1]])
        verdict = "leaves out 0: the groups differ" if not gap.contains(0) else "holds 0: no clear difference"
        lines.append(f"<b>difference</b> (poor service minus the rest): {gap.estimate:+.3f} "
                     f"(95% interval {gap.lower:+.3f} to {gap.upper:+.3f}), which {verdict}")
    if theta is not None:
        lines.append(f"outcome adjusted for {covariate}: theta = {theta:.4f}")
    if truth is not None:
        lines.append(f"the rule agrees with the truth's flag for {(poor == truth).mean():.1%} of customers")
    return "<br>".join(lines)


def _unit(outcome: str) -> str:
    """The outcome's unit, for the vertical axis."""
    if "revenue" in outcome or "spend" in outcome:
        return "US$ per customer"
    return "purchases per customer in the test" if "purchases" in outcome else f"{outcome.replace('_', ' ')} per customer"


def _figure(dose: pd.Series, values: pd.Series, poor: pd.Series, outcome: str, adjusted: bool) -> bytes:
    """PNG bytes of each group's effect by dose, with its interval (doses with fewer than 2 customers left out)."""
    from matplotlib.figure import Figure

    data = pd.DataFrame({"dose": dose, "y": values})
    tables = {}
    for name, members in zip(GROUPS, (poor, ~poor), strict=True):
        counts = data[members].groupby("dose").size()
        part = data[members & data["dose"].isin(counts.index[counts >= 2])]  # doses with at least 2 customers
        if (part["dose"] == 0).any() and (part["dose"] > 0).any():
            tables[f"{name} ({int(members.sum()):,})"] = experiments.dose_response(part, "dose", "y")
    figure = Figure(figsize=(7.2, 3.9), dpi=100, layout="constrained")
    ax = figure.subplots()
    what = outcome.replace("_", " ") + (", adjusted" if adjusted else "")
    if tables:
        effects_by_group(tables, ax=ax, title=f"Effect by dose within each group, {what} (95% intervals)",
                         ylabel=f"effect: extra {_unit(outcome)}")
    else:
        ax.set_title("Too few customers in a group to draw")
    ax.title.set_fontsize(10)
    return png(figure)

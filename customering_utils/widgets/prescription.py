"""An explorer of a prescription: move the cost of a treatment and the share treated; see the return and the harmed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..plots.prescription import DEFAULT_SHARES, harmed_by_share, policy_curves, returns_by_share
from ..plots.style import png

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["prescription_explorer"]


def prescription_explorer(
    uplift: pd.DataFrame | pd.Series,
    value: float | pd.Series,
    assigned: pd.Series,
    outcome: pd.Series,
    *,
    true_uplift: pd.DataFrame | pd.Series | None = None,
    true_value: float | pd.Series | None = None,
    harmed: pd.Series | None = None,
    cost: float = 1.5,
    share: float | None = None,
    max_cost: float = 4.0,
    n_resamples: int = 200,
    confidence: float = 0.95,
    seed: int = 0,
) -> ipywidgets.Widget:
    """Move the cost of one dose level and the share of customers treated; see the return three ways, and the harmed treated.

    The customers are ranked by the return the model expects from treating each at their
    best dose (predicted uplift times ``value``, less the dose's cost), as
    :func:`customering_utils.plots.policy_curves` does, and the top share is treated. A slider
    sets the cost of one dose level (dose :math:`d` costs :math:`d` times it), another the share
    treated, in steps of 5%. The readout gives the share the model prescribes (those with a
    positive expected return) and, for the share chosen, the customers treated at each dose,
    the model's expected return, the experiment's off-policy estimate with its interval, and,
    when the truth is given, the true return and the truly harmed customers treated against
    what a random choice of as many would hold. The figure draws the returns against the share
    treated (:func:`customering_utils.plots.returns_by_share`) beside the harmed
    (:func:`customering_utils.plots.harmed_by_share`), the share chosen marked. Returns an
    ``ipywidgets.VBox``: show it by making it the last line of a cell.

    Parameters
    ----------
    uplift : DataFrame or Series
        Predicted uplift per customer and dose (columns: doses above 0, increasing), against
        dose 0, in units of the outcome; a Series is one treatment, dose 1.
    value : float or Series
        The value of one unit of outcome, US dollars, one number or one per customer.
    assigned : Series
        The dose the experiment gave each customer (0 for control), indexed like ``uplift``.
    outcome : Series
        Each customer's observed outcome in the experiment, in US dollars, indexed like ``uplift``.
    true_uplift : DataFrame or Series, optional
        On simulated data, the true uplift, shaped like ``uplift``.
    true_value : float or Series, optional
        The true value of one unit of outcome, US dollars; needed with ``true_uplift``.
    harmed : Series, optional
        True for the customers the treatment truly harms.
    cost : float, default 1.5
        The cost of one dose level to start with, US dollars, from 0 to ``max_cost``.
    share : float, optional
        The share treated to start with, from 0 to 1 (rounded to the nearest 5%); by default
        the share the model prescribes at ``cost``.
    max_cost : float, default 4.0
        The top of the cost slider, US dollars (its steps are 25 cents).
    n_resamples : int, default 200
        Resamples of the customers for the experiment's interval.
    confidence : float, default 0.95
        The interval's level, between 0 and 1.
    seed : int, default 0
        Seed of the resampling, so the readout is the same every run.

    Returns
    -------
    ipywidgets.VBox
        The cost slider (US dollars a dose level), the share slider (% of customers), the
        readout (customers, US dollars) and the figure, in that order in ``children``.

    Examples
    --------
    Four customers, one dose; the experiment gave it to half of them:

    >>> import pandas as pd
    >>> uplift = pd.Series([0.5, 0.3, 0.05, 0.0])
    >>> explorer = prescription_explorer(uplift, 10.0, pd.Series([1, 0, 1, 0]),
    ...                                  pd.Series([10.0, 0.0, 4.0, 2.0]), cost=1.0, share=0.5)
    >>> "the model expects <b>$6</b>" in explorer.children[2].value
    True
    >>> explorer.children[0].value = 2.5   # what moving the cost slider does: $5 - $2.50 + $3 - $2.50
    >>> "the model expects <b>$3</b>" in explorer.children[2].value
    True
    """
    import ipywidgets as widgets

    for name, amount in (("cost", cost), ("max_cost", max_cost)):
        if isinstance(amount, bool) or not isinstance(amount, (int, float, np.integer, np.floating)) or amount < 0:
            raise ValueError(f"{name} should be a number of US dollars of at least 0, got {amount!r}")
    if not 0 < max_cost <= 1000 or cost > max_cost:
        raise ValueError(f"cost should be from 0 to max_cost (US dollars a dose level), got cost {cost!r} "
                         f"and max_cost {max_cost!r}")
    data = {"uplift": uplift, "value": value, "assigned": assigned, "outcome": outcome, "true_uplift": true_uplift,
            "true_value": true_value, "harmed": harmed, "n_resamples": n_resamples, "confidence": confidence, "seed": seed}
    cache: dict[float, pd.DataFrame] = {}

    def curves_at(level: float) -> pd.DataFrame:
        key = round(float(level), 2)
        if key not in cache:
            cache[key] = policy_curves(data["uplift"], data["value"], key, data["assigned"], data["outcome"],
                                       **{k: v for k, v in data.items() if k not in ("uplift", "value", "assigned", "outcome")})
        return cache[key]

    start = curves_at(cost)  # checks every input at once
    first_share = start.attrs["prescribed_share"] if share is None else share
    if isinstance(first_share, bool) or not 0 <= first_share <= 1:
        raise ValueError(f"share should be a share of customers from 0 to 1, got {share!r}")
    shares = list(DEFAULT_SHARES)
    nearest = shares[int(np.argmin([abs(s - first_share) for s in shares]))]
    style = {"description_width": "170px"}
    price = widgets.FloatSlider(value=float(cost), min=0.0, max=float(max_cost), step=0.25, readout_format="$.2f",
                                description="cost of a dose level", style=style, layout=widgets.Layout(width="520px"))
    treated = widgets.SelectionSlider(options=[(f"{s:.0%}", s) for s in shares], value=nearest,
                                      description="customers treated", style=style, layout=widgets.Layout(width="520px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="900px"))

    def redraw(change: object = None) -> None:
        curves = curves_at(price.value)
        readout.value = _readout(curves, float(price.value), treated.value, data["uplift"], data["value"])
        picture.value = _figure(curves, treated.value)

    for control in (price, treated):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([price, treated, readout, picture])


def _dollars(amount: float) -> str:
    """US dollars as text, whole dollars, the sign before the dollar sign: ``-$5``."""
    return f"{'-' if round(amount) < 0 else ''}${abs(amount):,.0f}"


def _doses_treated(uplift: pd.DataFrame | pd.Series, value: float | pd.Series, costs: dict, count: int) -> str:
    """How many of the top ``count`` customers get each dose, as text: "1,200 at dose 1, 80 at dose 2"."""
    table = uplift.to_frame(name=1) if isinstance(uplift, pd.Series) else uplift
    worth = value.to_numpy(dtype=float) if isinstance(value, pd.Series) else np.full(len(table), float(value))
    returns = table.to_numpy(dtype=float) * worth[:, None] - np.array([costs[d] for d in table.columns])[None, :]
    best = np.argmax(returns, axis=1)
    top = np.argsort(-returns[np.arange(len(table)), best], kind="stable")[:count]
    counts = np.bincount(best[top], minlength=table.shape[1])
    return ", ".join(f"{k:,} at dose {dose:g}" for k, dose in zip(counts, table.columns, strict=True) if k)


def _readout(curves: pd.DataFrame, cost: float, share: float, uplift: pd.DataFrame | pd.Series,
             value: float | pd.Series) -> str:
    """The readout: the prescription's share, then the three returns and the harmed at the share chosen."""
    costs = curves.attrs["costs"]
    priced = ", ".join(f"dose {dose:g} {_dollars_cents(amount)}" for dose, amount in costs.items())
    row = curves.loc[share]
    level = f"{curves.attrs['confidence']:.0%}"
    count = int(row["treated"])
    parts = [f"At <b>{_dollars_cents(cost)}</b> a dose level ({priced}), the model prescribes "
             f"<b>{curves.attrs['prescribed_share']:.0%}</b> of the customers ({curves.attrs['prescribed']:,}).",
             f"Treating the top <b>{share:.0%}</b> by expected return ({count:,} customers"
             + (f": {_doses_treated(uplift, value, costs, count)}" if count else "") + "):",
             f"the model expects <b>{_dollars(row['expected'])}</b>; the experiment estimates "
             f"<b>{_dollars(row['estimate'])}</b> ({level} interval {_dollars(row['lower'])} to {_dollars(row['upper'])})"
             + (f"; the truth is <b>{_dollars(row['truth'])}</b>." if "truth" in curves else ".")]
    if count and row["lower"] <= 0 <= row["upper"]:
        parts.append("The experiment's interval holds 0: it cannot tell this policy from treating no one.")
    if "harmed" in curves:
        total = curves.attrs["harmed_total"]
        parts.append(f"Truly harmed customers treated: <b>{int(row['harmed']):,}</b> of {total:,} "
                     f"(a random choice of as many would hold {share * total:,.0f}).")
    return " ".join(parts)


def _dollars_cents(amount: float) -> str:
    return f"${amount:,.2f}"


def _figure(curves: pd.DataFrame, share: float) -> bytes:
    """PNG bytes of the returns (left) beside the harmed treated (right, when known), the share chosen marked."""
    from matplotlib.figure import Figure

    panels = 2 if "harmed" in curves else 1
    figure = Figure(figsize=(5.2 * panels, 4.0), dpi=100, layout="constrained")
    axes = figure.subplots(1, panels, squeeze=False)[0]
    returns_by_share(curves, ax=axes[0], share=share, title="Return against treating no one")
    if panels == 2:
        harmed_by_share(curves, ax=axes[1], share=share)
    for ax in axes:
        ax.set_xlabel("customers treated, best first (%)")
    return png(figure)

r"""Figures of a prescription: what treating more or fewer customers returns, and whom it harms.

A prescription ranks customers by the return a model expects from treating each at their
best dose, and treats those at the top. :func:`policy_curves` follows three accounts of that
return as the share treated grows, the model's, the experiment's and (on simulated data)
the truth's, with the truly harmed customers it treats; :func:`returns_by_share` and
:func:`harmed_by_share` draw them.

The experiment's account is an **off-policy estimate**: the customers were randomised to
the doses, so among the customers a policy gives dose :math:`d`, those the experiment
happened to give dose :math:`d` show what the dose does to them, and those it gave nothing
show what they do without it. With :math:`p_d` the share of customers the experiment gave
dose :math:`d` (:math:`p_0` for control), each of them stands for :math:`1 / p_d`
customers (inverse probability weighting; Horvitz and Thompson 1952), and the return of
treating the set :math:`S` of customers, customer :math:`i` at dose :math:`d_i`, against
treating no one is

.. math::

    \hat R(S) = \sum_{i \in S} \Bigl[ \frac{\mathbb 1(D_i = d_i)}{p_{d_i}}\, o_i
                - \frac{\mathbb 1(D_i = 0)}{p_0}\, o_i - c_{d_i} \Bigr],

with :math:`D_i` the dose the experiment gave, :math:`o_i` the observed outcome in US dollars
and :math:`c_d` the cost of dose :math:`d`. Treating everyone at one dose, it is the number of
customers times the difference in mean outcome between that arm and control, less the cost.
Its interval comes from resampling the customers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["policy_curves", "returns_by_share", "harmed_by_share"]

#: The shares treated that :func:`policy_curves` follows unless told otherwise: 0%, 5%, ..., 100%.
DEFAULT_SHARES = tuple(np.round(np.linspace(0.0, 1.0, 21), 2))


def policy_curves(
    uplift: pd.DataFrame | pd.Series,
    value: float | pd.Series,
    cost: float | Mapping,
    assigned: pd.Series,
    outcome: pd.Series,
    *,
    true_uplift: pd.DataFrame | pd.Series | None = None,
    true_value: float | pd.Series | None = None,
    harmed: pd.Series | None = None,
    shares: ArrayLike | None = None,
    n_resamples: int = 200,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    r"""The return of treating the top customers by expected return, as the share treated grows: model, experiment, truth.

    For each customer :math:`i` and dose :math:`d` the model expects the return
    :math:`R_{id} = \hat\tau_{id} v_i - c_d` (predicted uplift times the value of a unit of
    outcome, less the dose's cost), as :func:`customering_utils.uplift.prescribe` does. Each
    customer's best dose is the one with the largest :math:`R_{id}` (the smaller dose on a
    tie); customers are ranked by that best return, highest first, and for each share
    :math:`s` the top :math:`\mathrm{round}(s\,n)` are treated at their best dose. The
    prescription itself treats those whose best return is above 0
    (``attrs["prescribed_share"]``); larger shares go on to treat customers the model expects
    to lose money on.

    At each share the table gives the model's expected return (the sum of the treated
    customers' best :math:`R_{id}`), the experiment's off-policy estimate (inverse probability
    weighting, in this module's introduction) with a percentile bootstrap interval over
    ``n_resamples`` resamples of the customers, and, if the truth is given, the true return
    (:math:`\sum (\tau_{id} v^{\text{true}}_i - c_d)` over the treated) and the truly harmed
    customers treated.

    Parameters
    ----------
    uplift : DataFrame or Series
        Predicted uplift per customer (rows) and dose (columns: doses above 0, such as 1, 2,
        3), each against dose 0, in units of the outcome (purchases...). A Series is one
        treatment, dose 1.
    value : float or Series
        The value of one unit of outcome, US dollars: one number, or a Series indexed like
        ``uplift``.
    cost : float or mapping
        The cost of treating one customer: a number is the cost of one unit of dose (dose
        :math:`d` costs :math:`d` times it); a mapping gives each dose's cost, US dollars.
    assigned : Series
        The dose the experiment gave each customer, indexed like ``uplift``: 0 (control) or
        one of ``uplift``'s doses, each present.
    outcome : Series
        Each customer's observed outcome in the experiment, valued in US dollars (such as
        purchases times the value of a purchase), indexed like ``uplift``.
    true_uplift : DataFrame or Series, optional
        On simulated data, each customer's true uplift at each dose, shaped like ``uplift``.
    true_value : float or Series, optional
        The true value of one unit of outcome (US dollars); needed with ``true_uplift``.
    harmed : Series, optional
        True for the customers the treatment truly harms, indexed like ``uplift``.
    shares : array_like, optional
        The shares of customers treated to follow, from 0 to 1; by default 0%, 5%, ..., 100%.
    n_resamples : int, default 200
        Resamples of the customers for the estimate's interval.
    confidence : float, default 0.95
        The interval's level, between 0 and 1.
    seed : int, default 0
        Seed of the resampling.

    Returns
    -------
    DataFrame
        Indexed by ``share`` (the share treated, ascending), with ``treated`` (customers),
        ``expected`` (the model's expected return), ``estimate``, ``lower`` and ``upper`` (the
        experiment's estimate and its interval), and with the truth ``truth`` (the true
        return) and ``harmed`` (truly harmed customers treated), all returns in US dollars
        against treating no one. ``attrs`` holds ``prescribed_share``, ``prescribed``
        (customers the prescription treats), ``costs`` (dose to cost), ``confidence`` and,
        with ``harmed``, ``harmed_total``.

    Examples
    --------
    Four customers, one dose costing $1; the experiment gave dose 1 to half of them:

    >>> import pandas as pd
    >>> uplift = pd.Series([0.5, 0.3, 0.05, 0.0])            # predicted extra purchases
    >>> assigned = pd.Series([1, 0, 1, 0])
    >>> outcome = pd.Series([10.0, 0.0, 4.0, 2.0])            # observed, US$
    >>> curves = policy_curves(uplift, 10.0, 1.0, assigned, outcome, shares=[0, 0.5, 1])
    >>> curves[["treated", "expected", "estimate"]]
           treated  expected  estimate
    share
    0.0          0       0.0       0.0
    0.5          2       6.0      18.0
    1.0          4       4.5      20.0
    >>> curves.attrs["prescribed_share"]
    0.5
    """
    table = _checked_uplift(uplift, "uplift")
    n = len(table)
    doses = [float(dose) for dose in table.columns]
    costs = _dose_costs(cost, list(table.columns))
    worth = _per_customer(value, table.index, "value")
    arms = _checked_series(assigned, table.index, "assigned").to_numpy(dtype=float)
    observed = _checked_series(outcome, table.index, "outcome").to_numpy(dtype=float)
    allowed = set(doses) | {0.0}
    if not set(np.unique(arms)) <= allowed or not set(allowed) <= set(np.unique(arms)):
        raise ValueError(f"assigned should hold dose 0 (control) and each of the doses {doses}, and nothing else; "
                         f"got {sorted(set(np.unique(arms).tolist()))}")
    shares = np.asarray(DEFAULT_SHARES if shares is None else shares, dtype=float).ravel()
    if len(shares) == 0 or not np.all(np.isfinite(shares)) or shares.min() < 0 or shares.max() > 1:
        raise ValueError(f"shares should be shares of customers from 0 to 1, got {shares.tolist()[:6]}")
    shares = np.unique(shares)
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) or n_resamples < 2:
        raise ValueError(f"n_resamples should be a whole number of at least 2, got {n_resamples!r}")
    if isinstance(confidence, bool) or not 0 < confidence < 1:
        raise ValueError(f"confidence should be a share between 0 and 1 (for example 0.95), got {confidence!r}")

    returns = table.to_numpy(dtype=float) * worth[:, None] - costs[None, :]
    best = np.argmax(returns, axis=1)  # columns in ascending dose, so a tie goes to the smaller dose
    rows = np.arange(n)
    best_return = returns[rows, best]
    best_dose = np.asarray(doses)[best]
    order = np.argsort(-best_return, kind="stable")
    counts = np.rint(shares * n).astype(int)

    p = {dose: float(np.mean(arms == dose)) for dose in allowed}
    at_dose = np.array([p[dose] for dose in best_dose])
    contribution = (arms == best_dose) * observed / at_dose - (arms == 0) * observed / p[0.0] - costs[best]
    resample = np.random.default_rng(seed).multinomial(n, np.full(n, 1 / n), size=n_resamples)
    resampled = _running(resample[:, order] * contribution[order], counts)
    tail = 100 * (1 - confidence) / 2
    lower, upper = np.percentile(resampled, [tail, 100 - tail], axis=0)
    curves = pd.DataFrame({"treated": counts, "expected": _running(best_return[order], counts),
                           "estimate": _running(contribution[order], counts), "lower": lower, "upper": upper},
                          index=pd.Index(shares, name="share"))
    if (true_uplift is None) != (true_value is None):
        raise ValueError("give true_uplift and true_value together (the true uplift and the true value of a unit of it)")
    if true_uplift is not None:
        truth = _checked_uplift(true_uplift, "true_uplift")
        if not truth.index.equals(table.index) or list(truth.columns) != list(table.columns):
            raise ValueError("true_uplift should be shaped like uplift: the same customers (index) and doses (columns)")
        true_worth = _per_customer(true_value, table.index, "true_value")
        true_return = truth.to_numpy(dtype=float)[rows, best] * true_worth - costs[best]
        curves["truth"] = _running(true_return[order], counts)
    if harmed is not None:
        hurt = _checked_series(harmed, table.index, "harmed")
        if hurt.dtype != bool and str(hurt.dtype) != "boolean":
            raise ValueError(f"harmed should be True or False for each customer, got values of type {hurt.dtype}")
        curves["harmed"] = _running(hurt.to_numpy(dtype=float)[order], counts).astype(int)
        curves.attrs["harmed_total"] = int(hurt.sum())
    curves.attrs.update(prescribed_share=float(np.mean(best_return > 0)), prescribed=int(np.sum(best_return > 0)),
                        costs=dict(zip(table.columns, costs.tolist(), strict=True)), confidence=float(confidence))
    return curves


def returns_by_share(curves: pd.DataFrame, ax: Axes | None = None, share: float | None = None,
                     title: str = "The return of treating the top customers") -> Axes:
    """Draw the return of treating the top customers against the share treated: the model's, the experiment's, the truth's.

    ``curves`` is what :func:`policy_curves` returns. The experiment's estimate is a blue
    line in its shaded interval, the model's expectation an orange dashed line, the truth
    (if the table has it) a black line; a grey line marks a return of 0 (treating no one), a
    purple dash-dotted vertical line the share the model prescribes, and a dotted one ``share``.

    Parameters
    ----------
    curves : DataFrame
        From :func:`policy_curves`: indexed by share (0 to 1), with ``expected``,
        ``estimate``, ``lower``, ``upper`` and optionally ``truth``, US dollars.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    share : float, optional
        A share treated to mark, from 0 to 1.
    title : str, default "The return of treating the top customers"
        The title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: the share of customers treated (%) across, the return against
        treating no one (US dollars) up.

    Examples
    --------
    >>> import pandas as pd
    >>> curves = pd.DataFrame({"expected": [0.0, 6.0, 4.5], "estimate": [0.0, 18.0, 22.0],
    ...                        "lower": [0.0, 5.0, 8.0], "upper": [0.0, 30.0, 35.0], "truth": [0.0, 5.0, 2.0]},
    ...                       index=pd.Index([0.0, 0.5, 1.0], name="share"))
    >>> ax = returns_by_share(curves, share=0.5)
    >>> [line.get_label() for line in ax.get_lines()][:3]
    ['experiment: estimate and 95% interval', "model's expectation", 'truth']
    >>> [float(x) for x in ax.get_lines()[0].get_xdata()]
    [0.0, 50.0, 100.0]
    >>> ax.get_ylabel()
    'return against treating no one (US$)'
    """
    data = _checked_curves(curves, ["expected", "estimate", "lower", "upper"])
    ax = new_axes(ax, figsize=(7, 4.2))
    percent = 100 * data.index.to_numpy(dtype=float)
    level = data.attrs.get("confidence", 0.95)
    ax.fill_between(percent, data["lower"], data["upper"], color=PALETTE["blue"], alpha=0.18, linewidth=0)
    ax.plot(percent, data["estimate"], color=PALETTE["blue"], linewidth=2,
            label=f"experiment: estimate and {level:.0%} interval")
    ax.plot(percent, data["expected"], color=PALETTE["orange"], linewidth=2, linestyle="--", label="model's expectation")
    if "truth" in data:
        ax.plot(percent, data["truth"], color=PALETTE["black"], linewidth=2, label="truth")
    ax.axhline(0, color=PALETTE["grey"], linewidth=1)
    _marks(ax, data, share)
    ax.set_ylabel("return against treating no one (US$)")
    _finish(ax, title)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    return ax


def harmed_by_share(curves: pd.DataFrame, ax: Axes | None = None, share: float | None = None,
                    title: str = "Truly harmed customers treated") -> Axes:
    """Draw how many truly harmed customers the top customers hold, against the share treated.

    ``curves`` is what :func:`policy_curves` returns with ``harmed`` given. The vermillion
    line counts the truly harmed customers among those treated; the grey dashed line what
    a random choice of the same number would hold on average (the share treated times all
    the harmed), so a line below it means the ranking keeps the harmed back. A purple
    dash-dotted vertical line marks the share the model prescribes, a dotted one ``share``.

    Parameters
    ----------
    curves : DataFrame
        From :func:`policy_curves`, with a ``harmed`` column and ``attrs["harmed_total"]``.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    share : float, optional
        A share treated to mark, from 0 to 1.
    title : str, default "Truly harmed customers treated"
        The title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: the share of customers treated (%) across, the truly harmed
        customers treated (a count) up.

    Examples
    --------
    >>> import pandas as pd
    >>> curves = pd.DataFrame({"harmed": [0, 1, 4]}, index=pd.Index([0.0, 0.5, 1.0], name="share"))
    >>> curves.attrs["harmed_total"] = 4
    >>> ax = harmed_by_share(curves)
    >>> [float(y) for y in ax.get_lines()[0].get_ydata()], [float(y) for y in ax.get_lines()[1].get_ydata()]
    ([0.0, 1.0, 4.0], [0.0, 2.0, 4.0])
    >>> ax.get_ylabel()
    'truly harmed customers treated (count)'
    """
    data = _checked_curves(curves, ["harmed"])
    if "harmed_total" not in data.attrs:
        raise ValueError("curves.attrs should hold harmed_total (all the truly harmed customers), as policy_curves sets it")
    ax = new_axes(ax, figsize=(7, 4.2))
    shares = data.index.to_numpy(dtype=float)
    total = float(data.attrs["harmed_total"])
    ax.plot(100 * shares, data["harmed"].to_numpy(dtype=float), color=PALETTE["vermillion"], linewidth=2,
            label="treated by the ranking")
    ax.plot(100 * shares, shares * total, color=PALETTE["grey"], linewidth=1.5, linestyle="--",
            label="a random choice, on average")
    _marks(ax, data, share)
    ax.set_ylabel("truly harmed customers treated (count)")
    _finish(ax, title)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    return ax


# ---- checks and helpers -------------------------------------------------------------------------


def _running(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Sums of the first ``count`` values (along the last axis) for each count, 0 for a count of 0."""
    totals = np.concatenate([np.zeros(values.shape[:-1] + (1,)), np.cumsum(values, axis=-1)], axis=-1)
    return totals[..., counts]


def _checked_uplift(uplift: pd.DataFrame | pd.Series, name: str) -> pd.DataFrame:
    table = uplift.to_frame(name=1) if isinstance(uplift, pd.Series) else uplift
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name} should be a DataFrame (customers by dose) or a Series (one treatment), "
                        f"got {type(uplift).__name__}")
    if table.shape[0] == 0 or table.shape[1] == 0:
        raise ValueError(f"{name} should have at least one customer and one dose, got shape {table.shape}")
    doses = list(table.columns)
    if any(isinstance(dose, bool) or not isinstance(dose, (int, float, np.integer, np.floating)) or dose <= 0
           for dose in doses) or list(np.sort(np.asarray(doses, dtype=float))) != [float(d) for d in doses]:
        raise ValueError(f"{name}'s columns should be the doses, numbers above 0 in increasing order; got {doses}")
    if not np.all(np.isfinite(table.to_numpy(dtype=float))):
        raise ValueError(f"{name} has missing or infinite values; expected a number for every customer and dose")
    return table


def _dose_costs(cost: float | Mapping, doses: list) -> np.ndarray:
    if isinstance(cost, Mapping):
        missing = [dose for dose in doses if dose not in cost]
        if missing:
            raise ValueError(f"cost names no cost for dose {missing[0]!r}; expected a cost for each of the doses {doses}")
        values = np.array([float(cost[dose]) for dose in doses])
    elif isinstance(cost, bool) or not isinstance(cost, (int, float, np.integer, np.floating)):
        raise TypeError(f"cost should be a number (the cost of one unit of dose) or a mapping from dose to cost, got {cost!r}")
    else:
        values = float(cost) * np.asarray(doses, dtype=float)
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(f"costs should be numbers of at least 0 (US dollars per customer), got {values.tolist()}")
    return values


def _per_customer(value: float | pd.Series, index: pd.Index, name: str) -> np.ndarray:
    if isinstance(value, pd.Series):
        worth = _checked_series(value, index, name).to_numpy(dtype=float)
    elif isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} should be a number or a Series indexed like uplift, got {value!r}")
    else:
        worth = np.full(len(index), float(value))
    if not np.all(np.isfinite(worth)) or np.any(worth < 0):
        raise ValueError(f"{name} should hold numbers of at least 0 (US dollars per unit of outcome)")
    return worth


def _checked_series(values: pd.Series, index: pd.Index, name: str) -> pd.Series:
    if not isinstance(values, pd.Series):
        raise TypeError(f"{name} should be a pandas Series indexed like uplift, got {type(values).__name__}")
    if not values.index.equals(index):
        raise ValueError(f"{name} should be indexed like uplift (the same customers in the same order); "
                         f"align it first, for example {name}.reindex(uplift.index)")
    if values.isna().any() or (values.dtype.kind not in "biuf" and str(values.dtype) != "boolean"):
        raise ValueError(f"{name} should hold a number (or True/False) for every customer, with none missing")
    if not np.all(np.isfinite(values.to_numpy(dtype=float))):
        raise ValueError(f"{name} should hold finite numbers, got infinite values")
    return values


def _checked_curves(curves: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    if not isinstance(curves, pd.DataFrame):
        raise TypeError(f"curves should be a DataFrame, as policy_curves returns, got {type(curves).__name__}")
    missing = [column for column in columns if column not in curves.columns]
    if missing:
        raise ValueError(f"curves is missing the columns {missing}; expected a table from policy_curves")
    shares = curves.index.to_numpy(dtype=float)
    if len(shares) == 0 or shares.min() < 0 or shares.max() > 1 or np.any(np.diff(shares) <= 0):
        raise ValueError("curves should be indexed by the share treated: numbers from 0 to 1, in increasing order")
    return curves


def _marks(ax: Axes, curves: pd.DataFrame, share: float | None) -> None:
    """A dashed line at the model's prescription (if known) and a dotted one at ``share`` (if given)."""
    if "prescribed_share" in curves.attrs:
        ax.axvline(100 * curves.attrs["prescribed_share"], color=PALETTE["purple"], linestyle="-.", linewidth=1.2,
                   label="the model's prescription")
    if share is not None:
        if not 0 <= share <= 1:
            raise ValueError(f"share should be a share of customers from 0 to 1, got {share!r}")
        ax.axvline(100 * share, color=PALETTE["black"], linestyle=":", linewidth=1.2, label=f"{share:.0%} treated")


def _finish(ax: Axes, title: str) -> None:
    from matplotlib.ticker import StrMethodFormatter

    ax.set_xlabel("customers treated, best expected return first (% of customers)")
    ax.set_title(title)
    ax.set_xlim(0, 100)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    add_grid(ax)

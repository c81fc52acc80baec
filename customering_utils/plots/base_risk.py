"""The customer base as a risky asset, in two figures: how next year's value could turn out, and where churn puts it in doubt.

- :func:`value_distributions` draws the simulated values of one base or several
  (:func:`customering_utils.risk.base_value_distribution`), each with its mean and the
  percentile its value at risk is read from; with ``relative=True`` each is shown as a
  share of its own mean, so bases of different sizes compare by their risk per dollar.
- :func:`churn_risk_bands` splits a base's value by P(alive): for each band of P(alive),
  the value expected next year and the value in doubt (what the customers would bring if
  they were surely still customers, less what is expected).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["churn_risk_bands", "value_distributions"]

#: The colours of the bases, in the order given.
COLOURS = ("blue", "orange", "green", "purple", "vermillion")


def value_distributions(
    draws: dict[str, pd.DataFrame | pd.Series],
    level: float = 0.95,
    relative: bool = False,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Histograms of simulated values of one base or several, each with its mean and its value-at-risk percentile.

    For each base, the histogram of its simulated values over the horizon (thousand US
    dollars, or percent of the base's mean when ``relative``), a solid line at the mean and
    a dashed line at the ``1 - level`` quantile (numpy's default, linear): the gap between
    them is the value at risk of :func:`customering_utils.risk.value_at_risk`, written in
    the legend with its share of the mean.

    Parameters
    ----------
    draws : dict of str to DataFrame or Series
        The bases by name, in the order to draw them (at most five): each the table
        :func:`customering_utils.risk.base_value_distribution` returns (its ``base_value``
        column is used) or a Series of simulated values, US dollars.
    level : float, default 0.95
        The confidence level of the value at risk, between 0 and 1.
    relative : bool, default False
        Show each value as a percentage of its base's mean, so bases of different sizes
        can be compared by the spread of their value.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if ``None``.
    title : str, optional
        The title; a default one says what is shown.

    Returns
    -------
    matplotlib Axes
        The histograms (one base: its bars, a ``BarContainer`` in ``ax.containers``;
        several: one outline per base in ``ax.patches``) and two lines per base (mean,
        then the percentile) in ``ax.get_lines()``.

    Examples
    --------
    >>> import numpy as np
    >>> values = pd.Series(np.linspace(90_000, 110_000, 201))
    >>> ax = value_distributions({"the base": values})
    >>> mean, low = ax.get_lines()
    >>> float(mean.get_xdata()[0]), round(float(low.get_xdata()[0]), 1)  # thousand US$
    (100.0, 91.0)
    >>> ax.get_legend().get_texts()[1].get_text()
    'the base: 5th percentile, value at risk \\\\$9.0k (9.0% of the mean)'
    >>> ax = value_distributions({"the base": values}, relative=True)
    >>> ax.get_xlabel()
    "value over the horizon (% of the base's mean)"
    """
    from matplotlib.ticker import MaxNLocator

    if not isinstance(draws, dict) or not draws:
        raise TypeError("draws should be a dict of bases by name, such as {'whole base': draws}, with at least one")
    if len(draws) > len(COLOURS):
        raise ValueError(f"draws should hold at most {len(COLOURS)} bases, so each has its own colour; got {len(draws)}")
    if isinstance(level, bool) or not 0 < float(level) < 1:
        raise ValueError(f"level should be a share between 0 and 1 (for example 0.95), got {level!r}")
    series = {name: _values(name, table) for name, table in draws.items()}
    ax = new_axes(ax, figsize=(8, 4.2))
    scaled = {name: (100 * v / v.mean() if relative else v / 1000) for name, v in series.items()}
    everything = np.concatenate(list(scaled.values()))
    bins = np.linspace(everything.min(), everything.max(), 31)
    for (name, values), colour in zip(scaled.items(), COLOURS, strict=False):
        if len(draws) == 1:  # one base: filled bars; several: outlines, so each stays readable
            ax.hist(values, bins=bins, color=PALETTE[colour], alpha=0.85, edgecolor="white",
                    label=f"{name}: simulated years")
        else:
            ax.hist(values, bins=bins, color=PALETTE[colour], histtype="step", linewidth=1.8,
                    label=f"{name}: simulated years")
    percent = f"{100 * (1 - float(level)):g}"
    for (name, values), colour in zip(scaled.items(), COLOURS, strict=False):
        mean, low = float(values.mean()), float(np.quantile(values, 1 - float(level)))
        share = (mean - low) / mean
        ax.axvline(mean, color=PALETTE[colour], linewidth=2, label=f"{name}: mean")
        gap = f"{mean - low:.1f} points" if relative else f"\\${mean - low:,.1f}k"
        ax.axvline(low, color=PALETTE[colour], linewidth=2, linestyle="--",
                   label=f"{name}: {percent}th percentile, value at risk {gap} ({share:.1%} of the mean)")
    ax.set_xlabel("value over the horizon (% of the base's mean)" if relative
                  else "value over the horizon (thousand US$, today's money)")
    ax.set_ylabel("simulated years (count)")
    ax.set_title(title or ("How far each base's value could fall, per dollar of its mean" if relative
                           else "The base's value over the horizon, as simulated"), fontsize=11)
    handles, labels = ax.get_legend_handles_labels()
    lines = [i for i, label in enumerate(labels) if not label.endswith("simulated years")]
    ax.legend([handles[i] for i in lines], [labels[i] for i in lines], loc="upper left", frameon=False, fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, ax.get_ylim()[1] * (1.25 + 0.1 * len(draws)))  # room for the legend above the bars
    add_grid(ax, axis="y")
    return ax


def churn_risk_bands(
    p_alive: pd.Series,
    value: pd.Series,
    bands: int = 10,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Where churn puts the base's value in doubt: expected value and value in doubt by band of P(alive).

    Each customer's expected value :math:`V_i` already counts the chance
    :math:`P_i` that they are still a customer. Were they surely still a customer, they
    would bring :math:`V_i / P_i`; the **value in doubt** is the difference,
    :math:`V_i (1 - P_i) / P_i`, what losing them has put in doubt. The bars sum both over
    the customers of each band of P(alive) (``bands`` equal bands from 0 to 1), stacked:
    expected value (blue) below, value in doubt (vermillion) above, thousand US dollars.
    Customers with a P(alive) of 0 have nothing expected and are left out.

    Parameters
    ----------
    p_alive : Series
        Each customer's P(alive), from 0 to 1, indexed by customer.
    value : Series
        Each customer's expected value over the horizon (at least 0), US dollars, with the
        same index, such as :func:`customering_utils.clv.customer_lifetime_value`.
    bands : int, default 10
        How many equal bands of P(alive), at least 2.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if ``None``.
    title : str, optional
        The title; a default one says what is shown.

    Returns
    -------
    matplotlib Axes
        Two ``BarContainer`` in ``ax.containers``: expected value, then value in doubt,
        one bar per band (thousand US$).

    Examples
    --------
    Two customers: one surely alive worth $100, one with P(alive) 0.25 expected to bring
    $50 (so $200 if alive: $150 in doubt).

    >>> ax = churn_risk_bands(pd.Series([1.0, 0.25]), pd.Series([100.0, 50.0]), bands=4)
    >>> expected, stake = ax.containers
    >>> [round(float(bar.get_height()), 3) for bar in expected]   # thousand US$, bands 0-0.25 ... 0.75-1
    [0.0, 0.05, 0.0, 0.1]
    >>> [round(float(bar.get_height()), 3) for bar in stake]
    [0.0, 0.15, 0.0, 0.0]
    """
    if not isinstance(p_alive, pd.Series) or not isinstance(value, pd.Series):
        raise TypeError("p_alive and value should be pandas Series, one value per customer")
    if not p_alive.index.equals(value.index):
        raise ValueError("p_alive and value should have the same index: one row per customer, in the same order")
    if not (np.isfinite(p_alive).all() and p_alive.between(0, 1).all()):
        raise ValueError("p_alive should hold probabilities from 0 to 1")
    if not (np.isfinite(value).all() and (value >= 0).all()):
        raise ValueError("value should hold finite amounts of at least 0, US dollars")
    if isinstance(bands, bool) or int(bands) != bands or bands < 2:
        raise ValueError(f"bands should be a whole number of at least 2, got {bands!r}")
    kept = p_alive > 0
    p, v = p_alive[kept].to_numpy(float), value[kept].to_numpy(float)
    band = np.minimum((p * bands).astype(int), int(bands) - 1)  # P(alive) of 1 goes in the top band
    expected = np.bincount(band, weights=v, minlength=int(bands)) / 1000
    stake = np.bincount(band, weights=v * (1 - p) / p, minlength=int(bands)) / 1000
    ax = new_axes(ax, figsize=(8, 4.2))
    edges = np.linspace(0, 1, int(bands) + 1)
    centres, width = (edges[:-1] + edges[1:]) / 2, 0.9 / int(bands)
    ax.bar(centres, expected, width=width, color=PALETTE["blue"], label="expected next year")
    ax.bar(centres, stake, width=width, bottom=expected, color=PALETTE["vermillion"],
           label="in doubt: lost if they have left")
    ax.set_xticks(edges)
    ax.set_xlim(0, 1)
    ax.set_xlabel("P(alive): chance the customer is still a customer (band)")
    ax.set_ylabel("value (thousand US$, today's money)")
    ax.set_title(title or "The base's value by P(alive): expected, and in doubt", fontsize=11)
    ax.legend(loc="upper left", frameon=False, fontsize=9)
    add_grid(ax, axis="y")
    return ax


def _values(name: str, table: pd.DataFrame | pd.Series) -> np.ndarray:
    """The simulated values of one base, checked."""
    if isinstance(table, pd.DataFrame):
        if "base_value" not in table.columns:
            raise ValueError(f"draws[{name!r}] has no column 'base_value'; pass what risk.base_value_distribution returns")
        table = table["base_value"]
    values = np.asarray(table, dtype=float).ravel()
    if values.size < 2 or not np.all(np.isfinite(values)):
        raise ValueError(f"draws[{name!r}] should hold at least 2 finite simulated values")
    if values.mean() <= 0:
        raise ValueError(f"draws[{name!r}] should have a positive mean, US dollars")
    return values

"""Figures of experiments: each arm's effect with its interval, a test's power against its size, and a dose's effect.

All three draw an estimate with its uncertainty, so a difference whose interval holds 0, or
a curve that the doses cannot pin down, is not read as a finding:

- :func:`arm_differences`: each treated arm minus control, from
  :func:`customering_utils.experiments.ab_table`, with its interval;
- :func:`power_curves`: the chance a test detects an effect, against the customers in each arm;
- :func:`dose_response_curve`: the effect of each dose against dose 0, from
  :func:`customering_utils.experiments.dose_response`, with a fitted curve of diminishing
  returns (:func:`customering_utils.experiments.fit_saturating_curve`) and, on simulated
  data, the truth.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import special

from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

    from ..experiments import SaturatingCurve

__all__ = ["arm_differences", "power_curves", "dose_response_curve"]

#: The colours of lines drawn in turn (power curves, truths).
COLOURS = ("blue", "orange", "green", "purple", "sky_blue", "vermillion", "black")
#: The line styles of the power curves, in turn, so lines that coincide stay visible.
LINE_STYLES = ("-", "--", "-.", (0, (1, 1)))


def arm_differences(table: pd.DataFrame, ax: Axes | None = None, unit: str | None = None,
                    title: str | None = None) -> Axes:
    """Draw each treated arm's difference from control as a point with its interval, beside a line at 0.

    ``table`` is what :func:`customering_utils.experiments.ab_table` returns: one row per
    arm, the control first (difference 0, no interval), with ``difference``,
    ``difference_lower`` and ``difference_upper``. A rate's differences (``attrs["kind"]``
    ``"proportion"``) are drawn in percentage points; a mean's in the outcome's own unit.
    An arm whose interval leaves out 0 is drawn in blue, one whose interval holds 0 in grey.

    Parameters
    ----------
    table : DataFrame
        An A/B table, as ``ab_table`` makes it (its ``attrs`` name the outcome, the kind and
        the control arm).
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    unit : str, optional
        The unit of the horizontal axis; by default "percentage points" for a rate and
        "per customer" for a mean.
    title : str, optional
        The title; by default the outcome and the control arm, such as
        "visit: each arm minus No E-Mail".

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: the difference across (in ``unit``), one row per treated arm.

    Examples
    --------
    >>> import pandas as pd
    >>> from customering_utils import experiments
    >>> trial = pd.DataFrame({"arm": ["A"] * 200 + ["B"] * 200,
    ...                       "bought": [1] * 20 + [0] * 180 + [1] * 36 + [0] * 164})
    >>> ax = arm_differences(experiments.ab_table(trial, "arm", "bought"))
    >>> [round(float(x), 1) for x in ax.containers[0].lines[0].get_xdata()]   # B minus A: 8 points
    [8.0]
    >>> ax.get_xlabel(), ax.get_title()
    ('difference from A (percentage points)', 'bought: each arm minus A')
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table should be a pandas DataFrame, as experiments.ab_table returns, got {type(table).__name__}")
    columns = ["difference", "difference_lower", "difference_upper"]
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(f"table is missing columns {missing}; expected an A/B table from experiments.ab_table")
    control = table.attrs.get("control", table.index[0])
    treated = table.drop(index=control) if control in table.index else table.iloc[1:]
    if len(treated) == 0:
        raise ValueError("table has no treated arm to draw; expected a control row and at least one other")
    rate = table.attrs.get("kind") == "proportion"
    values = (100 if rate else 1) * treated[columns].to_numpy(dtype=float)
    unit = unit if unit is not None else ("percentage points" if rate else "per customer")
    ax = new_axes(ax, figsize=(5.5, 0.6 * len(treated) + 1.6))
    ax.axvline(0, color=PALETTE["black"], linewidth=1)
    rows = np.arange(len(treated))[::-1]  # the first treated arm at the top
    for row, (estimate, lower, upper) in zip(rows, values, strict=True):
        colour = PALETTE["grey"] if lower <= 0 <= upper else PALETTE["blue"]
        ax.errorbar([estimate], [row], xerr=[[estimate - lower], [upper - estimate]], fmt="o", color=colour,
                    ecolor=colour, elinewidth=2, capsize=4, markersize=6)
    ax.set_yticks(rows, [str(arm) for arm in treated.index])
    ax.set_ylim(-0.6, len(treated) - 0.4)
    ax.set_xlabel(f"difference from {control} ({unit})")
    outcome = table.attrs.get("outcome", "outcome")
    ax.set_title(title if title is not None else f"{outcome}: each arm minus {control}")
    add_grid(ax, axis="x")
    return ax


def power_curves(curves: pd.DataFrame, ax: Axes | None = None, marks: Mapping[str, float] | None = None,
                 target: float = 0.80, title: str = "The chance a test detects each effect") -> Axes:
    """Draw the power of a test against the customers in each arm, one line per effect, on a log scale.

    ``curves`` has one row per test size (customers in each arm, increasing) and one column
    per effect, holding the power (a chance, 0 to 1), for example from
    :func:`customering_utils.experiments.power`. A dashed line marks the ``target`` power
    and dotted vertical lines the sizes in ``marks`` (such as the test actually run).

    Parameters
    ----------
    curves : DataFrame
        Indexed by customers per arm (positive, increasing), one column per effect, values
        between 0 and 1; the column names are the legend's.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    marks : mapping of str to float, optional
        ``{label: customers per arm}`` to mark with a dotted vertical line.
    target : float, default 0.80
        The power to mark with a dashed horizontal line.
    title : str, default "The chance a test detects each effect"
        The figure's title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: customers per arm across (log scale), the power up (per cent).

    Examples
    --------
    >>> import pandas as pd
    >>> curves = pd.DataFrame({"big effect": [0.3, 0.9], "small effect": [0.1, 0.4]}, index=[100, 1000])
    >>> ax = power_curves(curves, marks={"the test run": 500})
    >>> [line.get_label() for line in ax.get_lines()[:2]]
    ['big effect', 'small effect']
    >>> [float(y) for y in ax.get_lines()[0].get_ydata()]
    [30.0, 90.0]
    >>> ax.get_xscale(), ax.get_ylabel()
    ('log', 'power (% chance of a significant result)')
    """
    if not isinstance(curves, pd.DataFrame):
        raise TypeError(f"curves should be a pandas DataFrame (one row per test size), got {type(curves).__name__}")
    if curves.shape[0] < 2 or curves.shape[1] < 1:
        raise ValueError(f"curves should have at least 2 sizes (rows) and 1 effect (column), got shape {curves.shape}")
    sizes = curves.index.to_numpy(dtype=float)
    if np.any(sizes <= 0) or np.any(np.diff(sizes) <= 0):
        raise ValueError("curves should be indexed by customers per arm: positive numbers, increasing")
    values = curves.to_numpy(dtype=float)
    if not np.all((values >= -1e-9) & (values <= 1 + 1e-9)):  # a solver's 1.0000000000000002 is a power of 1
        raise ValueError("curves should hold powers, chances between 0 and 1")
    values = values.clip(0, 1)
    ax = new_axes(ax, figsize=(7, 4))
    for number, name in enumerate(curves.columns):
        ax.plot(sizes, 100 * values[:, number], color=PALETTE[COLOURS[number % len(COLOURS)]], linewidth=2,
                linestyle=LINE_STYLES[number % len(LINE_STYLES)], label=str(name))
    ax.axhline(100 * target, color=PALETTE["grey"], linestyle="--", linewidth=1, label=f"{target:.0%} power")
    for number, (label, size) in enumerate((marks or {}).items()):
        ax.axvline(size, color=PALETTE["black" if number % 2 == 0 else "grey"], linestyle=":", linewidth=1.5,
                   label=f"{label}: {size:,.0f} an arm")
    ax.set_xscale("log")
    ax.set_ylim(0, 102)
    ax.set_xlabel("customers in each arm (log scale)")
    ax.set_ylabel("power (% chance of a significant result)")
    ax.set_title(title)
    add_grid(ax)
    ax.legend(loc="lower right", frameon=True, framealpha=0.9, edgecolor="white", fontsize=8)
    return ax


def dose_response_curve(table: pd.DataFrame, curve: SaturatingCurve | None = None,
                        truth: Mapping[str, pd.Series] | None = None, ax: Axes | None = None,
                        unit: str = "purchases per customer", title: str | None = None) -> Axes:
    r"""Draw each dose's effect against dose 0 with its interval; a fitted curve with its band; the truth.

    ``table`` is what :func:`customering_utils.experiments.dose_response` returns (one row
    per dose, with ``effect``, ``effect_lower`` and ``effect_upper``). ``curve``, from
    :func:`customering_utils.experiments.fit_saturating_curve`, adds its fitted effect
    :math:`E_{\max}(1 - e^{-d/s})` from dose 0 to the largest, with a band from its
    parameters' covariance (the delta method: the gradient of the effect in
    :math:`E_{\max}` and :math:`\log s`, at the curve's confidence). ``truth`` adds dashed
    lines, such as a simulation's true mean effect at each dose.

    Parameters
    ----------
    table : DataFrame
        The effect of each dose, indexed by dose (numbers, 0 first).
    curve : SaturatingCurve, optional
        A fitted curve to draw with its band.
    truth : mapping of str to Series, optional
        ``{label: effects}``, each Series indexed by dose, in the outcome's unit.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    unit : str, default "purchases per customer"
        The outcome's unit, for the vertical axis.
    title : str, optional
        The title; by default "Effect of each dose against dose 0, with 95% intervals".

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: the dose across, the effect up (in ``unit``); the doses' points
        with their intervals, then the curve, then the truths, in the legend's order.

    Examples
    --------
    >>> import pandas as pd
    >>> from customering_utils import experiments
    >>> trial = pd.DataFrame({"dose": [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2],
    ...                       "sales": [1, 2, 1, 2, 3, 2, 3, 4, 3, 4, 4, 3]})
    >>> ax = dose_response_curve(experiments.dose_response(trial, outcome="sales"), unit="sales per customer",
    ...                          truth={"truth": pd.Series([0.0, 1.4, 2.1], index=[0, 1, 2])})
    >>> [float(y) for y in ax.containers[0].lines[0].get_ydata()]   # the doses' effects, from the table
    [0.0, 1.5, 2.0]
    >>> ax.get_ylabel()
    'effect against dose 0 (sales per customer)'
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table should be a pandas DataFrame, as experiments.dose_response returns, "
                        f"got {type(table).__name__}")
    missing = [column for column in ("effect", "effect_lower", "effect_upper") if column not in table.columns]
    if missing:
        raise ValueError(f"table is missing columns {missing}; expected the table of experiments.dose_response")
    doses = table.index.to_numpy(dtype=float)
    effect = table["effect"].to_numpy(dtype=float)
    lower = table["effect_lower"].fillna(table["effect"]).to_numpy(dtype=float)
    upper = table["effect_upper"].fillna(table["effect"]).to_numpy(dtype=float)
    ax = new_axes(ax, figsize=(7, 4.2))
    ax.axhline(0, color=PALETTE["black"], linewidth=0.8)
    confidence = table.attrs.get("confidence", 0.95)
    ax.errorbar(doses, effect, yerr=[effect - lower, upper - effect], fmt="o", color=PALETTE["blue"], capsize=4,
                elinewidth=2, markersize=7, label=f"measured, with {confidence:.0%} interval")
    if curve is not None:
        grid = np.linspace(0, doses.max(), 121)
        fitted, band = _curve_band(curve, grid)
        ax.fill_between(grid, fitted - band, fitted + band, color=PALETTE["orange"], alpha=0.2, linewidth=0)
        ax.plot(grid, fitted, color=PALETTE["orange"], linewidth=2,
                label=f"fitted curve, ceiling {curve.e_max.estimate:.3g}, scale {curve.scale.estimate:.2g}")
    for number, (label, values) in enumerate((truth or {}).items()):
        series = pd.Series(values).sort_index()
        colour = PALETTE[("black", "purple", "green", "sky_blue")[number % 4]]
        ax.plot(series.index.to_numpy(dtype=float), series.to_numpy(dtype=float), color=colour, linestyle="--",
                marker="s", markersize=4, linewidth=1.2, label=str(label))
    ax.set_xticks(doses)
    ax.set_xlabel("dose (experience touches)")
    ax.set_ylabel(f"effect against dose 0 ({unit})")
    ax.set_title(title if title is not None else f"Effect of each dose against dose 0, with {confidence:.0%} intervals")
    add_grid(ax)
    handles, labels = ax.get_legend_handles_labels()
    first = labels.index(f"measured, with {confidence:.0%} interval")  # the measured points first, as drawn
    order = [first] + [number for number in range(len(labels)) if number != first]
    ax.legend([handles[number] for number in order], [labels[number] for number in order], loc="lower right",
              frameon=True, framealpha=0.9, edgecolor="white", fontsize=8)
    return ax


def _curve_band(curve: SaturatingCurve, doses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The fitted effect at ``doses`` and the half-width of its band (delta method, in e_max and log scale)."""
    e_max, scale = curve.e_max.estimate, curve.scale.estimate
    decay = np.exp(-doses / scale)
    gradient = np.column_stack([1 - decay, -e_max * decay * doses / scale])  # d effect / d(e_max, log scale)
    covariance = curve.covariance.loc[["e_max", "log_scale"], ["e_max", "log_scale"]].to_numpy(dtype=float)
    spread = np.sqrt(np.einsum("ij,jk,ik->i", gradient, covariance, gradient))
    z = float(special.ndtri(0.5 + curve.e_max.confidence / 2))
    return e_max * (1 - decay), z * spread

"""Figures of uplift models judged on held-out customers: their uplift or Qini curves, and the true classes by rank.

- :func:`uplift_curves` draws, for one or more rankings of the same customers, the Qini
  curve (or the uplift curve) of :mod:`customering_utils.uplift`, with the random
  ranking's straight line and, if asked, the perfect ranking's curve; the legend gives
  each ranking's normalised area (scikit-uplift's normalisation, as the package computes it).
- :func:`classes_by_rank` cuts the customers into equal groups by predicted uplift and
  draws the share of each true class (gain, unmoved, harm) in each group with its Wilson
  interval: on simulated data, where each customer's true response is known, it shows
  whether the ranking separates the customers it should.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .. import intervals, uplift
from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["uplift_curves", "class_shares", "classes_by_rank"]

#: The colours of the rankings, in the order they are given (grey and black are kept for random and perfect).
COLOURS = ("blue", "orange", "green", "purple", "sky_blue", "vermillion")
#: The colour of each true class of response.
CLASS_COLOURS = {"gain": "blue", "unmoved": "grey", "harm": "vermillion"}
#: The two kinds of curve: the package's functions and the words for them.
KINDS = {
    "qini": (uplift.qini_curve, uplift.perfect_qini_curve, uplift.qini_auc_score, "Qini coefficient",
             "extra {outcome} among the treated taken"),
    "uplift": (uplift.uplift_curve, uplift.perfect_uplift_curve, uplift.uplift_auc_score, "uplift AUC",
               "extra {outcome} if those taken were all treated"),
}


def _scores(scores: Mapping[str, ArrayLike], n: int) -> dict[str, np.ndarray]:
    """``scores`` checked: a non-empty mapping of names to one finite number per customer."""
    if not isinstance(scores, Mapping) or not scores:
        raise TypeError("scores should be a dict of {name: predicted uplift per customer}, with at least one ranking")
    checked = {}
    for name, values in scores.items():
        array = np.asarray(values, dtype=float)
        if array.ndim != 1 or len(array) != n:
            raise ValueError(f"scores[{name!r}] should hold one number per customer ({n:,}), got shape {array.shape}")
        if not np.all(np.isfinite(array)):
            raise ValueError(f"scores[{name!r}] has missing or infinite values")
        checked[str(name)] = array
    return checked


def uplift_curves(y_true: ArrayLike, treatment: ArrayLike, scores: Mapping[str, ArrayLike], kind: str = "qini",
                  ax: Axes | None = None, perfect: bool = False, outcome: str = "responses") -> Axes:
    """Draw the Qini (or uplift) curve of each ranking of the same held-out customers, with the random line.

    Each ranking (``scores``, one predicted uplift per customer) sorts the customers from
    the highest predicted uplift down; its curve is :func:`customering_utils.uplift.qini_curve`
    (``kind="qini"``) or :func:`customering_utils.uplift.uplift_curve` (``kind="uplift"``),
    drawn against the share of customers taken. The dotted grey line from (0, 0) to the
    curves' common end is what a random ranking gives on average; with ``perfect=True`` the
    dashed black curve is the perfect ranking's (:func:`~customering_utils.uplift.perfect_qini_curve`
    or :func:`~customering_utils.uplift.perfect_uplift_curve`). The legend gives each
    ranking's normalised area (:func:`~customering_utils.uplift.qini_auc_score` or
    :func:`~customering_utils.uplift.uplift_auc_score`): 0 for random, 1 for perfect.

    Parameters
    ----------
    y_true : array_like
        Each customer's 0/1 outcome (visited, bought), both values present.
    treatment : array_like
        1 for treated, 0 for control, both present.
    scores : dict of str to array_like
        ``{name: predicted uplift}`` for one to six rankings, one number per customer each.
    kind : {"qini", "uplift"}, default "qini"
        Which curve to draw.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    perfect : bool, default False
        Whether to draw the perfect ranking's curve too (it is often far above the rest).
    outcome : str, default "responses"
        What the outcome counts, plural, for the vertical axis (``"visits"``, ``"buyers"``).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: the share of customers taken (per cent, highest predicted
        uplift first) across, the extra responses (a count) up; one line per ranking, then
        the random line (and the perfect curve).

    Examples
    --------
    Ten customers, one ranking:

    >>> y = [1, 0, 0, 1, 1, 0, 0, 1, 0, 0]
    >>> treatment = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    >>> model = [0.8, 0.1, 0.3, 0.7, 0.6, 0.5, 0.2, 0.0, 0.4, 0.1]
    >>> ax = uplift_curves(y, treatment, {"model": model}, perfect=True, outcome="buyers")
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['model (Qini coefficient 1.000)', 'random ranking', 'perfect ranking']
    >>> [float(y) for y in ax.get_lines()[0].get_ydata()]   # uplift.qini_curve's heights
    [0.0, 1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 2.0]
    >>> ax.get_ylabel()
    'extra buyers among the treated taken (count)'
    """
    if kind not in KINDS:
        raise ValueError(f"kind should be 'qini' or 'uplift', got {kind!r}")
    if not isinstance(perfect, bool):
        raise TypeError(f"perfect should be True or False, got {perfect!r}")
    curve, perfect_curve, score, score_name, label = KINDS[kind]
    y = np.asarray(y_true)
    checked = _scores(scores, len(y))
    if len(checked) > len(COLOURS):
        raise ValueError(f"scores should hold at most {len(COLOURS)} rankings, to keep the figure readable; got {len(checked)}")
    from matplotlib.ticker import PercentFormatter, StrMethodFormatter

    ax = new_axes(ax, figsize=(7.5, 4.2))
    n = len(y)
    end = 0.0
    for (name, values), colour in zip(checked.items(), COLOURS, strict=False):
        x, height = curve(y_true, values, treatment)
        area = score(y_true, values, treatment)
        ax.plot(x / n, height, color=PALETTE[colour], linewidth=1.8, label=f"{name} ({score_name} {area:.3f})")
        end = float(height[-1])
    ax.plot([0, 1], [0, end], color=PALETTE["grey"], linestyle=":", linewidth=1.5, label="random ranking")
    if perfect:
        x, height = perfect_curve(y_true, treatment)
        ax.plot(np.asarray(x, dtype=float) / n, height, color=PALETTE["black"], linestyle="--", linewidth=1.2,
                label="perfect ranking")
    ax.axhline(0, color=PALETTE["black"], linewidth=0.6)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,g}"))
    ax.set_xlabel("customers taken, highest predicted uplift first (% of customers)")
    ax.set_ylabel(f"{label.format(outcome=outcome)} (count)")
    ax.set_title(f"{'Qini' if kind == 'qini' else 'Uplift'} curves of {n:,} held-out customers")
    add_grid(ax)
    ax.legend(loc="best", frameon=False, fontsize=8)
    return ax


def class_shares(scores: ArrayLike, classes: ArrayLike, bins: int = 10, confidence: float = 0.95) -> pd.DataFrame:
    """The share of each true class in equal groups of customers by predicted uplift, with Wilson intervals.

    Customers are sorted by ``scores`` (lowest first; ties by their order in the input) and
    cut into ``bins`` groups of as equal size as can be; group 1 holds the lowest predicted
    uplift. For each group and each class: the customers, the share and its Wilson interval
    (:func:`customering_utils.intervals.proportion`).

    Parameters
    ----------
    scores : array_like
        Each customer's predicted uplift.
    classes : array_like
        Each customer's true class, such as ``"gain"``, ``"unmoved"`` or ``"harm"``.
    bins : int, default 10
        How many groups (10: deciles), from 2 to the number of customers.
    confidence : float, default 0.95
        The level of the intervals.

    Returns
    -------
    DataFrame
        One row per group and class (index ``group``, ``class``) with ``customers`` (in the
        group), ``count`` (of the class), ``share``, ``lower`` and ``upper``.

    Examples
    --------
    >>> table = class_shares([0.1, 0.2, 0.3, 0.4], ["harm", "gain", "gain", "gain"], bins=2)
    >>> table["count"].tolist()
    [1, 1, 2, 0]
    >>> table.index.tolist()
    [(1, 'gain'), (1, 'harm'), (2, 'gain'), (2, 'harm')]
    """
    values = np.asarray(scores, dtype=float)
    labels = pd.Series(np.asarray(classes), dtype="string")
    if values.ndim != 1 or len(values) != len(labels):
        raise ValueError(f"scores and classes should have one value per customer each; got {values.shape} and {len(labels):,}")
    if not np.all(np.isfinite(values)):
        raise ValueError("scores has missing or infinite values")
    if labels.isna().any():
        raise ValueError("classes has missing values; expected a class for every customer")
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or not 2 <= bins <= len(values):
        raise ValueError(f"bins should be a whole number from 2 to the number of customers ({len(values):,}), got {bins!r}")
    order = np.argsort(values, kind="mergesort")
    group = np.empty(len(values), dtype=int)
    group[order] = np.arange(len(values)) * bins // len(values) + 1
    counts = pd.crosstab(group, labels.to_numpy())
    rows = []
    for g, row in counts.iterrows():
        total = int(row.sum())
        for name, count in row.items():
            share = intervals.proportion(int(count), total, confidence=confidence)
            rows.append((int(g), str(name), total, int(count), share.estimate, share.lower, share.upper))
    return pd.DataFrame(rows, columns=["group", "class", "customers", "count", "share", "lower", "upper"]).set_index(
        ["group", "class"])


def classes_by_rank(scores: ArrayLike, classes: ArrayLike, bins: int = 10, ax: Axes | None = None,
                    order: Sequence[str] = ("gain", "unmoved", "harm"), confidence: float = 0.95) -> Axes:
    """Draw the share of each true class in groups of customers by predicted uplift, lowest first, with intervals.

    The customers are cut into ``bins`` equal groups by predicted uplift (:func:`class_shares`):
    group 1 holds the lowest. Each class in ``order`` gets a line of its share across the
    groups, with Wilson intervals, and a dotted line at its share among all customers. A
    ranking that separates the classes slopes: gains rising to the right, harm falling; a
    ranking that does not stays flat on its dotted line.

    Parameters
    ----------
    scores : array_like
        Each customer's predicted uplift.
    classes : array_like
        Each customer's true class (such as the data world's ``experiment_response``).
    bins : int, default 10
        How many groups (10: deciles).
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    order : sequence of str, default ("gain", "unmoved", "harm")
        The classes to draw, in the legend's order; each must occur in ``classes``.
    confidence : float, default 0.95
        The level of the intervals.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: the groups (1 = lowest predicted uplift) across, the share of
        customers (per cent) up; per class a line with interval bars and a dotted line.

    Examples
    --------
    >>> scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    >>> classes = ["harm", "harm", "unmoved", "gain", "gain", "gain"]
    >>> ax = classes_by_rank(scores, classes, bins=3)
    >>> [float(y) for y in ax.get_lines()[0].get_ydata()]   # gain, in the three groups (%)
    [0.0, 50.0, 100.0]
    >>> ax.get_xlabel()
    'group of customers by predicted uplift (1 = lowest of 3)'
    """
    table = class_shares(scores, classes, bins=bins, confidence=confidence)
    found = table.index.get_level_values("class").unique().tolist()
    missing = [name for name in order if name not in found]
    if missing or not order:
        raise ValueError(f"order should name classes found in classes {sorted(found)}; {missing or 'none'} not found")
    from matplotlib.ticker import PercentFormatter

    ax = new_axes(ax, figsize=(7.5, 4.2))
    everyone = pd.Series(np.asarray(classes)).value_counts(normalize=True)
    other = iter(c for c in COLOURS if c not in CLASS_COLOURS.values())
    for name in order:
        rows = table.xs(name, level="class")
        colour = PALETTE[CLASS_COLOURS.get(name) or next(other)]
        share = 100 * rows["share"].to_numpy()
        ax.errorbar(rows.index, share, yerr=[share - 100 * rows["lower"], 100 * rows["upper"] - share], color=colour,
                    marker="o", markersize=4, linewidth=1.6, elinewidth=1, capsize=2, label=name)
        ax.axhline(100 * everyone[name], color=colour, linestyle=":", linewidth=1)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=100))
    ax.set_xticks(range(1, bins + 1))
    ax.set_xlabel(f"group of customers by predicted uplift (1 = lowest of {bins})")
    ax.set_ylabel("share of the group (% of customers)")
    ax.set_title(f"True class by predicted uplift, with {confidence:.0%} intervals (dotted: all customers)")
    add_grid(ax, axis="y")
    ax.legend(loc="best", frameon=False, fontsize=8)
    return ax

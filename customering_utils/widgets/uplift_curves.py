"""An explorer of uplift rankings: pick a ranking, take the customers it ranks highest or lowest, see who they are."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .. import experiments, intervals, uplift
from ..plots.style import PALETTE, add_grid, png
from ..plots.uplift_curves import CLASS_COLOURS, _scores, uplift_curves

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["uplift_explorer"]

#: The shares of customers the slider offers: 5% to 50% in steps of 5%.
SHARES = tuple(round(0.05 * step, 2) for step in range(1, 11))
ENDS = {"highest": "highest predicted uplift", "lowest": "lowest predicted uplift"}


def uplift_explorer(
    y_true: ArrayLike,
    treatment: ArrayLike,
    scores: Mapping[str, ArrayLike],
    classes: ArrayLike | None = None,
    *,
    shares: Sequence[float] = SHARES,
    start: float = 0.1,
    end: str = "lowest",
    outcome: str = "responses",
    confidence: float = 0.95,
) -> ipywidgets.Widget:
    """Pick a ranking and a share of customers from its top or bottom; see their observed uplift and who they truly are.

    For held-out customers of an experiment (``y_true``, ``treatment``) and one or more
    rankings of them (``scores``: each a predicted uplift per customer), a drop-down picks
    the ranking, a slider the share of customers taken, and two buttons whether they are
    the ones with the highest or the lowest predicted uplift. The readout gives the
    ranking's Qini coefficient and uplift AUC
    (:func:`customering_utils.uplift.qini_auc_score`, :func:`~customering_utils.uplift.uplift_auc_score`);
    for the customers taken, the response rate of the treated and of the control among
    them and the difference, with Newcombe's interval
    (:func:`customering_utils.experiments.difference_in_proportions`; from the top, the
    difference is :func:`~customering_utils.uplift.uplift_at_k` with ``strategy="overall"``);
    and, when ``classes`` gives each customer's true class (simulated data), how many of
    each class they hold, with Wilson intervals, against the share among all customers.
    The figure draws the ranking's Qini curve with the customers taken shaded, beside the
    classes (or the two response rates) of the customers taken. Returns an
    ``ipywidgets.VBox``: show it by making it the last line of a cell.

    Parameters
    ----------
    y_true : array_like
        Each customer's 0/1 outcome, both values present.
    treatment : array_like
        1 for treated, 0 for control, both present.
    scores : dict of str to array_like
        ``{name: predicted uplift per customer}``, one to six rankings.
    classes : array_like, optional
        Each customer's true class (such as ``"gain"``, ``"unmoved"``, ``"harm"``); ``None``
        (the default) for real data, where it is not known.
    shares : sequence of float, default 5% to 50% in steps of 5%
        The shares of customers the slider offers, each strictly between 0 and 1, increasing.
    start : float, default 0.1
        The share shown first, one of ``shares``.
    end : {"lowest", "highest"}, default "lowest"
        Which end of the ranking is taken first.
    outcome : str, default "responses"
        What the outcome counts, plural, for the readout and the figure (``"buyers"``).
    confidence : float, default 0.95
        The level of every interval.

    Returns
    -------
    ipywidgets.VBox
        The drop-down (ranking), the slider (share of customers taken, per cent), the
        buttons (which end), the readout (rates and shares in per cent) and the figure, in
        that order in ``children``.

    Examples
    --------
    Twelve customers: the ranking puts the three control buyers lowest and the harmed
    customer among them:

    >>> y = [1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 1, 1]
    >>> treatment = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    >>> ranking = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.35, 0.45, 0.1, 0.15, 0.2]
    >>> truth = ["gain"] * 3 + ["unmoved"] * 6 + ["harm"] + ["unmoved"] * 2
    >>> explorer = uplift_explorer(y, treatment, {"model": ranking}, truth, shares=(0.25, 0.5), start=0.25)
    >>> "harm <b>1</b>" in explorer.children[3].value   # the lowest 3 hold the harmed customer
    True
    >>> explorer.children[2].value = "highest"           # what clicking the other button does
    >>> "harm <b>0</b>" in explorer.children[3].value, "gain <b>3</b>" in explorer.children[3].value
    (True, True)
    """
    import ipywidgets as widgets

    y = np.asarray(y_true)
    t = np.asarray(treatment)
    if y.ndim != 1 or t.shape != y.shape:
        raise ValueError(f"y_true and treatment should have one value per customer each; got shapes {y.shape} and {t.shape}")
    for name, values, meaning in (("y_true", y, "1 = responded, 0 = did not"), ("treatment", t, "1 = treated, 0 = control")):
        if not np.isin(values, [0, 1]).all() or len(np.unique(values)) < 2:
            raise ValueError(f"{name} should hold 0 and 1 ({meaning}), both present")
    y, t = y.astype(int), t.astype(int)
    rankings = _scores(scores, len(y))
    truth = None
    if classes is not None:
        truth = pd.Series(np.asarray(classes), dtype="string")
        if len(truth) != len(y) or truth.isna().any():
            raise ValueError(f"classes should hold a class for each of the {len(y):,} customers")
    shares = [float(share) for share in shares]
    if not shares or any(not 0 < share < 1 for share in shares) or any(np.diff(shares) <= 0):
        raise ValueError(f"shares should be increasing shares strictly between 0 and 1, got {shares}")
    if start not in shares:
        raise ValueError(f"start should be one of the shares {shares}, got {start!r}")
    if end not in ENDS:
        raise ValueError(f"end should be 'lowest' or 'highest', got {end!r}")
    if isinstance(confidence, bool) or not 0 < confidence < 1:
        raise ValueError(f"confidence should be a share between 0 and 1 (for example 0.95), got {confidence!r}")
    areas = {name: (uplift.qini_auc_score(y, values, t), uplift.uplift_auc_score(y, values, t))
             for name, values in rankings.items()}

    style = {"description_width": "120px"}
    choose = widgets.Dropdown(options=list(rankings), value=next(iter(rankings)), description="ranking", style=style,
                              layout=widgets.Layout(width="420px"))
    slider = widgets.SelectionSlider(options=[(f"{share:.0%}", share) for share in shares], value=start,
                                     description="customers taken", style=style, layout=widgets.Layout(width="520px"))
    ends = widgets.ToggleButtons(options=[(label, key) for key, label in ENDS.items()], value=end, description="from the",
                                 style=style)
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="760px"))

    def redraw(change: object = None) -> None:
        name, share, which = choose.value, slider.value, ends.value
        taken = _taken(rankings[name], share, which)
        readout.value = _readout(y, t, truth, taken, name, areas[name], share, which, outcome, confidence)
        picture.value = _figure(y, t, truth, taken, name, rankings[name], share, which, outcome, confidence)

    for control in (choose, slider, ends):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([choose, slider, ends, readout, picture])


def _taken(values: np.ndarray, share: float, which: str) -> np.ndarray:
    """Positions of the ``int(n * share)`` customers at one end of the ranking (scikit-uplift's order of ties)."""
    order = np.argsort(values, kind="mergesort")
    size = max(1, int(len(values) * share))
    return order[::-1][:size] if which == "highest" else order[:size]


def _percent(value: float, sign: bool = False) -> str:
    return f"{value:+.1%}" if sign else f"{value:.1%}"


def _readout(y: np.ndarray, t: np.ndarray, truth: pd.Series | None, taken: np.ndarray, name: str,
             areas: tuple[float, float], share: float, which: str, outcome: str, confidence: float) -> str:
    """The readout: the ranking's areas, the observed uplift of the customers taken, and their true classes."""
    level = f"{confidence:.0%}"
    qini, auc = areas
    parts = [f"<b>{name}</b>: Qini coefficient {qini:.3f}, uplift AUC {auc:.3f} (0 = random, 1 = perfect).",
             f"The <b>{len(taken):,}</b> customers ({share:.0%}) with the {ENDS[which]}:"]
    yt, tt = y[taken], t[taken]
    n_treated, n_control = int(tt.sum()), int((1 - tt).sum())
    if n_treated == 0 or n_control == 0:
        parts.append(f"{n_treated:,} treated and {n_control:,} control, so no difference can be measured; take more.")
    else:
        gap = experiments.difference_in_proportions(int(yt[tt == 1].sum()), n_treated, int(yt[tt == 0].sum()), n_control,
                                                    confidence=confidence)
        parts.append(f"{n_treated:,} treated, {n_control:,} control; {outcome}: {_percent(yt[tt == 1].mean())} of the "
                     f"treated against {_percent(yt[tt == 0].mean())} of the control, a difference of "
                     f"<b>{_percent(gap.estimate, True)}</b> ({level} interval {_percent(gap.lower, True)} to "
                     f"{_percent(gap.upper, True)}).")
    if truth is not None:
        found = []
        for label in _class_order(truth):
            count = int((truth.iloc[taken] == label).sum())
            held = intervals.proportion(count, len(taken), confidence=confidence)
            found.append(f"{label} <b>{count:,}</b> ({_percent(held.estimate)}, {level} interval {_percent(held.lower)} to "
                         f"{_percent(held.upper)}; all customers {_percent(float((truth == label).mean()))})")
        parts.append("Their true classes: " + "; ".join(found) + ".")
    return " ".join(parts)


def _class_order(truth: pd.Series) -> list[str]:
    """The classes present, harm first, then gain and unmoved, then any other in alphabetical order."""
    present = sorted(truth.unique().tolist())
    known = [label for label in ("harm", "gain", "unmoved") if label in present]
    return known + [label for label in present if label not in known]


def _figure(y: np.ndarray, t: np.ndarray, truth: pd.Series | None, taken: np.ndarray, name: str, values: np.ndarray,
            share: float, which: str, outcome: str, confidence: float) -> bytes:
    """PNG bytes: the ranking's Qini curve with the customers taken shaded (left), and who they are (right)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    figure = Figure(figsize=(10.4, 4.0), dpi=100, layout="constrained")
    left, right = figure.subplots(1, 2, width_ratios=[1.25, 1])
    uplift_curves(y, t, {name: values}, ax=left, outcome=outcome)
    span = (0.0, share) if which == "highest" else (1.0 - share, 1.0)
    left.axvspan(*span, color=PALETTE["yellow"], alpha=0.35, linewidth=0, label="customers taken")
    left.legend(loc="best", frameon=False, fontsize=8)
    left.set_title(f"Qini curve of {name}")
    if truth is not None:
        labels = _class_order(truth)
        chosen = [intervals.proportion(int((truth.iloc[taken] == label).sum()), len(taken), confidence=confidence)
                  for label in labels]
        where = np.arange(len(labels))
        overall = [100 * float((truth == label).mean()) for label in labels]
        right.barh(where + 0.2, overall, height=0.4, fill=False, edgecolor=PALETTE["black"], label="all customers")
        for row, (label, held) in enumerate(zip(labels, chosen, strict=True)):
            colour = PALETTE[CLASS_COLOURS.get(label, "purple")]
            right.barh(row - 0.2, 100 * held.estimate, height=0.4, color=colour,
                       xerr=[[100 * (held.estimate - held.lower)], [100 * (held.upper - held.estimate)]],
                       error_kw={"elinewidth": 1, "capsize": 3}, label="customers taken" if row == 0 else None)
        right.set_yticks(where, labels)
        right.set_xlabel(f"share of customers (%, {confidence:.0%} interval)")
        right.set_ylabel("true class")
        right.set_title(f"Who the {len(taken):,} taken truly are")
    else:
        arms = [("control", 0, PALETTE["grey"]), ("treated", 1, PALETTE["blue"])]
        for row, (_label, arm, colour) in enumerate(arms):
            group = y[taken][t[taken] == arm]
            if len(group):
                rate = intervals.proportion(int(group.sum()), len(group), confidence=confidence)
                right.barh(row, 100 * rate.estimate, height=0.6, color=colour,
                           xerr=[[100 * (rate.estimate - rate.lower)], [100 * (rate.upper - rate.estimate)]],
                           error_kw={"elinewidth": 1, "capsize": 3})
        right.set_yticks([0, 1], [label for label, _, _ in arms])
        right.set_xlabel(f"{outcome} (% of the arm, {confidence:.0%} interval)")
        right.set_ylabel("arm")
        right.set_title(f"The {len(taken):,} taken, by arm")
    right.xaxis.set_major_formatter(PercentFormatter(xmax=100))
    add_grid(right, axis="x")
    if truth is not None:
        right.legend(loc="best", frameon=False, fontsize=8)
    return png(figure)

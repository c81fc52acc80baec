r"""Planning an A/B test: its power, and how often it gets the sign or the size of an effect wrong.

:func:`planned_test_errors` gives, for a planned test of a rate, the chance that it detects
a true lift (its **power**), the chance that the difference it observes has the wrong sign,
the share of its *significant* results that have the wrong sign (Gelman and Carlin's
"type S" error) and how much its significant results overstate the lift on average (their
"exaggeration ratio", type M). :func:`power_explorer` shows them with sliders.

Both work on Cohen's *h* scale, as :func:`customering_utils.experiments.power` does: the
observed :math:`\hat h = 2\arcsin\sqrt{\hat p_T} - 2\arcsin\sqrt{\hat p_C}` is close to
normal with mean :math:`h` and standard error :math:`\sqrt{1/n_T + 1/n_C}` whatever the
rates, so with :math:`k = |h| / \mathrm{SE}` (the lift in standard errors) and
:math:`z = z_{1-\alpha/2}`,

.. math:: \text{power} = \Phi(k - z) + \Phi(-k - z), \qquad
          P(\text{wrong sign}) = \Phi(-k), \qquad
          P(\text{wrong sign} \mid \text{significant}) = \Phi(-k - z) / \text{power}.

Reference: Gelman, A. and Carlin, J. (2014). Beyond power calculations: assessing type S
(sign) and type M (magnitude) errors. *Perspectives on Psychological Science* 9(6), 641-651.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .. import experiments
from ..plots.style import PALETTE, add_grid, png

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["planned_test_errors", "power_explorer"]

#: The test sizes the explorer offers, customers in each arm, as powers of ten.
SIZE_RANGE = (2.0, 6.0)


def _check(n: float, difference: float, baseline: float, alpha: float) -> None:
    for name, value in (("n", n), ("difference", difference), ("baseline", baseline), ("alpha", alpha)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not math.isfinite(value):
            raise TypeError(f"{name} should be one finite number, got {value!r}")
    if n < 2:
        raise ValueError(f"n should be the customers in each arm, at least 2, got {n!r}")
    if not 0 < baseline < 1:
        raise ValueError(f"baseline should be the control arm's rate, strictly between 0 and 1 (0.106 for 10.6%), "
                         f"got {baseline!r}")
    if difference <= 0 or baseline + difference >= 1:
        raise ValueError(f"difference should be the planned lift, a rise of the rate above 0 that keeps it below 1 "
                         f"(0.01 for one percentage point), got {difference!r} on a baseline of {baseline!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha should be the test's false-alarm rate, between 0 and 1 (0.05), got {alpha!r}")


def planned_test_errors(n: float, difference: float, baseline: float, alpha: float = 0.05) -> pd.Series:
    r"""What a planned test of a rate gets right and wrong: power, wrong signs and exaggeration.

    For a test with ``n`` customers in each of two arms, a control arm's rate ``baseline``
    and a true lift ``difference``, tested two-sided at level ``alpha`` (the two-proportion
    z test): the power, the chance the observed difference has the wrong sign, the share of
    the significant results with the wrong sign, and the exaggeration ratio, the mean of a
    significant result's size over the true lift (Gelman and Carlin 2014), all on Cohen's
    *h* scale (see the module's notes). With :math:`X \sim N(k, 1)` the observed lift in
    standard errors, the exaggeration is
    :math:`E[|X| \mid |X| > z] / k = \bigl(k\,\Phi(k - z) + \varphi(k - z) - k\,\Phi(-k - z)
    + \varphi(k + z)\bigr) / (k \cdot \text{power})`.
    The power is :func:`customering_utils.experiments.power`'s, to rounding.

    Parameters
    ----------
    n : float
        Customers in each arm, at least 2.
    difference : float
        The true lift, treated rate minus control rate, above 0 (0.01 for one percentage point).
    baseline : float
        The control arm's rate, strictly between 0 and 1.
    alpha : float, default 0.05
        The test's false-alarm rate.

    Returns
    -------
    Series
        ``power``, ``wrong_sign``, ``wrong_sign_if_significant`` (chances, 0 to 1),
        ``exaggeration`` (a ratio, at least 1), ``cohens_h`` and ``lift_in_standard_errors``
        (:math:`k`).

    Examples
    --------
    >>> errors = planned_test_errors(2_000, 0.003, baseline=0.006)
    >>> errors.round(3).to_dict()   # doctest: +NORMALIZE_WHITESPACE
    {'power': 0.197, 'wrong_sign': 0.135, 'wrong_sign_if_significant': 0.006, 'exaggeration': 2.275,
     'cohens_h': 0.035, 'lift_in_standard_errors': 1.105}
    """
    _check(n, difference, baseline, alpha)
    h = 2 * math.asin(math.sqrt(baseline + difference)) - 2 * math.asin(math.sqrt(baseline))
    k = h / math.sqrt(2 / n)
    z = float(stats.norm.ppf(1 - alpha / 2))
    normal = stats.norm
    power = float(normal.cdf(k - z) + normal.cdf(-k - z))
    above = k * normal.cdf(k - z) + normal.pdf(k - z)  # E[X; X > z] for X ~ N(k, 1)
    below = -k * normal.cdf(-k - z) + normal.pdf(k + z)  # E[-X; X < -z]
    return pd.Series({"power": power, "wrong_sign": float(normal.cdf(-k)),
                      "wrong_sign_if_significant": float(normal.cdf(-k - z)) / power,
                      "exaggeration": float(above + below) / (k * power), "cohens_h": h, "lift_in_standard_errors": k})


def _smallest_lift(n: float, baseline: float, power: float = 0.80, alpha: float = 0.05) -> float:
    """The lift a test of ``n`` an arm detects with ``power``: Cohen's h solved, turned back into a rate; nan if none."""
    z = float(stats.norm.ppf(1 - alpha / 2))
    k = optimize.brentq(lambda k: stats.norm.cdf(k - z) + stats.norm.cdf(-k - z) - power, 0.0, 40.0)
    angle = math.asin(math.sqrt(baseline)) + k * math.sqrt(2 / n) / 2
    return math.sin(angle) ** 2 - baseline if angle < math.pi / 2 else float("nan")


def power_explorer(baseline: float, difference: float, n: float, alpha: float = 0.05) -> ipywidgets.Widget:
    """Sliders for a planned test of a rate: the control rate, the true lift, the customers in each arm.

    The readout gives the test's power (:func:`customering_utils.experiments.power`), the
    customers each arm needs for 80% power (:func:`customering_utils.experiments.sample_size`),
    the smallest lift this size detects with 80% power, and what goes wrong at this size
    (:func:`planned_test_errors`): the chance the observed difference has the wrong sign, the
    share of significant results with the wrong sign, and how much significant results
    overstate the lift. The figure shows, on the left, the power against customers per arm
    (a dot at the size chosen) and, on the right, the spread of the difference the test could
    observe: the significant results shaded, those with the right sign in blue, the wrong
    sign in vermillion. Returns an ``ipywidgets.VBox``: show it by making it the last line
    of a cell.

    Parameters
    ----------
    baseline : float
        The control arm's rate to start with, a share from 0.0005 to 0.5 (0.0057 for 0.57%).
    difference : float
        The true lift to start with, treated rate minus control rate, from 0.0005 to 0.10
        (0.003 for 0.3 percentage points).
    n : float
        Customers in each arm to start with, 100 to 1,000,000.
    alpha : float, default 0.05
        The test's false-alarm rate (fixed).

    Returns
    -------
    ipywidgets.VBox
        The baseline slider (per cent), the lift slider (percentage points), the size slider
        (customers in each arm, log scale), the readout and the figure, in that order in
        ``children``.

    Examples
    --------
    >>> explorer = power_explorer(baseline=0.006, difference=0.003, n=2_000)
    >>> baseline, lift, size, readout, picture = explorer.children
    >>> "power <b>19.7%</b>" in readout.value
    True
    >>> size.value = 20_000   # ten times the customers
    >>> "power <b>93.8%</b>" in readout.value
    True
    """
    import ipywidgets as widgets

    _check(n, difference, baseline, alpha)
    if not (0.0005 <= baseline <= 0.5 and 0.0005 <= difference <= 0.10 and 100 <= n <= 1_000_000):
        raise ValueError(f"the explorer covers baselines from 0.0005 to 0.5, lifts from 0.0005 to 0.10 and 100 to "
                         f"1,000,000 customers an arm; got baseline {baseline!r}, difference {difference!r}, n {n!r}")
    style, layout = {"description_width": "170px"}, widgets.Layout(width="520px")
    base = widgets.FloatSlider(value=round(100 * baseline, 2), min=0.05, max=50.0, step=0.01, readout_format=".2f",
                               description="control rate (%)", style=style, layout=layout)
    lift = widgets.FloatSlider(value=round(100 * difference, 2), min=0.05, max=10.0, step=0.01, readout_format=".2f",
                               description="true lift (points)", style=style, layout=layout)
    size = widgets.FloatLogSlider(value=float(n), base=10, min=SIZE_RANGE[0], max=SIZE_RANGE[1], step=0.01,
                                  readout_format=",.0f", description="customers in each arm", style=style, layout=layout)
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="760px"))

    def redraw(change: object = None) -> None:
        b, d, customers = base.value / 100, lift.value / 100, round(size.value)  # at most 50% + 10 points: below 100%
        readout.value = _readout(b, d, customers, alpha)
        picture.value = _figure(b, d, customers, alpha)

    for control in (base, lift, size):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([base, lift, size, readout, picture])


def _readout(baseline: float, difference: float, n: int, alpha: float) -> str:
    errors = planned_test_errors(n, difference, baseline, alpha)
    power = experiments.power(n, difference, baseline=baseline, alpha=alpha)
    needed = experiments.sample_size(difference, baseline=baseline, alpha=alpha, power=0.80)
    smallest = _smallest_lift(n, baseline, alpha=alpha)
    smallest_text = (f"{100 * smallest:.2f} points" if math.isfinite(smallest)
                     else "none: the rate cannot rise that far")
    return (f"A test with <b>{n:,}</b> customers in each arm, a control rate of {100 * baseline:.2f}% and a true lift "
            f"of {100 * difference:.2f} points: power <b>{power:.1%}</b>. For 80% power it needs "
            f"<b>{needed:,}</b> customers in each arm; at this size, the smallest lift it finds with 80% power is "
            f"{smallest_text}.<br>The difference it observes has the wrong sign {errors['wrong_sign']:.1%} of the time; "
            f"of its significant results, {errors['wrong_sign_if_significant']:.1%} have the wrong sign, and on "
            f"average they overstate the lift <b>{errors['exaggeration']:.2f} times</b>.")


def _figure(baseline: float, difference: float, n: int, alpha: float) -> bytes:
    """PNG bytes: power against customers per arm (left); the observed difference's spread (right)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9.6, 3.6), dpi=100, layout="constrained")
    left, right = figure.subplots(1, 2)
    sizes = np.logspace(*SIZE_RANGE, 81)
    left.plot(sizes, [100 * planned_test_errors(s, difference, baseline, alpha)["power"] for s in sizes],
              color=PALETTE["blue"], linewidth=2)
    errors = planned_test_errors(n, difference, baseline, alpha)
    left.plot([n], [100 * errors["power"]], "o", color=PALETTE["vermillion"], markersize=8,
              label=f"{n:,} an arm: {errors['power']:.0%}")
    left.axhline(80, color=PALETTE["grey"], linestyle="--", linewidth=1, label="80% power")
    left.set_xscale("log")
    left.set_ylim(0, 102)
    left.set_xlabel("customers in each arm (log scale)")
    left.set_ylabel("power (% chance of a significant result)")
    left.set_title("Power against the test's size", fontsize=10)
    left.legend(loc="upper left", frameon=False, fontsize=8)
    add_grid(left)

    # The observed difference in points: normal around the true lift, its standard error set so the
    # lift is k standard errors, as on Cohen's h scale.
    k = errors["lift_in_standard_errors"]
    se = 100 * difference / k
    z = float(stats.norm.ppf(1 - alpha / 2))
    x = np.linspace(100 * difference - 4.5 * se, 100 * difference + 4.5 * se, 401)
    density = stats.norm.pdf(x, 100 * difference, se)
    right.plot(x, density, color=PALETTE["black"], linewidth=1.2)
    right.fill_between(x, density, where=x >= z * se, color=PALETTE["blue"], alpha=0.5, linewidth=0,
                       label=f"significant, right sign ({errors['power'] - errors['power'] * errors['wrong_sign_if_significant']:.1%})")
    right.fill_between(x, density, where=x <= -z * se, color=PALETTE["vermillion"], alpha=0.7, linewidth=0,
                       label=f"significant, wrong sign ({errors['power'] * errors['wrong_sign_if_significant']:.2%})")
    right.axvline(100 * difference, color=PALETTE["orange"], linewidth=2, label=f"true lift {100 * difference:.2f} points")
    right.axvline(0, color=PALETTE["grey"], linewidth=1)
    right.set_xlabel("observed difference (percentage points)")
    right.set_ylabel("how likely (density)")
    right.set_yticks([])
    right.set_title("What the test could observe", fontsize=10)
    right.legend(loc="upper left", frameon=True, framealpha=0.9, edgecolor="white", fontsize=8)
    return png(figure)

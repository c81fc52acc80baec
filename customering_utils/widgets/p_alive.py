"""Explorers of the BG/NBD model: what its four parameters say about a base, and P(alive) across histories."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import periods
from ..clv import BetaGeo
from ..plots.clv import dropout_distribution, p_alive_heatmap, purchase_rate_distribution
from ..plots.style import PALETTE, nice_ceiling, png

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["bgnbd_parameter_explorer", "p_alive_explorer", "silence_to_half"]

#: The repeat purchases the P(alive) explorer's readout follows.
READOUT_FREQUENCIES = (1, 3, 10)


def bgnbd_parameter_explorer(model: BetaGeo, horizon: float = 52.0) -> ipywidgets.Widget:
    """Sliders for BG/NBD's four parameters, with the spread of purchase rates and drop-out they imply.

    Starts at ``model``'s parameters. Below the sliders for ``r``, ``alpha``, ``a`` and
    ``b``, a readout gives what they mean for the base: the mean purchase rate
    :math:`r/\\alpha` and the share of customers who buy less often than it, the mean
    drop-out probability :math:`a/(a+b)`, and the repeat purchases a new customer is
    expected to make in their first ``horizon`` (``expected_purchases``). The figure
    draws the two distributions (:func:`customering_utils.plots.purchase_rate_distribution`
    and :func:`customering_utils.plots.dropout_distribution`), now in blue and at the
    start in grey. Returns an ``ipywidgets.VBox``: show it by making it the last line of a
    cell.

    Parameters
    ----------
    model : BetaGeo
        A fitted model, or one built with ``BetaGeo.from_params``: the sliders start at its
        parameters, and its ``time_unit_`` is the unit of the rates.
    horizon : float, default 52.0
        The length of a new customer's first period in the readout, in the model's unit
        of time (52 weeks by default), more than 0.

    Returns
    -------
    ipywidgets.VBox
        The four sliders (``r``, ``alpha``, ``a``, ``b``), the readout (rates per unit of
        time, probabilities, counts of purchases) and the figure, in that order in
        ``children``.

    Examples
    --------
    >>> from customering_utils import clv
    >>> explorer = bgnbd_parameter_explorer(clv.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426))
    >>> [child.description for child in explorer.children[:4]]
    ['r', 'alpha', 'a', 'b']
    >>> "mean purchase rate <b>0.055</b> a week" in explorer.children[4].value
    True
    >>> explorer.children[0].value = 0.5   # what moving the r slider does
    >>> "mean purchase rate <b>0.113</b> a week" in explorer.children[4].value
    True
    """
    import ipywidgets as widgets

    start = _parameters_of(model)
    horizon = float(horizon)
    if not np.isfinite(horizon) or horizon <= 0:
        raise ValueError(f"horizon should be a positive length of time in the model's unit, got {horizon!r}")
    unit = model.time_unit_
    sliders = _parameter_sliders(start)
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="680px"))

    def redraw(change: object = None) -> None:
        now = _nudged({name: slider.value for name, slider in sliders.items()})
        readout.value = _population_readout(now, unit, horizon)
        picture.value = _population_figure(now, start, unit)

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([*sliders.values(), readout, picture])


def p_alive_explorer(model: BetaGeo, T: float = 52.0, *, max_T: float | None = None,
                     max_frequency: int = 20) -> ipywidgets.Widget:
    """A slider for a customer's age T (and BG/NBD's parameters), with the heat map of P(alive) at that age.

    Every cell of the heat map is a history, ``frequency`` repeat purchases with the last
    ``recency`` after the first, of a customer first seen ``T`` ago; its colour is its
    P(alive) (:func:`customering_utils.plots.p_alive_heatmap`). The readout says, for a
    customer with 1, 3 and 10 repeat purchases, how long a silence (time since the last
    purchase) takes their P(alive) below 0.5: solving
    :math:`\\frac{a}{b+x-1}\\left(\\frac{\\alpha+T}{\\alpha+t_x}\\right)^{r+x} = 1` for
    :math:`T - t_x`. The parameter sliders start at ``model``'s. Returns an
    ``ipywidgets.VBox``: show it by making it the last line of a cell.

    Parameters
    ----------
    model : BetaGeo
        A fitted model, or one built with ``BetaGeo.from_params``; its ``time_unit_`` is
        the unit of ``T``.
    T : float, default 52.0
        The age to start at, in the model's unit of time (52 weeks by default).
    max_T : float, optional
        The top of the age slider; by default a round number at least twice ``T``.
    max_frequency : int, default 20
        The most repeat purchases the heat map draws.

    Returns
    -------
    ipywidgets.VBox
        The age slider, the four parameter sliders (``r``, ``alpha``, ``a``, ``b``), the
        readout (silences in the model's unit of time) and the heat map, in that order in
        ``children``.

    Examples
    --------
    >>> from customering_utils import clv
    >>> explorer = p_alive_explorer(clv.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426), T=38)
    >>> age, readout = explorer.children[0], explorer.children[5]
    >>> "with 3 repeat purchases, after <b>17.5 weeks</b>" in readout.value
    True
    >>> age.value = 76   # what moving the age slider does
    >>> "with 3 repeat purchases, after <b>33.1 weeks</b>" in readout.value
    True
    """
    import ipywidgets as widgets

    start = _parameters_of(model)
    T = float(T)
    if not np.isfinite(T) or T <= 0:
        raise ValueError(f"T should be a positive age in the model's unit of time, got {T!r}")
    max_T = float(nice_ceiling(2 * T)) if max_T is None else float(max_T)
    if not max_T >= T:
        raise ValueError(f"max_T should be at least T ({T:g}), got {max_T!r}")
    if isinstance(max_frequency, bool) or int(max_frequency) != max_frequency or max_frequency < 1:
        raise ValueError(f"max_frequency should be a whole number of at least 1, got {max_frequency!r}")
    unit = model.time_unit_
    age = widgets.FloatSlider(value=T, min=1.0, max=max_T, step=1.0, description=f"age T ({periods.unit_name(unit)})",
                              readout_format=".0f", style={"description_width": "110px"},
                              layout=widgets.Layout(width="480px"))
    sliders = _parameter_sliders(start)
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="680px"))

    def redraw(change: object = None) -> None:
        now = _nudged({name: slider.value for name, slider in sliders.items()})
        readout.value = _silence_readout(now, age.value, unit)
        picture.value = _heatmap_figure(BetaGeo.from_params(**now, time_unit=unit), age.value, int(max_frequency))

    for control in (age, *sliders.values()):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([age, *sliders.values(), readout, picture])


def silence_to_half(params: dict[str, float], frequency: int, T: float) -> float:
    r"""How long a silence takes a customer's P(alive) below 0.5, in BG/NBD.

    A customer first seen ``T`` ago with ``frequency`` repeat purchases (x), the last at
    :math:`t_x`, has P(alive) below 0.5 exactly when the odds of having left,
    :math:`\frac{a}{b+x-1}\left(\frac{\alpha+T}{\alpha+t_x}\right)^{r+x}`, pass 1: when
    the silence :math:`T - t_x` passes

    .. math:: s^* = (\alpha + T)\left(1 - \left(\frac{a}{b+x-1}\right)^{1/(r+x)}\right).

    Parameters
    ----------
    params : dict
        ``r``, ``alpha``, ``a`` and ``b``, as in a model's ``params_``.
    frequency : int
        Repeat purchases, at least 1 (with none, P(alive) is 1 in BG/NBD).
    T : float
        The customer's age, in the unit of ``alpha``, more than 0.

    Returns
    -------
    float
        The silence :math:`s^*`: 0 if P(alive) is below 0.5 even right after a purchase,
        and ``inf`` if it stays above 0.5 for every silence up to ``T``.

    Examples
    --------
    With the CDNOW parameters, a customer first seen 38 weeks ago with 2 repeat purchases
    drops below 0.5 after about 20.3 weeks of silence, a last purchase in week 17.7:

    >>> round(silence_to_half({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}, 2, 38), 1)
    20.3
    """
    r, alpha, a, b = (float(params[name]) for name in ("r", "alpha", "a", "b"))
    if isinstance(frequency, bool) or int(frequency) != frequency or frequency < 1:
        raise ValueError(f"frequency should be a whole number of repeat purchases, at least 1, got {frequency!r}")
    if not np.isfinite(T) or T <= 0:
        raise ValueError(f"T should be a positive age, got {T!r}")
    x = int(frequency)
    silence = (alpha + T) * (1 - (a / (b + x - 1)) ** (1 / (r + x)))
    if silence <= 0:
        return 0.0
    return float(silence) if silence <= T else float("inf")


def _parameters_of(model: BetaGeo) -> dict[str, float]:
    """The model's four parameters, or a TypeError that says what was expected."""
    params = getattr(model, "params_", None)
    if not isinstance(params, dict) or set(params) != {"r", "alpha", "a", "b"} or not hasattr(model, "time_unit_"):
        raise TypeError("model should be a fitted clv.BetaGeo (or one made with BetaGeo.from_params), "
                        f"with params_ r, alpha, a, b; got {type(model).__name__}")
    return dict(params)


def _parameter_sliders(start: dict[str, float]) -> dict[str, ipywidgets.FloatSlider]:
    """One slider per parameter, from near 0 to a round number at least three times its start."""
    import ipywidgets as widgets

    sliders = {}
    for name, value in start.items():
        top = float(nice_ceiling(3 * value))
        sliders[name] = widgets.FloatSlider(
            value=value, min=top / 200, max=top, step=top / 200, description=name, readout_format=".3f",
            style={"description_width": "110px"}, layout=widgets.Layout(width="480px"))
    return sliders


def _nudged(params: dict[str, float]) -> dict[str, float]:
    """The parameters, with a moved a hair off 1: BG/NBD's expectations have no value at a = 1 exactly."""
    return {**params, "a": 1 + 1e-9} if params["a"] == 1 else params


def _population_readout(params: dict[str, float], unit: str, horizon: float) -> str:
    """The means of the purchase rates and drop-out, the share below the mean rate, and E[X(horizon)], as HTML."""
    from scipy import stats

    r, alpha, a, b = (params[name] for name in ("r", "alpha", "a", "b"))
    one, many = periods.unit_name(unit)[:-1], periods.unit_name(unit)
    below = stats.gamma(r, scale=1 / alpha).cdf(r / alpha)
    new = float(BetaGeo.from_params(**params, time_unit=unit).expected_purchases(horizon))
    return (f"While alive: mean purchase rate <b>{r / alpha:.3f}</b> a {one}, one purchase every "
            f"{alpha / r:.1f} {many}; <b>{below:.1%}</b> of customers buy less often than that.<br>"
            f"After each repeat purchase: mean drop-out probability <b>{a / (a + b):.3f}</b>.<br>"
            f"A new customer is expected to make <b>{new:.2f}</b> repeat purchases in their first "
            f"{horizon:g} {many}.")


def _population_figure(params: dict[str, float], start: dict[str, float], unit: str) -> bytes:
    """PNG bytes of the purchase rates (left) and drop-out probabilities (right): now in blue, at the start in grey."""
    from matplotlib.figure import Figure
    from scipy import stats

    upper = max(stats.gamma(p["r"], scale=1 / p["alpha"]).ppf(0.99) for p in (params, start))
    figure = Figure(figsize=(8.4, 3.4), dpi=100, layout="constrained")
    left, right = figure.subplots(1, 2)
    purchase_rate_distribution(params["r"], params["alpha"], ax=left, time_unit=unit, label="now", upper=upper)
    purchase_rate_distribution(start["r"], start["alpha"], ax=left, time_unit=unit, label="start",
                               color=PALETTE["grey"], fill=False, upper=upper)
    dropout_distribution(params["a"], params["b"], ax=right, label="now")
    dropout_distribution(start["a"], start["b"], ax=right, label="start", color=PALETTE["grey"], fill=False)
    return png(figure)


def _silence_readout(params: dict[str, float], T: float, unit: str) -> str:
    """For 1, 3 and 10 repeat purchases, the silence that takes P(alive) below 0.5 at age T, as HTML."""
    many = periods.unit_name(unit)
    parts = []
    for x in READOUT_FREQUENCIES:
        silence = silence_to_half(params, x, T)
        purchases = f"with {x} repeat purchase{'s' if x != 1 else ''}"
        if silence == 0:
            parts.append(f"{purchases}, <b>at once</b> (below 0.5 even right after a purchase)")
        elif np.isinf(silence):
            parts.append(f"{purchases}, <b>never</b> within {T:g} {many}")
        else:
            parts.append(f"{purchases}, after <b>{silence:.1f} {many}</b>")
    return (f"A customer first seen {T:g} {many} ago falls below P(alive) 0.5 after a silence: "
            + "; ".join(parts) + ".")


def _heatmap_figure(model: BetaGeo, T: float, max_frequency: int) -> bytes:
    """PNG bytes of the heat map of P(alive) at age T."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.2, 3.8), dpi=100, layout="constrained")
    p_alive_heatmap(model, T, ax=figure.subplots(), max_frequency=max_frequency)
    return png(figure)

"""Figures of what a purchase model says: about one customer, and about the whole base.

- :func:`purchase_timeline` and :func:`p_alive_path`: one customer's purchases, and how
  their P(alive) moved;
- :func:`purchase_rate_distribution` and :func:`dropout_distribution`: how BG/NBD's
  purchase rates and drop-out probabilities spread across customers;
- :func:`p_alive_heatmap`: P(alive) for every history of frequency and recency at one age.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import periods
from .style import PALETTE, add_grid, concise_dates, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["purchase_timeline", "p_alive_path", "purchase_rate_distribution", "dropout_distribution", "p_alive_heatmap"]


def purchase_timeline(purchases: pd.Series, ax: Axes | None = None, end: str | pd.Timestamp | None = None) -> Axes:
    """Draw one customer's purchases as stems: one per purchase day, as tall as what they spent that day.

    ``purchases`` holds amounts in US dollars, indexed by date (a ``DatetimeIndex``),
    such as ``transactions.set_index("date")["amount"]`` for one customer. Purchases on
    the same day are drawn as one stem with their amounts added, as the BG/NBD model
    counts them. ``end``, if given, is the last day observed: the horizontal axis runs
    to it and a dashed line marks it.

    Parameters
    ----------
    purchases : Series
        One customer's purchase amounts, US dollars (each at least 0), indexed by date
        (a ``DatetimeIndex``).
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    end : str or Timestamp, optional
        The last day observed, such as ``"2025-06-30"``; ``None`` (the default) draws no
        line and lets the axis fit the purchases.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: dates across, US dollars spent each purchase day up.

    Examples
    --------
    Two purchases on 1 January (drawn as one stem of $25) and one on 1 March:

    >>> import pandas as pd
    >>> bought = pd.Series([20.0, 5.0, 30.0], index=pd.to_datetime(["2025-01-01", "2025-01-01", "2025-03-01"]))
    >>> ax = purchase_timeline(bought, end="2025-06-30")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('date', 'spent that day (US$)')
    >>> [float(y) for y in ax.get_lines()[0].get_ydata()]   # the two purchase days, same-day amounts added
    [25.0, 30.0]
    """
    days = _purchase_days(purchases)
    ax = new_axes(ax, figsize=(8, 2.8))
    ax.vlines(days.index, 0, days.to_numpy(), color=PALETTE["blue"], linewidth=1.5)
    ax.plot(days.index, days.to_numpy(), "o", color=PALETTE["blue"], markersize=4,
            label=f"{len(days):,} purchase day{'s' if len(days) != 1 else ''}")
    if end is not None:
        end = pd.Timestamp(end)
        ax.axvline(end, color=PALETTE["grey"], linestyle="--", linewidth=1, label=f"today, {end:%Y-%m-%d}")
        ax.set_xlim(days.index.min() - pd.Timedelta(days=7), end + pd.Timedelta(days=7))
    ax.set_ylim(0, max(float(days.max()) * 1.15, 1.0))
    concise_dates(ax)
    ax.set_xlabel("date")
    ax.set_ylabel("spent that day (US$)")
    ax.set_title("Purchases")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    add_grid(ax, axis="y")
    return ax


def p_alive_path(p_alive: pd.Series, ax: Axes | None = None) -> Axes:
    """Draw how a customer's P(alive) moved over time: the model's answer at each date, from what was known then.

    ``p_alive`` holds probabilities from 0 to 1 indexed by date, for example
    ``model.p_alive(history)`` for a ``history`` from
    :func:`customering_utils.widgets.history_by_week`. The line falls while the
    customer is silent and jumps back up when they buy.

    Parameters
    ----------
    p_alive : Series
        Probabilities that the customer is alive, each from 0 to 1, indexed by date (a
        ``DatetimeIndex``), with no missing values.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: dates across, P(alive) (a probability from 0 to 1) up.

    Examples
    --------
    Three weeks without a purchase:

    >>> import pandas as pd
    >>> path = pd.Series([1.0, 0.8, 0.5], index=pd.date_range("2025-01-01", periods=3, freq="7D"))
    >>> ax = p_alive_path(path)
    >>> ax.get_ylabel(), [float(y) for y in ax.get_ylim()]
    ('P(alive) (probability)', [0.0, 1.05])
    """
    if not isinstance(p_alive, pd.Series) or not isinstance(p_alive.index, pd.DatetimeIndex):
        raise TypeError("p_alive should be a pandas Series of probabilities indexed by date (a DatetimeIndex)")
    values = p_alive.to_numpy(dtype=float)
    if len(values) == 0 or np.isnan(values).any() or (values < 0).any() or (values > 1).any():
        raise ValueError("p_alive should hold at least one probability, each from 0 to 1, with no missing values")
    ax = new_axes(ax, figsize=(8, 2.8))
    ax.plot(p_alive.index, values, color=PALETTE["vermillion"], linewidth=2,
            label=f"P(alive) on the last day: {values[-1]:.2f}")
    ax.set_ylim(0.0, 1.05)
    concise_dates(ax)
    ax.set_xlabel("date")
    ax.set_ylabel("P(alive) (probability)")
    ax.set_title("P(alive), as the model would have said on each day")
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    add_grid(ax)
    return ax


def _purchase_days(purchases: pd.Series) -> pd.Series:
    """``purchases`` (amounts by date) checked, with same-day amounts added: one row per purchase day."""
    if not isinstance(purchases, pd.Series) or not isinstance(purchases.index, pd.DatetimeIndex):
        raise TypeError("purchases should be a pandas Series of amounts (US dollars) indexed by date (a DatetimeIndex)")
    amounts = purchases.to_numpy(dtype=float)
    if len(amounts) == 0 or np.isnan(amounts).any() or (amounts < 0).any():
        raise ValueError("purchases should hold at least one amount, each at least 0 US dollars, with no missing values")
    return purchases.groupby(purchases.index.normalize()).sum().sort_index()


def purchase_rate_distribution(
    r: float, alpha: float, ax: Axes | None = None, *, time_unit: str = "W", label: str = "customers",
    color: str | None = None, fill: bool = True, upper: float | None = None, bands: int = 40,
) -> Axes:
    r"""Draw how purchase rates spread across customers in BG/NBD: the Gamma(r, alpha) distribution.

    The rates from 0 to ``upper`` are cut into ``bands`` bands of equal width, and each
    band is drawn as tall as the share of customers whose rate falls in it (from the
    Gamma distribution's cumulative probabilities, ``scipy.stats.gamma``). A dashed line
    marks the mean rate, :math:`r/\alpha`. Draw twice on the same axes, say fitted and
    true parameters, with ``fill=False`` for the second.

    Parameters
    ----------
    r, alpha : float
        The Gamma shape and rate (``alpha`` in ``time_unit``), both positive.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    time_unit : str, default "W"
        The unit the rates are per: ``"W"`` (purchases a week) or ``"D"`` (a day).
    label : str, default "customers"
        The legend's name for these bands; the mean's line is labelled with its value.
    color : str, optional
        A colour of :data:`PALETTE`; blue by default.
    fill : bool, default True
        Fill the bands (True) or draw their outline only (False).
    upper : float, optional
        The highest rate drawn; by default the rate 99% of customers stay below.
    bands : int, default 40
        How many bands of equal width.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: purchase rate across, share of customers (%) in each band up.

    Examples
    --------
    The CDNOW parameters of Fader, Hardie and Lee (2005): most customers buy far less
    often than the mean of 0.055 purchases a week.

    >>> ax = purchase_rate_distribution(0.243, 4.414)
    >>> ax.get_xlabel()
    'purchase rate while alive (purchases a week)'
    >>> bands = ax.patches[0].get_data()[0]
    >>> round(float(bands.sum()), 1), round(float(bands[0]), 1)   # % of customers drawn; in the first band
    (99.0, 55.0)
    >>> [round(float(x), 3) for x in ax.get_lines()[0].get_xdata()]   # the mean, r / alpha
    [0.055, 0.055]
    """
    from scipy import stats

    _check_positive(r=r, alpha=alpha)
    unit = periods.unit_name(time_unit)[:-1]
    rates = stats.gamma(r, scale=1 / alpha)
    upper = float(rates.ppf(0.99)) if upper is None else float(upper)
    if not upper > 0 or int(bands) < 1:
        raise ValueError(f"upper should be a positive rate and bands at least 1; got upper={upper!r}, bands={bands!r}")
    edges = np.linspace(0, upper, int(bands) + 1)
    ax = _distribution(ax, edges, 100 * np.diff(rates.cdf(edges)), r / alpha, label, color, fill,
                       mean_label=f"{label}: mean {r / alpha:.3f} a {unit}")
    ax.set_xlabel(f"purchase rate while alive (purchases a {unit})")
    ax.set_ylabel("customers (% in each band)")
    ax.set_title("Purchase rates across customers")
    return ax


def dropout_distribution(
    a: float, b: float, ax: Axes | None = None, *, label: str = "customers", color: str | None = None,
    fill: bool = True, bands: int = 20,
) -> Axes:
    """Draw how drop-out probabilities spread across customers in BG/NBD: the Beta(a, b) distribution.

    The probabilities from 0 to 1 are cut into ``bands`` bands of equal width, each drawn
    as tall as the share of customers whose drop-out probability falls in it
    (``scipy.stats.beta``). A dashed line marks the mean, a / (a + b).

    Parameters
    ----------
    a, b : float
        The Beta parameters, both positive.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    label : str, default "customers"
        The legend's name for these bands; the mean's line is labelled with its value.
    color : str, optional
        A colour of :data:`PALETTE`; blue by default.
    fill : bool, default True
        Fill the bands (True) or draw their outline only (False).
    bands : int, default 20
        How many bands of equal width.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: drop-out probability across, share of customers (%) in each band up.

    Examples
    --------
    >>> ax = dropout_distribution(0.793, 2.426)
    >>> bands = ax.patches[0].get_data()[0]
    >>> round(float(bands.sum()), 1), round(float(bands[0]), 1)   # all customers; % in the first band, 0 to 0.05
    (100.0, 18.9)
    >>> [round(float(x), 3) for x in ax.get_lines()[0].get_xdata()]   # the mean, a / (a + b)
    [0.246, 0.246]
    """
    from scipy import stats

    _check_positive(a=a, b=b)
    if int(bands) < 1:
        raise ValueError(f"bands should be at least 1, got {bands!r}")
    edges = np.linspace(0, 1, int(bands) + 1)
    mean = a / (a + b)
    ax = _distribution(ax, edges, 100 * np.diff(stats.beta(a, b).cdf(edges)), mean, label, color, fill,
                       mean_label=f"{label}: mean {mean:.3f}")
    ax.set_xlabel("drop-out after a repeat purchase (probability)")
    ax.set_ylabel("customers (% in each band)")
    ax.set_title("Drop-out probabilities across customers")
    return ax


def p_alive_heatmap(model: object, T: float, ax: Axes | None = None, *, max_frequency: int = 20) -> Axes:
    """Draw P(alive) for every history of a customer first seen ``T`` ago: frequency up, recency across.

    Each cell is a history: ``frequency`` repeat purchases (1 to ``max_frequency``), the
    last of them ``recency`` after the first (0 to ``T``, in steps of one unit of the
    model's time, or of a half, a third... when ``T`` is under 50 units); its colour is the model's P(alive) for
    it (``model.p_alive``), from dark (0) to light (1) on the colour-blind-safe
    ``cividis`` scale. A black line follows P(alive) = 0.5. The right-hand edge is a
    customer who has just bought; moving left, their silence grows. A customer with no
    repeat purchase has P(alive) 1 in BG/NBD and is not drawn.

    Parameters
    ----------
    model : BetaGeo
        A fitted (or :meth:`~customering_utils.clv.BetaGeo.from_params`) BG/NBD model.
    T : float
        The customers' age: time from their first purchase to today, in the model's unit.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    max_frequency : int, default 20
        The most repeat purchases drawn.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: recency across (in the model's unit of time), repeat
        purchases up, with a colour bar of P(alive) (a probability from 0 to 1).

    Examples
    --------
    >>> from customering_utils import clv
    >>> model = clv.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> ax = p_alive_heatmap(model, T=38, max_frequency=10)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('recency: weeks from the first purchase to the last', 'frequency: repeat purchases (count)')
    >>> grid = ax.collections[0].get_array().reshape(10, -1)   # rows: 1 to 10 repeat purchases
    >>> grid.shape   # recency 0 to 38 weeks in half weeks
    (10, 77)
    >>> round(float(grid[1, 60]), 3), round(float(grid[1, 10]), 3)   # 2 repeats, the last at week 30; at week 5
    (0.73, 0.129)
    """
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    T = float(T)
    if not np.isfinite(T) or T <= 0:
        raise ValueError(f"T should be a positive age in the model's unit of time, got {T!r}")
    if isinstance(max_frequency, bool) or int(max_frequency) != max_frequency or max_frequency < 1:
        raise ValueError(f"max_frequency should be a whole number of at least 1, got {max_frequency!r}")
    if not hasattr(model, "params_") or not hasattr(model, "time_unit_"):
        raise TypeError("model should be a fitted clv.BetaGeo (or one made with BetaGeo.from_params), "
                        f"got {type(model).__name__}")
    unit = periods.unit_name(model.time_unit_)
    steps = int(np.ceil(T)) * int(np.ceil(50 / T))  # whole units of time, at least 50 steps
    recency = np.linspace(0, T, steps + 1)
    frequency = np.arange(1, int(max_frequency) + 1)
    histories = pd.DataFrame({"frequency": np.repeat(frequency, len(recency)),
                              "recency": np.tile(recency, len(frequency)), "T": T})
    alive = model.p_alive(histories).to_numpy().reshape(len(frequency), len(recency))
    ax = new_axes(ax, figsize=(8, 4.2))
    mesh = ax.pcolormesh(recency, frequency, alive, cmap="cividis", vmin=0, vmax=1, shading="nearest")
    if alive.min() < 0.5 < alive.max():
        ax.contour(recency, frequency, alive, levels=[0.5], colors=PALETTE["black"], linewidths=1.5)
    ax.figure.colorbar(mesh, ax=ax, label="P(alive) (probability)")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"recency: {unit} from the first purchase to the last")
    ax.set_ylabel("frequency: repeat purchases (count)")
    ax.set_title(f"P(alive) of a customer first seen {T:g} {unit} ago")
    ax.legend(handles=[Line2D([], [], color=PALETTE["black"], linewidth=1.5, label="P(alive) = 0.5")],
              loc="lower left", fontsize=8)
    return ax


def _check_positive(**params: float) -> None:
    for name, value in params.items():
        if isinstance(value, bool) or not np.isfinite(value) or value <= 0:
            raise ValueError(f"{name} should be a positive number, got {value!r}")


def _distribution(ax: Axes | None, edges: np.ndarray, percent: np.ndarray, mean: float, label: str,
                  color: str | None, fill: bool, mean_label: str) -> Axes:
    """Bands of ``percent`` of customers between ``edges``, with a dashed line at ``mean``."""
    color = PALETTE["blue"] if color is None else color
    ax = new_axes(ax, figsize=(6, 3.6))
    if fill:
        ax.stairs(percent, edges, fill=True, color=color, alpha=0.55, label=label)
    else:
        ax.stairs(percent, edges, color=color, linewidth=2, label=label)
    ax.axvline(mean, color=color, linestyle="--", linewidth=1.5, label=mean_label)
    ax.set_xlim(edges[0], edges[-1])
    ax.legend(loc="upper right", frameon=False, fontsize=8)
    add_grid(ax, axis="y")
    return ax

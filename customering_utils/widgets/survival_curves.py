"""An explorer of survival after a ticket: pick two groups and a band of customers, read the gap at a time.

:func:`survival_gap` puts an interval on the gap between two Kaplan-Meier curves at one
time, from Greenwood's variance; :func:`survival_explorer` draws the two curves and reads
the gap out, for all customers or within one band (such as customers who bought about as
often before their ticket).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..intervals import Interval
from ..plots.style import png
from ..plots.survival_curves import _check_tables, kaplan_meier_curves
from ..survival import kaplan_meier

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["survival_gap", "survival_explorer"]

#: The choice of the band drop-down that keeps every customer.
ALL = "all customers"


def survival_gap(first: pd.DataFrame, second: pd.DataFrame, at: float, confidence: float = 0.95) -> Interval:
    r"""The gap between two Kaplan-Meier curves at time ``at``, first minus second, with its interval.

    Each curve's value at ``at`` is :math:`\hat S(t)` of its last time at or before
    ``at`` (a Kaplan-Meier curve is flat between times). Greenwood's formula gives its
    variance,

    .. math:: \widehat{\mathrm{Var}}\,\hat S(t) = \hat S(t)^2 \sum_{t_i \le t} \frac{d_i}{n_i (n_i - d_i)},

    with :math:`n_i` at risk and :math:`d_i` leaving at each time :math:`t_i` (a time
    where everyone at risk left adds nothing, as in
    :func:`customering_utils.survival.kaplan_meier`). The two groups are different
    customers, so the variance of the gap is the sum of the two, and the interval is the
    gap plus or minus :math:`z` standard errors (1.96 for 95%).

    Parameters
    ----------
    first, second : DataFrame
        Tables from :func:`customering_utils.survival.kaplan_meier` for two separate
        groups of customers.
    at : float
        The time at which to compare, at least 0, in the tables' unit.
    confidence : float, default 0.95
        The level of the interval, between 0 and 1.

    Returns
    -------
    Interval
        The gap :math:`\hat S_1(t) - \hat S_2(t)` (a difference of shares, from -1 to 1)
        and its interval.

    Examples
    --------
    Ten customers in each group, watched for 1 to 10 weeks; in the first group those
    watched 1, 2 and 3 weeks left (S = 0.7 from week 3), in the second those watched 1
    to 6 (S = 0.4 from week 6); the others were still there:

    >>> from customering_utils import survival
    >>> weeks = list(range(1, 11))
    >>> one = survival.kaplan_meier(weeks, [1, 1, 1] + [0] * 7)
    >>> two = survival.kaplan_meier(weeks, [1] * 6 + [0] * 4)
    >>> print(survival_gap(one, two, at=8))
    0.300 (95% interval -0.116 to 0.716)
    """
    from scipy import stats

    tables = _check_tables({"first": first, "second": second})
    at = float(at)
    if not np.isfinite(at) or at < 0:
        raise ValueError(f"at should be a time of at least 0, in the tables' unit, got {at!r}")
    if not 0 < confidence < 1 or isinstance(confidence, bool):
        raise ValueError(f"confidence should be a share between 0 and 1 (for example 0.95), got {confidence!r}")
    values, variances = [], []
    for name, table in tables.items():
        if "events" not in table.columns:
            raise ValueError(f"tables['{name}'] lacks the columns ['events']; pass the table survival.kaplan_meier returns")
        upto = table[table.index.to_numpy(dtype=float) <= at]
        if upto.empty:
            raise ValueError(f"at ({at:g}) is before the first time of {name}; pick a time of at least "
                             f"{float(table.index[0]):g}")
        n, d = upto["at_risk"].to_numpy(dtype=float), upto["events"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(n > d, d / (n * (n - d)), 0.0)
        value = float(upto["survival"].iloc[-1])
        values.append(value)
        variances.append(value**2 * float(terms.sum()))
    gap = values[0] - values[1]
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    half = z * float(np.sqrt(sum(variances)))
    return Interval(gap, gap - half, gap + half, float(confidence))


def survival_explorer(
    durations: pd.Series,
    observed: pd.Series,
    groups: pd.Series,
    *,
    bands: pd.Series | None = None,
    at: float = 52.0,
    first: str | None = None,
    second: str | None = None,
    confidence: float = 0.95,
    time_label: str = "weeks",
) -> ipywidgets.Widget:
    """Pick two groups of customers, a band and a time; see their Kaplan-Meier curves and the gap at that time.

    One row per customer in the three Series (the same index): how long each was watched
    (``durations``), whether they were seen to leave (``observed``; the others are
    censored), and their group (``groups``, such as ``"resolved"`` and ``"unresolved"``).
    ``bands`` optionally sorts the customers into bands (such as purchases before the
    ticket); a drop-down then keeps all customers or one band. Two drop-downs pick the
    groups (``first`` and ``second``, by default the first two in order), a slider the
    time ``at``. The readout gives each group's customers and share still there at that
    time with its band, then the gap (first minus second) with its interval
    (:func:`survival_gap`), and says when the interval holds 0. The figure draws the two
    curves (:func:`customering_utils.plots.kaplan_meier_curves`) with the time marked.
    Returns an ``ipywidgets.VBox``: show it by making it the last line of a cell.

    Parameters
    ----------
    durations : Series
        Time each customer was watched, at least 0, in the unit of ``time_label``.
    observed : Series
        True where the customer was seen to leave at their duration, False if censored.
    groups : Series
        Each customer's group (at least two groups); the same index as ``durations``.
    bands : Series, optional
        Each customer's band (no missing values), the same index; the drop-down lists the
        bands in their sorted (or categorical) order after "all customers".
    at : float, default 52.0
        The time to read at first, at least 0.
    first, second : str, optional
        The groups to compare first, two different values of ``groups``; by default the
        first two in sorted (or categorical) order.
    confidence : float, default 0.95
        The level of the bands and of the gap's interval, between 0 and 1.
    time_label : str, default "weeks"
        The unit of time, plural, for the slider, the readout and the figure's axis.

    Returns
    -------
    ipywidgets.VBox
        The two group drop-downs, the band drop-down, the time slider, the readout
        (counts of customers, shares from 0 to 1 and their gap) and the figure, in that
        order in ``children``.

    Examples
    --------
    >>> import pandas as pd
    >>> weeks = pd.Series(list(range(1, 11)) * 2)
    >>> left = pd.Series([1, 1, 1] + [0] * 7 + [1] * 6 + [0] * 4, dtype=bool)
    >>> group = pd.Series(["fixed"] * 10 + ["not fixed"] * 10)
    >>> explorer = survival_explorer(weeks, left, group, at=8)
    >>> "fixed minus not fixed: <b>+0.300</b>" in explorer.children[4].value
    True
    >>> explorer.children[3].value = 2   # what moving the time slider does
    >>> "fixed minus not fixed: <b>+0.000</b>" in explorer.children[4].value
    True
    """
    import ipywidgets as widgets

    data = _checked_data(durations, observed, groups, bands)
    names = _ordered(data["group"])
    if len(names) < 2:
        raise ValueError(f"groups should hold at least two groups to compare, got {names}")
    first = names[0] if first is None else first
    second = names[1] if second is None else second
    for which, name in (("first", first), ("second", second)):
        if name not in names:
            raise ValueError(f"{which} should be one of the groups {names}, got {name!r}")
    if first == second:
        raise ValueError(f"first and second should be two different groups, got {first!r} twice")
    if not 0 < confidence < 1 or isinstance(confidence, bool):
        raise ValueError(f"confidence should be a share between 0 and 1 (for example 0.95), got {confidence!r}")
    longest = float(data["duration"].max())
    if not np.isfinite(float(at)) or not 0 <= float(at) <= max(longest, 1.0):
        raise ValueError(f"at should be a time from 0 to the longest duration ({longest:g}), got {at!r}")
    band_names = [ALL] + (_ordered(data["band"]) if "band" in data else [])
    style = {"description_width": "110px"}
    choose = widgets.Dropdown(options=names, value=first, description="group", style=style,
                              layout=widgets.Layout(width="380px"))
    against = widgets.Dropdown(options=names, value=second, description="against", style=style,
                               layout=widgets.Layout(width="380px"))
    band = widgets.Dropdown(options=band_names, value=ALL, description="customers", style=style,
                            disabled=len(band_names) == 1, layout=widgets.Layout(width="380px"))
    slider = widgets.FloatSlider(value=float(at), min=0.0, max=max(longest, 1.0), step=1.0,
                                 description=f"at ({time_label})", readout_format=".0f", style=style,
                                 layout=widgets.Layout(width="520px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="700px"))
    cache: dict[tuple[str, str], pd.DataFrame | None] = {}

    def table(group: str, which: str) -> pd.DataFrame | None:
        if (group, which) not in cache:
            rows = data[(data["group"] == group) & ((data["band"] == which) if which != ALL else True)]
            cache[(group, which)] = (kaplan_meier(rows["duration"], rows["left"], confidence=confidence)
                                     if len(rows) else None)
        return cache[(group, which)]

    def redraw(change: object = None) -> None:
        a, b, which, t = choose.value, against.value, band.value, float(slider.value)
        if a == b:
            readout.value = "Pick two different groups to compare."
            return
        pair = {a: table(a, which), b: table(b, which)}
        empty = [name for name, found in pair.items() if found is None]
        if empty:
            readout.value = f"No customers of {' or '.join(empty)} in {which}: pick another band."
            return
        readout.value = _readout(pair, which, t, time_label, confidence)
        picture.value = _figure(pair, which, t, time_label)

    for control in (choose, against, band, slider):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([choose, against, band, slider, readout, picture])


def _checked_data(durations: ArrayLike, observed: ArrayLike, groups: ArrayLike, bands: ArrayLike | None) -> pd.DataFrame:
    """The customers' durations, departures, groups (and bands) in one table, or a clear error."""
    columns = {"durations": durations, "observed": observed, "groups": groups}
    if bands is not None:
        columns["bands"] = bands
    for name, value in columns.items():
        if not isinstance(value, pd.Series):
            raise TypeError(f"{name} should be a pandas Series with one value per customer, got {type(value).__name__}")
    index = durations.index
    for name, value in columns.items():
        if len(value) != len(index) or not value.index.equals(index):
            raise ValueError(f"{name} should have the same index as durations: one value per customer")
    if len(index) == 0:
        raise ValueError("durations is empty; expected one value per customer")
    times = pd.to_numeric(durations, errors="coerce").astype(float)
    if times.isna().any() or np.isinf(times).any() or (times < 0).any():
        raise ValueError("durations should be finite times of at least 0")
    if observed.isna().any() or not observed.isin([True, False, 0, 1]).all():
        raise ValueError("observed should hold True/False (or 1/0): whether each customer was seen to leave")
    if groups.isna().any() or (bands is not None and bands.isna().any()):
        raise ValueError("groups and bands should have no missing values")
    data = pd.DataFrame({"duration": times.to_numpy(), "left": observed.astype(bool).to_numpy(),
                         "group": groups.to_numpy()}, index=index)
    if bands is not None:
        data["band"] = bands.to_numpy()
        data["band"] = data["band"].astype(bands.dtype) if isinstance(bands.dtype, pd.CategoricalDtype) else data["band"]
    data["group"] = data["group"].astype(groups.dtype) if isinstance(groups.dtype, pd.CategoricalDtype) else data["group"]
    return data


def _ordered(values: pd.Series) -> list:
    """The distinct values, in categorical order (those present) or sorted."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = set(values)
        return [value for value in values.cat.categories if value in present]
    return sorted(set(values), key=str)


def _read(table: pd.DataFrame, t: float) -> tuple[float, float, float]:
    """The survival and its band at time t: the last row at or before t."""
    row = table[table.index.to_numpy(dtype=float) <= t].iloc[-1]
    return float(row["survival"]), float(row["lower"]), float(row["upper"])


def _readout(pair: dict[str, pd.DataFrame], which: str, t: float, unit: str, confidence: float) -> str:
    """Each group's share still there at t with its band, and the gap with its interval, as HTML."""
    level = f"{confidence:.0%}"
    parts = [f"Among {which}, after {t:g} {unit}:"]
    for name, table in pair.items():
        share, low, high = _read(table, t)
        parts.append(f"{name}, {int(table['at_risk'].iloc[0]):,} customers: <b>{share:.3f}</b> still there "
                     f"({level} band {low:.3f} to {high:.3f});")
    (a, first), (b, second) = pair.items()
    gap = survival_gap(first, second, t, confidence)
    parts.append(f"{a} minus {b}: <b>{gap.estimate:+.3f}</b> ({level} interval {gap.lower:+.3f} to {gap.upper:+.3f}).")
    if gap.lower <= 0 <= gap.upper:
        parts.append("The interval holds 0: at this time these customers cannot tell the two groups apart.")
    return " ".join(parts)


def _figure(pair: dict[str, pd.DataFrame], which: str, t: float, unit: str) -> bytes:
    """PNG bytes of the two groups' Kaplan-Meier curves, the time t marked."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.2, 3.8), dpi=100, layout="constrained")
    ax = kaplan_meier_curves(pair, ax=figure.subplots(), at=t, time_label=unit)
    ax.set_title(f"Share still a customer, {which}")
    return png(figure)

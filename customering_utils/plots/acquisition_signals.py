"""What the base tells marketing: which first-purchase signals carry value, and two kinds of valuable customer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["own_and_referral_value", "signal_value"]


def signal_value(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Horizontal bars: how much hold-out accuracy a model loses without each signal, with intervals.

    Parameters
    ----------
    table : DataFrame
        One row per signal (the index: its name), with ``loss`` (the drop in hold-out R²
        when the model is refitted without the signal; R² is a share, 0 to 1) and
        ``lower`` and ``upper`` (its interval).
    ax : matplotlib Axes, optional
        Where to draw; a new figure if None.

    Returns
    -------
    matplotlib Axes
        Bars in blue where the interval lies above 0 (the signal carries value), grey
        otherwise, with the intervals as error bars and a line at 0.

    Examples
    --------
    >>> table = pd.DataFrame({"loss": [0.05, -0.001], "lower": [0.03, -0.004], "upper": [0.07, 0.002]},
    ...                      index=["first order", "age band"])
    >>> ax = signal_value(table)
    >>> [float(bar.get_width()) for bar in ax.patches]
    [0.05, -0.001]
    >>> ax.get_xlabel()
    'hold-out R² lost without the signal (share of variance)'
    """
    missing = {"loss", "lower", "upper"} - set(table.columns)
    if missing:
        raise ValueError(f"table needs the columns loss, lower and upper; missing {sorted(missing)}")
    ax = new_axes(ax, (6.4, 0.6 + 0.55 * len(table)))
    y = np.arange(len(table))
    colours = [PALETTE["blue"] if low > 0 else PALETTE["grey"] for low in table["lower"]]
    errors = np.vstack([table["loss"] - table["lower"], table["upper"] - table["loss"]])
    ax.barh(y, table["loss"], color=colours, xerr=errors, ecolor=PALETTE["black"], capsize=3)
    ax.axvline(0, color=PALETTE["black"], linewidth=0.8)
    ax.set_yticks(y, [str(name) for name in table.index])
    ax.invert_yaxis()
    ax.set_xlabel("hold-out R² lost without the signal (share of variance)")
    ax.set_ylabel("signal")
    ax.set_title("What each first-purchase signal adds to the prediction of value")
    add_grid(ax, "x")
    return ax


def own_and_referral_value(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Scatter of each referrer's own value against their referral value, with the line where they are equal.

    Parameters
    ----------
    table : DataFrame
        One row per customer who referred someone, with ``own_value`` and
        ``referral_value`` (US dollars), as
        :func:`customering_utils.referrals.referral_value` returns them.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if None.

    Returns
    -------
    matplotlib Axes
        Customers worth more through their referrals than themselves in vermillion, the
        others in blue; a dashed line where the two values are equal. Both axes are
        logarithmic (values of $1 and below are drawn at $1).

    Examples
    --------
    >>> table = pd.DataFrame({"own_value": [20.0, 200.0, 50.0], "referral_value": [90.0, 25.0, 50.0]})
    >>> ax = own_and_referral_value(table)
    >>> [len(points.get_offsets()) for points in ax.collections]  # more through referrals; the rest
    [1, 2]
    >>> ax.get_xscale(), ax.get_ylabel()
    ('log', 'referral value (US$, log scale)')
    """
    missing = {"own_value", "referral_value"} - set(table.columns)
    if missing:
        raise ValueError(f"table needs the columns own_value and referral_value; missing {sorted(missing)}")
    ax = new_axes(ax, (6.0, 4.6))
    own = table["own_value"].clip(lower=1.0)
    referral = table["referral_value"].clip(lower=1.0)
    more = table["referral_value"] > table["own_value"]
    ax.scatter(own[more], referral[more], s=14, alpha=0.7, color=PALETTE["vermillion"],
               label=f"worth more through referrals ({more.sum():,})")
    ax.scatter(own[~more], referral[~more], s=14, alpha=0.7, color=PALETTE["blue"],
               label=f"worth more themselves ({(~more).sum():,})")
    low, high = 1.0, float(max(own.max(), referral.max())) * 1.2
    ax.plot([low, high], [low, high], linestyle="--", color=PALETTE["grey"], label="equal values")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("own value: the customer's CLV (US$, log scale)")
    ax.set_ylabel("referral value (US$, log scale)")
    ax.set_title("Two kinds of valuable customer: own value and referral value")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    add_grid(ax)
    return ax

"""The customer base on one page: the balance sheet a chief executive reviews each quarter.

:func:`balance_sheet` draws, from the data world, the figures of
:func:`customering_utils.balance_sheet.quarterly_balance_sheet`: six headline tiles (the
value of the base and its change on the quarter, the equity at risk, the share of value on
the top customers, the customers alive, the service level and the NPS), the distribution
of next year's value with its value at risk marked, and CLV:CAC by acquisition channel
with intervals. It returns a matplotlib ``Figure`` (made without pyplot, so it is shown
only when asked for) and the table of figures it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..balance_sheet import BalanceSheet, quarterly_balance_sheet
from .style import PALETTE, add_grid

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["balance_sheet"]


def balance_sheet(
    world: object,
    as_of: str | pd.Timestamp = "2025-12-31",
    n_draws: int = 200,
    seed: int = 0,
    **settings: float,
) -> tuple[Figure, pd.DataFrame]:
    """Draw the customer base on one page for the quarter that ends on ``as_of``: the figure, and its figures.

    The page has a title with the quarter, then:

    - six tiles, each a headline figure with its value a quarter earlier: the **value of
      the base** (next year's discounted margin of today's customers, US dollars, with its
      change on the quarter), the **equity at risk** (its 95% value at risk), the **share of
      value on the top 20%** of customers, the **customers alive** (expected), the
      **service level** (calls answered within 20 seconds) and the **NPS**;
    - left, the distribution of the base's simulated values over the next year, with its
      mean and its 5th percentile (the gap between them is the value at risk);
    - right, CLV:CAC by acquisition channel (three-year value from acquisition over fully
      loaded CAC, for the customers acquired in the 12 months to ``as_of``) with 95%
      intervals, and the break-even line at 1.

    The numbers come from :func:`customering_utils.balance_sheet.quarterly_balance_sheet`,
    which says how each is computed.

    Parameters
    ----------
    world : World
        The data world (:func:`customering_utils.datasets.load_world`).
    as_of : str or Timestamp, default "2025-12-31"
        The last day of the quarter: the last day of a month.
    n_draws : int, default 200
        Simulated values of the base.
    seed : int, default 0
        Seed of the simulations and bootstraps.
    **settings : float
        Passed on to :func:`~customering_utils.balance_sheet.quarterly_balance_sheet`:
        ``margin``, ``annual_discount_rate``, ``horizon``, ``clv_horizon``, ``top``,
        ``n_resamples``.

    Returns
    -------
    tuple of (matplotlib.figure.Figure, DataFrame)
        The page (a ``Figure`` with eight axes: six tiles, the distribution, CLV:CAC), and
        the table of its figures (:attr:`~customering_utils.balance_sheet.BalanceSheet.table`):
        one row per measure with ``value``, ``lower``, ``upper``, ``previous``, ``change``
        and ``unit``.

    Examples
    --------
    >>> from customering_utils import datasets
    >>> figure, table = balance_sheet(datasets.load_world(), "2025-12-31", n_draws=50)
    >>> type(figure).__name__, len(figure.axes)
    ('Figure', 8)
    >>> figure.get_suptitle()
    'The customer base on one page: the quarter to 31 December 2025'
    >>> table.loc["value of the base", "unit"], int(table.loc["value of the base", "value"])
    ('US$', 195156)
    """
    from matplotlib.figure import Figure

    sheet = quarterly_balance_sheet(world, as_of, n_draws=n_draws, seed=seed, **settings)
    figure = Figure(figsize=(12, 8.5), layout="constrained")
    figure.suptitle(f"The customer base on one page: the quarter to {sheet.as_of:%d %B %Y}", fontsize=15,
                    fontweight="bold")
    grid = figure.add_gridspec(2, 6, height_ratios=[1, 2.6])
    tiles = [figure.add_subplot(grid[0, column]) for column in range(6)]
    for ax, (measure, label, fmt) in zip(tiles, _tile_specs(sheet), strict=True):
        _tile(ax, sheet, measure, label, fmt)
    _value_distribution(figure.add_subplot(grid[1, :3]), sheet)
    _clv_to_cac(figure.add_subplot(grid[1, 3:]), sheet)
    return figure, sheet.table


def _tile_specs(sheet: BalanceSheet) -> list[tuple[str, str, str]]:
    top = sheet.settings["top"]
    return [("value of the base", "value of the base\n(next year, US$)", "money"),
            ("equity at risk (95% VaR)", "equity at risk\n(95% VaR, US$)", "money"),
            (f"share of value on the top {top:.0%}", f"value on the\ntop {top:.0%} of customers", "share"),
            ("customers alive (expected)", "customers alive\n(expected)", "count"),
            ("service level (calls answered within 20 s)", "service level\n(answered in 20 s)", "share"),
            ("NPS", "Net Promoter\nScore", "points")]


def _format(value: float, fmt: str, signed: bool = False) -> str:
    if not np.isfinite(value):
        return "n/a"
    sign = "+" if signed else ""
    if fmt == "money":  # "\\$" is a dollar sign to matplotlib, which reads "$...$" as mathematics
        return f"{'+' if signed and value >= 0 else '-' if value < 0 else ''}\\${abs(value):,.0f}"
    if fmt == "share":
        return f"{100 * value:+.1f} pts" if signed else f"{100 * value:.1f}%"
    return {"count": f"{value:{sign},.0f}", "points": f"{value:{sign}.1f}"}[fmt]


def _tile(ax: Axes, sheet: BalanceSheet, measure: str, label: str, fmt: str) -> None:
    """One headline figure: its label, its value, and its change on the quarter."""
    row = sheet.table.loc[measure]
    ax.set_axis_off()
    ax.add_patch(_rounded_box(ax))
    ax.text(0.5, 0.80, label, ha="center", va="center", fontsize=9.5, color=PALETTE["black"], transform=ax.transAxes)
    value = _format(row["value"], fmt)
    ax.text(0.5, 0.45, value, ha="center", va="center", fontsize=17,
            fontweight="bold", color=PALETTE["blue"], transform=ax.transAxes)
    change = _format(row["change"], fmt, signed=True)
    ax.text(0.5, 0.13, f"{change} on the quarter", ha="center", va="center", fontsize=8.5,
            color=PALETTE["grey"] if not np.isfinite(row["change"]) else PALETTE["black"], transform=ax.transAxes)


def _rounded_box(ax: Axes):
    from matplotlib.colors import to_rgba
    from matplotlib.patches import FancyBboxPatch

    # A faint tint of the palette's sky blue, so the tile's colour still comes from the palette.
    return FancyBboxPatch((0.03, 0.03), 0.94, 0.94, boxstyle="round,pad=0,rounding_size=0.06", transform=ax.transAxes,
                          facecolor=to_rgba(PALETTE["sky_blue"], 0.08), edgecolor=PALETTE["sky_blue"], linewidth=1.0)


def _value_distribution(ax: Axes, sheet: BalanceSheet) -> None:
    """Histogram of the simulated values of the base, with the mean and the 5th percentile marked."""
    from matplotlib.ticker import MaxNLocator

    values = sheet.value_draws["base_value"].to_numpy() / 1000
    mean, low = float(values.mean()), float(np.quantile(values, 0.05))
    ax.hist(values, bins=min(30, max(10, len(values) // 8)), color=PALETTE["sky_blue"], edgecolor="white")
    ax.axvline(mean, color=PALETTE["blue"], linewidth=2, label=f"mean \\${mean:,.1f}k")
    ax.axvline(low, color=PALETTE["vermillion"], linewidth=2, linestyle="--",
               label=f"5th percentile \\${low:,.1f}k: value at risk \\${mean - low:,.1f}k")
    ax.set_xlabel("value of the base over the next year (thousand US$, today's money)")
    ax.set_ylabel("simulated years (count)")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Next year's value: models' uncertainty and customers' randomness", fontsize=11)
    ax.legend(loc="upper left", frameon=False, fontsize=8.5)
    add_grid(ax, axis="y")


def _clv_to_cac(ax: Axes, sheet: BalanceSheet) -> None:
    """CLV:CAC by channel as horizontal bars with their intervals, and the break-even line."""
    table = sheet.channels.sort_values("clv_to_cac")
    positions = np.arange(len(table))
    colours = [PALETTE["vermillion"] if value < 1 else PALETTE["green"] for value in table["clv_to_cac"]]
    ax.barh(positions, table["clv_to_cac"], color=colours, alpha=0.85)
    errors = np.vstack([table["clv_to_cac"] - table["clv_to_cac_lower"], table["clv_to_cac_upper"] - table["clv_to_cac"]])
    ax.errorbar(table["clv_to_cac"], positions, xerr=errors, fmt="none", ecolor=PALETTE["black"], capsize=4, linewidth=1.2)
    ax.axvline(1.0, color=PALETTE["black"], linestyle=":", linewidth=1.5, label="break-even: CLV = CAC")
    for position, (_, row) in zip(positions, table.iterrows(), strict=True):
        ax.text(row["clv_to_cac_upper"] + 0.05, position, f"{row['clv_to_cac']:.2f}  (CLV \\${row['clv']:,.0f}, "
                f"CAC \\${row['cac']:,.0f})", va="center", fontsize=8.5)
    ax.set_yticks(positions, table.index.tolist())
    ax.set_xlim(0, float(table["clv_to_cac_upper"].max()) * 1.65)
    years = sheet.settings["clv_horizon"] / 52
    ax.set_xlabel(f"CLV:CAC ({years:g}-year value from acquisition over fully loaded CAC)")
    ax.set_ylabel("acquisition channel")
    ax.set_title("CLV:CAC of the last 12 months' customers (95% intervals)", fontsize=11)
    ax.legend(loc="lower right", frameon=False, fontsize=8.5)
    add_grid(ax, axis="x")

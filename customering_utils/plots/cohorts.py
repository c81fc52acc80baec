"""Figures of acquisition cohorts: the retention heat map, and retention curves with their intervals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import PALETTE, add_grid, new_axes

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes

__all__ = ["retention_heatmap", "retention_curves"]

#: The colours of the cohorts' curves, in turn (grey is kept for all cohorts pooled).
CURVE_COLOURS = ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "black")


def retention_heatmap(matrix: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Draw a cohort retention matrix as a heat map: one row per cohort, one column per period since acquisition.

    ``matrix`` holds shares from 0 to 1, such as the output of
    :func:`customering_utils.rfm.cohort_retention`: rows are acquisition cohorts (indexed
    by the first day of the period), columns are periods since acquisition (0, 1, 2,
    ...), and missing values (NaN) are cells not seen yet, left blank. Each cell is
    coloured, and written, as a percentage of the cohort. The colour map is ``cividis``,
    readable with every common form of colour blindness and in grey. The colour scale
    runs from 0 to the highest share after acquisition (column 1 onwards), rounded up to
    the next 10%, so differences between cohorts show; column 0, 100% by definition,
    takes the top colour. Axis labels name the period ("quarters") when the matrix
    comes from ``cohort_retention`` or its cohorts are year, quarter or month starts.

    Parameters
    ----------
    matrix : DataFrame
        Shares of each cohort buying, from 0 to 1 (NaN for cells not seen yet): one row
        per cohort, one column per number of periods since acquisition.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: periods since acquisition across, cohorts down, each cell
        a percentage of its cohort (0 to 100), with a colour bar beside it.

    Examples
    --------
    Two quarterly cohorts; the second's period 2 is not seen yet:

    >>> import pandas as pd
    >>> matrix = pd.DataFrame(
    ...     [[1.0, 0.5, 0.25], [1.0, 0.4, float("nan")]],
    ...     index=pd.DatetimeIndex(["2025-01-01", "2025-04-01"], name="cohort"),
    ... )
    >>> ax = retention_heatmap(matrix)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('periods since acquisition (quarters)', 'acquisition cohort (quarter of first purchase)')
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['2025 Q1', '2025 Q2']
    >>> ax.images[0].colorbar.ax.get_ylabel()
    '% of cohort buying'
    """
    if not isinstance(matrix, pd.DataFrame):
        raise TypeError(
            f"matrix should be a pandas DataFrame of shares (cohorts by periods since acquisition), "
            f"got {type(matrix).__name__}; use rfm.cohort_retention(transactions)"
        )
    if matrix.size == 0:
        raise ValueError("matrix is empty; expected at least one cohort and one period")
    try:
        shares = matrix.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as error:
        raise ValueError("matrix should hold numbers: shares of each cohort from 0 to 1") from error
    seen = shares[~np.isnan(shares)]
    if seen.size == 0:
        raise ValueError("matrix has no values, only NaN; expected shares of each cohort from 0 to 1")
    if (seen < 0).any() or (seen > 1).any():
        raise ValueError(
            "matrix should hold shares of each cohort from 0 to 1 (NaN for cells not seen yet); "
            f"got values from {seen.min():g} to {seen.max():g}. Pass cohort_retention(...), not cohort_counts(...)"
        )
    import matplotlib

    percent = 100 * shares
    later = percent[:, 1:][~np.isnan(percent[:, 1:])]
    top = min(100.0, max(10.0, 10 * np.ceil(later.max() / 10))) if later.size else 100.0
    unit, labels = _period_names(matrix)
    n_rows, n_columns = percent.shape
    ax = new_axes(ax, figsize=(max(6.0, 0.6 * n_columns + 3), max(3.5, 0.4 * n_rows + 1.5)))
    colours = matplotlib.colormaps["cividis"].with_extremes(bad="white")  # unseen cells: blank
    image = ax.imshow(np.ma.masked_invalid(percent), cmap=colours, vmin=0, vmax=top, aspect="auto",
                      interpolation="nearest")
    colorbar = ax.figure.colorbar(image, ax=ax, extend="max" if top < 100 else "neither")
    colorbar.set_label("% of cohort buying")
    if n_rows * n_columns <= 400:
        for (row, column), value in np.ndenumerate(percent):
            if not np.isnan(value):
                # cividis is dark at the bottom and light at the top: white text below the middle.
                dark = min(value, top) / top < 0.5
                ax.text(column, row, f"{value:.0f}", ha="center", va="center", fontsize=8,
                        color="white" if dark else "black")
    ax.set_xticks(range(n_columns), [str(column) for column in matrix.columns])
    ax.set_yticks(range(n_rows), labels)
    ax.set_xlabel(f"periods since acquisition ({unit}s)" if unit else "periods since acquisition")
    ax.set_ylabel(f"acquisition cohort ({unit} of first purchase)" if unit else "acquisition cohort")
    ax.set_title("Cohort retention: % of each cohort buying, by periods since acquisition")
    return ax


def retention_curves(counts: pd.DataFrame, cohorts: list | None = None, ax: Axes | None = None,
                     confidence: float = 0.95) -> Axes:
    """Draw the retention curves of some cohorts, each with a band for its interval, over all cohorts pooled.

    ``counts`` is a table of :func:`customering_utils.rfm.cohort_counts` (counts, not
    shares: an interval needs the number of customers behind a share). For each cohort
    in ``cohorts``, a line of the percent of the cohort buying in each period after
    acquisition, from period 1 (period 0 is 100% by definition), and a shaded band for
    its Wilson interval (:func:`customering_utils.rfm.cohort_intervals`). A dashed grey
    line shows all cohorts pooled: in each period, the buyers of every cohort seen that
    far over their customers. Where two bands overlap, the two cohorts may differ by
    chance alone.

    Parameters
    ----------
    counts : DataFrame
        Counts of customers, cohorts by periods since acquisition: the output of
        :func:`customering_utils.rfm.cohort_counts`.
    cohorts : list, optional
        The cohorts to draw (row labels of ``counts``, such as ``"2024-01-01"``); ``None``
        (the default) draws every cohort. Colours repeat after seven.
    ax : matplotlib Axes, optional
        Where to draw; ``None`` (the default) makes a new figure of its own.
    confidence : float, default 0.95
        The level of the bands, a share between 0 and 1.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn into: periods since acquisition across, % of the cohort buying
        up, one line and band per cohort and the pooled line.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({0: [40, 50], 1: [20, 15], 2: [12, pd.NA]}, dtype="Int64",
    ...                       index=pd.DatetimeIndex(["2025-01-01", "2025-04-01"], name="cohort"))
    >>> counts.attrs["freq"] = "QS"
    >>> ax = retention_curves(counts)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('periods since acquisition (quarters)', '% of cohort buying')
    >>> [line.get_label() for line in ax.get_lines()]
    ['all cohorts, pooled', '2025 Q1 (40 customers)', '2025 Q2 (50 customers)']
    >>> [float(y) for y in ax.get_lines()[1].get_ydata()]   # 20 and 12 of 40
    [50.0, 30.0]
    """
    from ..rfm import cohort_intervals

    table = cohort_intervals(counts, cohorts, confidence)
    picked = list(dict.fromkeys(table.index.get_level_values("cohort"))) if cohorts is None else [
        pd.Timestamp(cohort) if isinstance(counts.index, pd.DatetimeIndex) else cohort for cohort in cohorts]
    numbers = counts.astype("float64")
    later = numbers.columns[1:]
    seen_sizes = numbers[[0]].to_numpy() * numbers[later].notna().to_numpy()
    pooled = 100 * numbers[later].sum() / seen_sizes.sum(axis=0)
    unit, labels = _period_names(counts)
    label_of = dict(zip(counts.index, labels, strict=True))
    ax = new_axes(ax, figsize=(8, 4.2))
    ax.plot(later, pooled.to_numpy(), color=PALETTE["grey"], linestyle="--", linewidth=1.5, label="all cohorts, pooled")
    for number, cohort in enumerate(picked):
        colour = PALETTE[CURVE_COLOURS[number % len(CURVE_COLOURS)]]
        rows = table.loc[cohort] if cohort in table.index.get_level_values("cohort") else table.iloc[:0]
        periods = rows.index.get_level_values(-1).to_numpy(dtype=float)
        ax.fill_between(periods, 100 * rows["lower"].to_numpy(), 100 * rows["upper"].to_numpy(), color=colour,
                        alpha=0.2, linewidth=0)
        size = int(numbers.loc[cohort, 0])
        ax.plot(periods, 100 * rows["share"].to_numpy(), color=colour, marker="o", markersize=3,
                label=f"{label_of[cohort]} ({size:,} customer{'s' if size != 1 else ''})")
    ax.set_xlim(0.5, max(1, len(later)) + 0.5)
    ax.set_ylim(0, None)
    ax.set_xticks(range(1, max(1, len(later)) + 1, max(1, len(later) // 12)))
    ax.set_xlabel(f"periods since acquisition ({unit}s)" if unit else "periods since acquisition")
    ax.set_ylabel("% of cohort buying")
    ax.set_title(f"Retention of acquisition cohorts, with {confidence:.0%} intervals (bands)")
    ax.legend(loc="upper right", frameon=False, fontsize=8)
    add_grid(ax)
    return ax


def _period_names(matrix: pd.DataFrame) -> tuple[str, list[str]]:
    """The name of the matrix's period ("quarter", or "" if unknown) and a label for each cohort."""
    index = matrix.index
    if not isinstance(index, pd.DatetimeIndex):
        return "", [str(cohort) for cohort in index]
    freq = str(matrix.attrs.get("freq", "")).upper()
    firsts = bool((index.day == 1).all())
    if freq[:1] == "Y" or freq[:1] == "A" or (not freq and firsts and (index.month == 1).all()):
        return "year", [f"{cohort:%Y}" for cohort in index]
    if freq[:1] == "Q" or (not freq and firsts and index.month.isin([1, 4, 7, 10]).all()):
        return "quarter", [f"{cohort.year} Q{cohort.quarter}" for cohort in index]
    if freq[:1] == "M" or (not freq and firsts):
        return "month", [f"{cohort:%Y-%m}" for cohort in index]
    if freq[:1] == "W":
        return "week", [f"{cohort:%Y-%m-%d}" for cohort in index]
    if freq[:1] == "D":
        return "day", [f"{cohort:%Y-%m-%d}" for cohort in index]
    return "", [f"{cohort:%Y-%m-%d}" for cohort in index]

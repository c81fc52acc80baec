"""An explorer of RFM cells: how the customers of one cell spread on a value."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..plots.style import PALETTE, add_grid, png
from ..tables import require_columns

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["rfm_cell_explorer"]


def rfm_cell_explorer(
    table: pd.DataFrame, value: str, *, value_label: str | None = None, start: str | None = None
) -> ipywidgets.Widget:
    """A drop-down of RFM cells and, for the cell picked, how its customers spread on ``value``.

    ``table`` has one row per customer with an ``rfm_cell`` column (from
    :func:`customering_utils.rfm.rfm_scores`) and the numeric column ``value`` (for
    example each customer's expected revenue next year). ``value_label`` names it, with
    its unit, on the figure and in the readout (default: the column name). The
    drop-down lists every cell, best first ("555", "554", ...), with its number of
    customers; it starts at ``start`` (default: the first). Below it, a readout of the
    cell's customers (how many; the median, mean and middle 80% of ``value``; how many
    are at 0) and a histogram of ``value`` in the cell against all customers, on the
    same axes for every cell. Returns an ``ipywidgets.VBox``: show it by making it the
    last line of a cell.

    Parameters
    ----------
    table : DataFrame
        One row per customer, with an ``rfm_cell`` column (text such as ``"545"``) and
        the column ``value``.
    value : str
        The name of the numeric column to show, such as each customer's expected
        revenue next year (US dollars); a finite number for every customer.
    value_label : str, optional
        How the figure and the readout name ``value``, with its unit, such as
        ``"future revenue (US$)"``; ``None`` (the default) uses the column name.
    start : str, optional
        The cell to show first, such as ``"555"``; ``None`` (the default) starts at the
        best cell.

    Returns
    -------
    ipywidgets.VBox
        The drop-down, the readout (a count of customers and the spread of ``value``,
        in its unit) and the figure (% of customers), in that order in ``children``.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"rfm_cell": ["555", "555", "111"], "future": [10.0, 30.0, 0.0]})
    >>> explorer = rfm_cell_explorer(table, "future", value_label="future revenue (US$)")
    >>> explorer.children[0].options
    (('555 (2 customers)', '555'), ('111 (1 customer)', '111'))
    >>> "median 20.00" in explorer.children[1].value
    True
    >>> explorer.children[0].value = "111"   # what picking a cell does
    >>> "1 of them (100.0%) at 0" in explorer.children[1].value
    True
    """
    import ipywidgets as widgets

    data = _cell_table(table, value)
    label = value_label or value
    counts = data["rfm_cell"].value_counts()
    cells = sorted(counts.index, reverse=True)
    if start is not None and str(start) not in counts.index:
        raise ValueError(f"start should be one of the table's RFM cells (such as {cells[0]!r}), got {start!r}")
    options = [(f"{cell} ({counts[cell]:,} customer{'s' if counts[cell] != 1 else ''})", cell) for cell in cells]
    picker = widgets.Dropdown(options=options, value=str(start) if start is not None else cells[0],
                              description="RFM cell", layout=widgets.Layout(width="300px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="560px"))
    everyone = data[value].to_numpy(dtype=float)
    # One horizontal axis for every cell: wide enough for 99% of all customers and for 90% of any cell's.
    top = max(float(np.quantile(everyone, 0.99)), float(data.groupby("rfm_cell")[value].quantile(0.9).max()))
    edges = np.linspace(min(0.0, float(everyone.min())), top if top > 0 else 1.0, 31)

    def redraw(change: object = None) -> None:
        cell = picker.value
        values = data.loc[data["rfm_cell"] == cell, value].to_numpy(dtype=float)
        low, high = np.quantile(values, [0.1, 0.9])
        zeros = int((values == 0).sum())
        readout.value = (
            f"Cell <b>{cell}</b>: {len(values):,} customers. {label}: median {np.median(values):,.2f}, "
            f"mean {values.mean():,.2f}; the middle 80% from {low:,.2f} to {high:,.2f}; "
            f"{zeros:,} of them ({zeros / len(values):.1%}) at 0."
        )
        picture.value = _cell_figure(values, everyone, edges, cell, label)

    picker.observe(redraw, names="value")
    redraw()
    return widgets.VBox([picker, readout, picture])


def _cell_table(table: pd.DataFrame, value: str) -> pd.DataFrame:
    """The ``rfm_cell`` and ``value`` columns of ``table``, checked: text cells, finite numbers."""
    require_columns(table, ["rfm_cell", value], table="table")
    data = table[["rfm_cell", value]].copy()
    if len(data) == 0:
        raise ValueError("table is empty; expected one row per customer")
    if not pd.api.types.is_numeric_dtype(data[value]) or not np.isfinite(data[value].to_numpy(dtype=float)).all():
        raise ValueError(f"table column {value!r} should hold a finite number for every customer")
    if data["rfm_cell"].isna().any():
        raise ValueError("table column 'rfm_cell' has missing values; expected a cell such as '555' on every row")
    data["rfm_cell"] = data["rfm_cell"].astype(str)
    return data


def _cell_figure(values: np.ndarray, everyone: np.ndarray, edges: np.ndarray, cell: str, label: str) -> bytes:
    """PNG bytes of a histogram of ``values`` (one cell, blue) over ``everyone`` (grey), in % of customers."""
    from matplotlib.figure import Figure

    top = edges[-1]
    figure = Figure(figsize=(5.6, 3.4), dpi=100, layout="constrained")
    ax = figure.subplots()
    for sample, colour, name, style in (
        (everyone, PALETTE["grey"], f"all customers ({len(everyone):,})", {"histtype": "step", "linewidth": 1.5}),
        (values, PALETTE["blue"], f"cell {cell} ({len(values):,})", {"alpha": 0.7}),
    ):
        weights = np.full(len(sample), 100 / len(sample))
        ax.hist(np.clip(sample, edges[0], top), bins=edges, weights=weights, color=colour, label=name, **style)
    ax.set_xlabel(f"{label}; the last bar holds everything above")
    ax.set_ylabel("customers (% of the group)")
    ax.set_title(f"How the customers of cell {cell} spread")
    ax.legend(loc="upper right", frameon=False, fontsize=8)
    add_grid(ax, axis="y")
    return png(figure)
